"""The admin window's look: the supervisor's office screen (tabs on a 1366×768 monitor) plus
the large one-time secrets and the logo preview."""

from ui.assets import ICONS
from ui.counter.style import PAPER
from ui.kiosk.style import GOLD, NAVY
from ui.supervisor.style import SUPERVISOR_STYLE


def _icon(name: str) -> str:
    return (ICONS / f"{name}.svg").as_posix()


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
QAbstractSpinBox {{ padding-right: 24px; }}
QAbstractSpinBox::up-button, QAbstractSpinBox::down-button {{ subcontrol-origin: border;
    width: 22px; border-left: 1px solid #cfd6df; background: #eef1f4; }}
QAbstractSpinBox::up-button {{ subcontrol-position: top right; border-top-right-radius: 4px; }}
QAbstractSpinBox::down-button {{ subcontrol-position: bottom right;
    border-bottom-right-radius: 4px; }}
QAbstractSpinBox::up-button:hover, QAbstractSpinBox::down-button:hover {{
    background: #dce6f2; }}
QAbstractSpinBox::up-arrow {{ image: url({_icon("arrow-up")}); width: 10px; height: 6px; }}
QAbstractSpinBox::down-arrow {{ image: url({_icon("arrow-down")}); width: 10px; height: 6px; }}
QAbstractSpinBox::up-arrow:disabled, QAbstractSpinBox::up-arrow:off,
QAbstractSpinBox::down-arrow:disabled, QAbstractSpinBox::down-arrow:off {{ image: none; }}
QListView::item {{ padding: 4px 6px; }}
"""
