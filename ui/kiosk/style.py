"""The kiosk's look: high contrast, very large type, nothing smaller than a thumb."""

NAVY = "#12355b"
BLUE = "#1d4e89"
GOLD = "#e8a33d"
PREFERENTIAL = "#7b2d8b"

KIOSK_STYLE = f"""
QMainWindow#kioskWindow, QStackedWidget > QWidget {{ background: {NAVY}; }}
QLabel {{ color: white; font-family: "DejaVu Sans"; }}
QLabel#office {{ font-size: 22px; color: #cfe0f5; }}
QLabel#syncStatus {{ font-size: 13px; color: #9fb6d3; background: {NAVY}; padding: 2px 10px; }}
QLabel#syncStatus[alert="true"] {{ color: #ffd27a; }}
QLabel#title {{ font-size: 36px; font-weight: bold; }}
QLabel#banner {{ font-size: 34px; font-weight: bold; background: {PREFERENTIAL};
                 border-radius: 14px; padding: 14px; }}
QLabel#preferentialTitle {{ font-size: 30px; font-weight: bold; color: {GOLD}; }}
QLabel#law {{ font-size: 19px; color: #dde7f3; }}
QLabel#heading {{ font-size: 44px; }}
QLabel#ticketNumber {{ font-size: 190px; font-weight: bold; color: {GOLD}; }}
QLabel#ticketService {{ font-size: 40px; font-weight: bold; }}
QLabel#ticketInfo {{ font-size: 32px; }}
QLabel#ticketInfo[notice="true"] {{ color: {GOLD}; font-weight: bold; }}
QLabel#printStatus {{ font-size: 28px; color: #bfe3c0; }}
QLabel#printStatus[failed="true"] {{ color: #ffd1d1; background: #8b1e1e; border-radius: 12px;
                                      padding: 12px; }}
QLabel#waitTitle {{ font-size: 64px; font-weight: bold; }}
QLabel#procedureDetail {{ font-size: 24px; background: white; color: #111; padding: 18px; }}
QScrollArea {{ border: none; background: white; }}
QToolButton {{ font-family: "DejaVu Sans"; color: {NAVY}; background: white;
               border-radius: 22px; font-weight: bold; padding: 10px; }}
QToolButton:pressed {{ background: {GOLD}; }}
/* Big buttons size their own words (ui/kiosk/widgets.py): no font-size here. */
QToolButton#service {{ background: {BLUE}; color: white; border: 4px solid white;
                       qproperty-pressedColor: {NAVY}; }}
QToolButton#service:pressed {{ background: {GOLD}; }}
QToolButton#preferential {{ background: {PREFERENTIAL}; color: white; }}
QToolButton#secondary {{ background: {BLUE}; color: white; border: 3px solid white; }}
QPushButton {{ font-family: "DejaVu Sans"; font-size: 28px; font-weight: bold;
               min-height: 72px; border-radius: 16px; padding: 6px 22px; }}
QPushButton#language {{ font-size: 20px; min-height: 56px; padding: 0 18px; background: {BLUE};
                        color: white; border: 2px solid #8fb3dd; }}
QPushButton#language:checked {{ background: {GOLD}; color: {NAVY}; border-color: {GOLD}; }}
QPushButton#primary {{ background: {GOLD}; color: {NAVY}; }}
QPushButton#primary:disabled {{ background: #6d7f95; color: #c9d3de; }}
QPushButton#back {{ background: white; color: {NAVY}; }}
QListWidget#procedures {{ font-size: 24px; background: white; color: #111; }}
QListWidget#procedures::item {{ padding: 16px; border-bottom: 1px solid #ccd; }}
QScrollBar:vertical {{ width: 30px; background: #dfe6ee; }}
QScrollBar::handle:vertical {{ background: {BLUE}; min-height: 60px; border-radius: 8px; }}
QListWidget#procedures::item:selected {{ background: {GOLD}; color: {NAVY}; }}
QPushButton#key {{ font-size: 48px; min-height: 60px; background: {BLUE}; color: white;
                   border: 2px solid #8fb3dd; }}
QPushButton#year {{ font-size: 30px; min-height: 52px; background: {BLUE}; color: white;
                    border: 2px solid #8fb3dd; }}
QPushButton#year:checked {{ background: {GOLD}; color: {NAVY}; border-color: {GOLD}; }}
QLabel#typed {{ font-size: 64px; font-weight: bold; color: {GOLD}; }}
QPushButton#typeKey {{ font-size: 24px; min-height: 44px; padding: 0 4px; background: {BLUE};
                       color: white; border: 2px solid #8fb3dd; }}
QPushButton#typeKey:checked {{ background: {GOLD}; color: {NAVY}; }}
QPushButton#choice {{ font-size: 26px; min-height: 56px; background: {BLUE}; color: white;
                      border: 3px solid white; }}
QPushButton#choice[chosen="true"] {{ background: {GOLD}; color: {NAVY}; }}
QLineEdit#formField, QPlainTextEdit#formField {{ font-size: 24px; background: white;
                                                 color: #111; border-radius: 8px; padding: 2px; }}
QLabel#fieldLabel {{ font-size: 22px; }}
QLabel#hint, QLabel#elsewhere {{ font-size: 19px; color: #dde7f3; }}
QLabel#elsewhere {{ background: {BLUE}; border-radius: 12px; padding: 10px; }}
QLabel#formProblem {{ font-size: 20px; color: #ffd1d1; background: #8b1e1e; border-radius: 12px;
                      padding: 4px 8px; }}
QLabel#reclamoNumber {{ font-size: 80px; font-weight: bold; color: {GOLD}; }}
QLabel#statusResult {{ font-size: 30px; background: white; color: #111; padding: 18px;
                       border-radius: 16px; }}
"""
