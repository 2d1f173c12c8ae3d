"""The admin window's look: the supervisor's office screen (tabs on a 1366×768 monitor, the
counter's spin box and drop-down arrows) plus the large one-time secrets and the logo
preview."""

from ui.counter.style import PAPER
from ui.kiosk.style import GOLD, NAVY
from ui.supervisor.style import SUPERVISOR_STYLE

ADMIN_STYLE = SUPERVISOR_STYLE.replace(
    "QMainWindow#supervisorWindow", "QMainWindow#adminWindow") + f"""
QFrame#shownOnce {{ background: #fff8e6; border: 2px solid {GOLD}; border-radius: 8px; }}
QLabel#shownCaption {{ font-size: 15px; font-weight: bold; color: {NAVY}; }}
QLabel#shownValue {{ font-family: "DejaVu Sans Mono"; font-size: 40px; font-weight: bold;
                     color: {NAVY}; letter-spacing: 2px; padding: 4px 0; }}
QLabel#shownDetail {{ font-size: 14px; color: #3b4350; }}
QFrame#logoFrame {{ background: white; border: 1px dashed #9aa8b8; border-radius: 6px; }}
QLabel#logoPreview {{ color: #5b6470; font-size: 13px; background: white; }}
QTabWidget#mainTabs QWidget#tabPage {{ background: {PAPER}; }}
QListView::item {{ padding: 4px 6px; }}
"""
