"""The counter's look: a calm office screen for a whole day's work on a 1366×768 monitor.

The supervisor's and the admin's windows build on it (ui/supervisor/style.py)."""

from ui.assets import ICONS
from ui.kiosk.style import BLUE, GOLD, NAVY

PAPER = "#f4f6f9"
RED = "#a32020"
GREEN = "#1f6b34"


def _icon(name: str) -> str:
    return (ICONS / f"{name}.svg").as_posix()


# A box given a border by a style sheet draws its buttons from the style sheet too: without
# these rules Qt leaves the spin box's arrows and the drop-down's arrow out (issue 15).
BUTTON = "width: 22px; border-left: 1px solid #cfd6df; background: #eef1f4;"
ARROWS = f"""
QAbstractSpinBox, QComboBox {{ padding-right: 26px; }}
QAbstractSpinBox::up-button, QAbstractSpinBox::down-button {{ subcontrol-origin: border;
    {BUTTON} }}
QAbstractSpinBox::up-button {{ subcontrol-position: top right; border-top-right-radius: 4px; }}
QAbstractSpinBox::down-button {{ subcontrol-position: bottom right;
    border-bottom-right-radius: 4px; }}
QAbstractSpinBox::up-arrow {{ image: url({_icon("arrow-up")}); width: 10px; height: 6px; }}
QAbstractSpinBox::down-arrow, QComboBox::down-arrow, QDateEdit::down-arrow {{
    image: url({_icon("arrow-down")}); width: 10px; height: 6px; }}
QAbstractSpinBox::up-arrow:off, QAbstractSpinBox::down-arrow:off {{ image: none; }}
QAbstractSpinBox::up-arrow:disabled {{ image: url({_icon("arrow-up-off")}); }}
QAbstractSpinBox::down-arrow:disabled, QComboBox::down-arrow:disabled,
QDateEdit::down-arrow:disabled {{ image: url({_icon("arrow-down-off")}); }}
QComboBox::drop-down, QDateEdit::drop-down {{ subcontrol-origin: border;
    subcontrol-position: top right; {BUTTON} border-top-right-radius: 4px;
    border-bottom-right-radius: 4px; }}
QAbstractSpinBox::up-button:hover, QAbstractSpinBox::down-button:hover,
QComboBox::drop-down:hover, QDateEdit::drop-down:hover {{ background: #dce6f2; }}
"""

