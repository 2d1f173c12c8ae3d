"""The one QApplication of a process, set up the same way for every window; and what a window
program (`cac app`, `cac demo`, `cac kiosk`, …) sets up around it: a check that Qt can open
windows here at all, Qt's messages into the log, and Ctrl+C / SIGTERM as a clean stop."""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType

from PySide6.QtCore import (
    QCoreApplication,
    QDeadlineTimer,
    QEventLoop,
    QMessageLogContext,
    QObject,
    QSocketNotifier,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

APP_NAME = "CAC Kiosk"
# The system libraries Qt's X11 plugin needs are listed for people in the README.
README_SECTION = "el README, sección «System libraries for the windows»"

log = logging.getLogger(__name__)


def application(argv: list[str] | None = None) -> QApplication:
    """Return the running QApplication, creating it on first use."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("CAC")
    font = QFont(app.font())
    font.setPointSize(max(font.pointSize(), 11))
    app.setFont(font)
    return app


def process_events_until(done: Callable[[], bool], timeout_ms: int = 10_000) -> bool:
    """Run the event loop until `done()` or the timeout (no window shown yet, no test running):
    for tools such as `make screenshots` that must wait for queued hub results. Returns done()."""
    app = application()
    deadline = QDeadlineTimer(timeout_ms)
    while not done() and not deadline.hasExpired():
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
    app.processEvents()
    return done()


# --- can Qt open windows here? ---------------------------------------------------------------
# Qt aborts the whole process (SIGABRT) when its platform plugin cannot load or cannot reach the
# display; in `cac app` and `cac demo` that would take the hub down with the windows. So the
# plugin's libraries and the display are tried first, before the QApplication exists.

_MISSING = re.compile(r"(\S+\.so(?:\.[\d.]+)?)(?:: cannot open shared object file| => not found)")


def debian_package(soname: str) -> str:
    """The Debian/Ubuntu package that usually ships a library (Debian's naming policy:
    libxcb-icccm.so.4 → libxcb-icccm4, libxkbcommon-x11.so.0 → libxkbcommon-x11-0)."""
    name, _, version = soname.partition(".so")
    version = version.lstrip(".").split(".")[0]
    if not version:
        return name.lower()
    return f"{name}{'-' if name[-1:].isdigit() else ''}{version}".lower()


def _missing_libraries(plugin: Path, dlopen_error: str) -> list[str]:
    """Every library the plugin lacks (`ldd` lists them all, the loader names only the first)."""
    found: list[str] = []
    ldd = shutil.which("ldd")
    if ldd is not None:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            listing = subprocess.run([ldd, str(plugin)], capture_output=True, text=True,
                                     timeout=10, check=False).stdout
            found = [m.group(1) for m in _MISSING.finditer(listing)]
    found += [m.group(1) for m in _MISSING.finditer(dlopen_error)]
    return list(dict.fromkeys(found))


def plugin_problem(plugin: Path) -> str | None:
    """Why this platform plugin cannot be loaded (Spanish), or None when it loads."""
    try:
        ctypes.CDLL(str(plugin), mode=os.RTLD_LAZY)  # as Qt loads it; missing libraries fail now
    except OSError as exc:
        missing = _missing_libraries(plugin, str(exc))
        if not missing:
            return f"No se pueden abrir las ventanas: Qt no pudo cargar {plugin.name} ({exc})."
        packages = " ".join(debian_package(name) for name in missing)
        return (f"No se pueden abrir las ventanas: faltan bibliotecas del sistema "
                f"({', '.join(missing)}). En Debian o Ubuntu: sudo apt-get install {packages} "
                f"(la lista completa está en {README_SECTION}).")
    return None


def _platform_plugins(name: str) -> list[Path]:
    """The files Qt may load for platform `name`, in its order: QT_QPA_PLATFORM_PLUGIN_PATH,
    then the `platforms` folder of each of its plugin paths (QT_PLUGIN_PATH, the install's)."""
    folders = [os.environ.get("QT_QPA_PLATFORM_PLUGIN_PATH", "")]
    folders += [str(Path(path) / "platforms") for path in QCoreApplication.libraryPaths()]
    found = [Path(folder) / f"libq{name}.so" for folder in folders if folder]
    return list(dict.fromkeys(path for path in found if path.is_file()))


def _plugins_problem(name: str) -> str | None:
    """None when one of the plugin's files loads (or none is found: Qt will say), else why the
    first one does not."""
    problems = [plugin_problem(plugin) for plugin in _platform_plugins(name)]
    if not problems or None in problems:
        return None
    return problems[0]


class _XCheck:
    """The check's own X connection, held until Qt has made its own: an X server that nobody
    else uses (Xvfb, a bare `xinit` kiosk) resets when its last client leaves, and a
    connection made during the reset fails, which Qt answers with an abort."""

    xcb: ctypes.CDLL | None = None
    connection: int | None = None

    @classmethod
    def release(cls) -> None:
        if cls.xcb is not None and cls.connection is not None:
            cls.xcb.xcb_disconnect(cls.connection)
        cls.connection = None


def _x_display_problem(display: str) -> str | None:
    """Can an X client connect to `display` (as Qt's xcb plugin will)?"""
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return None  # the plugin's check has named it already
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)
    if xcb.xcb_connection_has_error(connection):
        xcb.xcb_disconnect(connection)  # also an errored connection must be freed
        return (f"No se pueden abrir las ventanas: no se pudo conectar con la pantalla "
                f"«{display}» (variable DISPLAY).")
    _XCheck.release()
    _XCheck.xcb, _XCheck.connection = xcb, connection
    return None


def _wayland_problem() -> str | None:
    """Is there a Wayland compositor's socket where Qt's wayland plugin will look?"""
    name = os.environ.get("WAYLAND_DISPLAY") or "wayland-0"
    socket_path = Path(name) if Path(name).is_absolute() else Path(
        os.environ.get("XDG_RUNTIME_DIR", "/nonexistent")) / name
    if socket_path.exists():
        return None
    return (f"No se pueden abrir las ventanas: no hay pantalla Wayland en {socket_path} "
            "(variables WAYLAND_DISPLAY y XDG_RUNTIME_DIR).")


def _problem_with(platform: str) -> str | None:
    if platform == "xcb":
        display = os.environ.get("DISPLAY", "")
        if not display:
            return ("No hay pantalla disponible para abrir las ventanas (la variable DISPLAY "
                    "está vacía). Use «cac hub» en un servidor sin pantalla.")
        return _plugins_problem("xcb") or _x_display_problem(display)
    if platform == "wayland":
        return _plugins_problem("wayland") or _wayland_problem()
    return None  # offscreen, vnc, eglfs…: nothing that Qt itself would not report better


def window_system_problem() -> str | None:
    """Why Qt could not open windows here (Spanish, naming the missing libraries when it can
    tell), or None. Call it before the QApplication exists."""
    if QCoreApplication.instance() is not None or not sys.platform.startswith("linux"):
        return None
    requested = os.environ.get("QT_QPA_PLATFORM", "")
    platforms = [part.split(":")[0].strip() for part in requested.split(";") if part.strip()]
    if not platforms:  # Qt's own choice: Wayland in a Wayland session (X11 as its fallback)
        wayland = os.environ.get("XDG_SESSION_TYPE") == "wayland" or bool(
            os.environ.get("WAYLAND_DISPLAY") and not os.environ.get("DISPLAY"))
        platforms = ["wayland", "xcb"] if wayland else ["xcb"]
    problems = [_problem_with(name) for name in platforms]
    if any(problem is None for problem in problems):
        return None
    return problems[0]


# --- Qt's messages ---------------------------------------------------------------------------

_LEVELS = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
           QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
           QtMsgType.QtFatalMsg: logging.CRITICAL}


