"""The supervisor's look: the counter's calm office screen (ui/counter/style.py) plus figure
cards and tabs for a 1366×768 monitor and up."""

from ui.counter.style import COUNTER_STYLE, GREEN, PAPER, RED
from ui.kiosk.style import NAVY

SUPERVISOR_STYLE = COUNTER_STYLE.replace(
    "QMainWindow#counterWindow", "QMainWindow#supervisorWindow") + f"""
QTabWidget#mainTabs > QTabBar::tab {{ padding: 7px 18px; font-size: 15px; }}
QTabWidget#mainTabs > QTabBar::tab:selected {{ background: {NAVY}; color: white; }}
QTabWidget#subTabs > QTabBar::tab {{ padding: 4px 10px; font-size: 14px; }}
QTabWidget::pane {{ border: 1px solid #cfd6df; background: {PAPER}; }}
QFrame#figure {{ background: white; border: 1px solid #cfd6df; border-radius: 8px; }}
QFrame#figure[level="alert"] {{ border: 2px solid {RED}; }}
QFrame#figure[level="warn"] {{ border: 2px solid #d19a2a; }}
QLabel#figureValue {{ font-size: 25px; font-weight: bold; color: {NAVY}; }}
QLabel#figureValue[level="alert"] {{ color: {RED}; }}
QLabel#figureValue[level="warn"] {{ color: #7a4b00; }}
QLabel#figureValue[level="good"] {{ color: {GREEN}; }}
QLabel#figureCaption {{ font-size: 13px; color: #4a5563; }}
QLabel#periodShown {{ font-size: 14px; color: #4a5563; }}
QWidget#topBar QLabel#updated {{ color: #c9d6e8; font-size: 14px; }}
QHeaderView::section {{ font-size: 13px; }}
QLabel#notice[kind="insecure"] {{ background: {RED}; color: white; font-weight: bold;
                                  border-radius: 0; }}
QTableView {{ font-size: 14px; }}
QTableView#heatMap {{ font-size: 13px; gridline-color: white; }}
"""