COUNTER_STYLE = f"""
QMainWindow#counterWindow, QWidget#page {{ background: {PAPER}; }}
QWidget {{ font-family: "DejaVu Sans"; font-size: 15px; color: #1b1f24; }}
QWidget#topBar {{ background: {NAVY}; }}
QWidget#topBar QLabel {{ color: white; font-size: 16px; }}
QLabel#topTitle {{ font-weight: bold; font-size: 18px; }}
QWidget#topBar QLabel#syncStatus {{ color: #c9d6e8; font-size: 13px; padding-left: 16px; }}
QWidget#topBar QLabel#syncStatus[alert="true"] {{ color: #ffd27a; }}
QLabel#h1 {{ font-size: 24px; font-weight: bold; color: {NAVY}; }}
QLabel#h2 {{ font-size: 17px; font-weight: bold; color: {NAVY}; }}
QLabel#hint {{ color: #4a5563; font-size: 14px; }}
QLabel#notice {{ border-radius: 6px; padding: 8px 12px; font-size: 15px; }}
QLabel#notice[kind="info"] {{ background: #dcefe0; color: {GREEN}; }}
QLabel#notice[kind="error"] {{ background: #fbe3e3; color: {RED}; }}
QLabel#notice[kind="offline"] {{ background: #fff1d6; color: #7a4b00; font-weight: bold; }}
QLabel#ticketNumber {{ font-size: 56px; font-weight: bold; color: {NAVY}; }}
QLabel#ticketNumber[empty="true"] {{ font-size: 20px; font-weight: normal; color: #6b7480; }}
QLabel#ticketState {{ font-size: 16px; font-weight: bold; color: {NAVY}; }}
QLabel#counterState {{ font-size: 15px; font-weight: bold; border-radius: 6px;
                       padding: 3px 10px; background: #dce6f2; color: {NAVY}; }}
QLabel#counterState[state="paused"] {{ background: #fff1d6; color: #7a4b00; }}
QLabel#counterState[state="closed"] {{ background: #e4e4e4; color: #444; }}
QLabel#status {{ font-size: 17px; font-weight: bold; border-radius: 6px; padding: 4px 12px;
                 background: #dce6f2; color: {NAVY}; }}
QLabel#warning {{ background: {RED}; color: white; font-weight: bold; border-radius: 6px;
                  padding: 6px 12px; }}
QLabel#money {{ font-size: 17px; }}
QFrame#card {{ background: white; border: 1px solid #cfd6df; border-radius: 8px; }}
QFrame#prompt {{ background: #fff8e6; border: 2px solid {GOLD}; border-radius: 8px; }}
QPushButton {{ font-size: 15px; padding: 6px 12px; min-height: 30px; border-radius: 6px;
               background: white; border: 1px solid #9aa8b8; color: {NAVY}; }}
QPushButton:focus {{ border: 2px solid {GOLD}; }}
QPushButton:disabled {{ color: #a0a8b2; border-color: #d3d9e0; background: #eef1f4; }}
QPushButton#callNext {{ font-size: 23px; font-weight: bold; min-height: 58px;
                        background: {GOLD}; color: {NAVY}; border: none; }}
QPushButton#callNext:focus {{ border: 3px solid {NAVY}; }}
QPushButton#callNext:disabled {{ background: #e6d9c3; color: #8a8f99; }}
QPushButton#primary {{ background: {BLUE}; color: white; border: none; font-weight: bold; }}
QPushButton#primary:focus {{ border: 3px solid {GOLD}; }}
QPushButton#primary:disabled {{ background: #b8c4d3; color: #eef1f4; }}
QPushButton#nav {{ min-height: 36px; font-weight: bold; }}
QPushButton#nav:checked {{ background: {NAVY}; color: white; border-color: {NAVY}; }}
QPushButton#queueAction {{ min-height: 34px; }}
QPushButton#topButton {{ background: {BLUE}; color: white; border: 1px solid #8fb3dd;
                         min-height: 26px; padding: 3px 10px; }}
QLineEdit, QComboBox, QSpinBox, QDoubleSpinBox, QDateEdit {{ min-height: 26px;
    padding: 1px 6px; border: 1px solid #9aa8b8; border-radius: 4px; background: white; }}
QLineEdit:focus, QComboBox:focus, QSpinBox:focus, QDoubleSpinBox:focus, QDateEdit:focus {{
    border: 2px solid {BLUE}; }}
QLineEdit:disabled, QComboBox:disabled {{ background: #eef1f4; color: #8a8f99; }}
QLineEdit:read-only {{ background: #eef1f4; }}
QLineEdit#pin {{ font-size: 22px; min-height: 40px; }}
QLineEdit#loginUser, QComboBox#loginCounter {{ font-size: 18px; min-height: 40px; }}
QGroupBox {{ font-weight: bold; color: {NAVY}; border: 1px solid #cfd6df; border-radius: 8px;
             margin-top: 10px; padding-top: 6px; background: white; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 10px; padding: 0 4px; }}
QTableView, QListView {{ background: white; border: 1px solid #cfd6df;
                         selection-background-color: {BLUE}; selection-color: white;
                         alternate-background-color: #f1f4f8; }}
QTableView#actaResults {{ font-size: 14px; }}
QHeaderView::section {{ background: #e3e9f0; color: {NAVY}; font-weight: bold;
                        border: none; border-right: 1px solid #cfd6df; padding: 4px 6px; }}
QTabBar::tab {{ padding: 6px 14px; }}
QTabBar::tab:selected {{ font-weight: bold; color: {NAVY}; }}
""" + ARROWS