def _qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    category = context.category or "default"
    name = "qt" if category == "default" else category if category.startswith("qt") else (
        f"qt.{category}")
    logging.getLogger(name).log(_LEVELS.get(kind, logging.WARNING), "%s", message)
    if kind == QtMsgType.QtFatalMsg:  # Qt aborts right after: the last words go to the person
        print(message, file=sys.stderr, flush=True)


def qt_messages_to_log() -> None:
    """Qt's and its libraries' messages (multimedia backends probing PipeWire and VA-API, no
    sound server, no speech engine…) go to the program's log instead of the terminal, where
    they buried what the person needs to read. Not for tests: pytest-qt checks them there."""
    qInstallMessageHandler(_qt_message)


# --- Ctrl+C and SIGTERM ------------------------------------------------------------------------

STOPPING = "cac_stopping"  # set on the application while Ctrl+C or SIGTERM closes the windows
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, *(
    (signal.SIGBREAK,) if hasattr(signal, "SIGBREAK") else ()))


class _SignalStop(QObject):
    """Ctrl+C and SIGTERM close the windows (their closeEvent runs their shutdown()) and end
    the event loop with code 0, so the program's own clean-up follows: the hub stops serving
    and closes its store. Python runs a signal handler only between its own instructions, and
    Qt's loop may sit in C++ for ever: the signal wakes it through a socket
    (`signal.set_wakeup_fd`). The handler only schedules the stop: raising there, as Python's
    default does, lands a KeyboardInterrupt in whatever Python code Qt is calling (an event
    filter), which prints a traceback and stops nothing."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app, self._stopping = app, False
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno(),
                                                 warn_on_full_buffer=False)
        self._previous = {signum: signal.signal(signum, self._on_signal)
                          for signum in STOP_SIGNALS}

    def release(self) -> None:
        """Give the signals back to whoever had them before (for tests)."""
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        signal.set_wakeup_fd(self._previous_fd)
        self._notifier.setEnabled(False)
        self._reader.close()
        self._writer.close()

    def _drain(self) -> None:
        with contextlib.suppress(OSError):  # BlockingIOError: nothing more to read
            while self._reader.recv(64):
                pass

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        if self._stopping:
            return  # the stop is under way (bounded: windows and hub wait seconds at most)
        self._stopping = True
        log.info("%s received: closing the windows", signal.Signals(signum).name)
        print("Cerrando…", file=sys.stderr, flush=True)
        QTimer.singleShot(0, self._stop)

    def _stop(self) -> None:
        # A locked-down kiosk refuses to close (ui/lockdown.py) except for this clean stop.
        self._app.setProperty(STOPPING, True)
        self._app.closeAllWindows()
        self._app.exit(0)


def stop_on_signals(app: QApplication) -> _SignalStop:
    """Make Ctrl+C and SIGTERM a clean stop of this window program (main thread only); the
    returned object lives as long as `app`."""
    return _SignalStop(app)


def prepare_windows(logs: Path | None) -> QApplication:
    """What every window program does before its windows: refuse early, in Spanish, where Qt
    could not open them (`ConfigError("no_screen")`), log Qt's messages (into `logs`), create
    the QApplication and stop cleanly on Ctrl+C and SIGTERM."""
    from kiosk.errors import ConfigError
    from kiosk.logs import configure_logging

    problem = window_system_problem()
    if problem is not None:
        raise ConfigError("no_screen", problem)
    configure_logging(logs)
    qt_messages_to_log()
    app = application()
    _XCheck.release()
    stop_on_signals(app)
    return app


def window_program(logs: Path | None) -> QApplication:
    """`prepare_windows` for a program that shows its windows itself (`cac kiosk`, …), with
    the first-window report of ui/first_window.py."""
    from ui.first_window import report_first_window

    app = prepare_windows(logs)
    report_first_window(app)
    return app
