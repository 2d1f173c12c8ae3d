"""`cac app`: the one-PC office. The hub runs in this process (kiosk/embedded.py) and the
chosen windows talk to it through in-process clients; the LAN API is served too, so other PCs
(a TV, a second counter) can join. Here: which windows, where they go on the screen, their
start and end.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable, Sequence
from typing import Any

from kiosk.config import DataDir
from kiosk.embedded import DEVICE_NAMES, EmbeddedHub
from kiosk.errors import InvalidInput

log = logging.getLogger(__name__)

WINDOWS = DEVICE_NAMES  # each window is a device of the office
# What `cac demo` opens (the supervisor's window is asked for by name).
DEMO_WINDOWS = ["kiosk", "display", "counter"]
# A portrait kiosk, a landscape TV and the counter at the 1366×768 of a counter PC: the sizes
# a window gets in `--windowed` where the screen has room (place_windows fits them otherwise).
WINDOWED_SIZES = {"kioskWindow": (600, 960), "display": (1024, 576),
                  "counterWindow": (1366, 768), "supervisorWindow": (1366, 768),
                  "adminWindow": (1366, 768)}
ROLES = {"kioskWindow": "kiosk", "display": "display", "counterWindow": "counter",
         "supervisorWindow": "supervisor", "adminWindow": "admin"}
# What the window manager adds above a window (its title bar), kept free on screen.
TITLE_BAR = 32
# A window is made smaller, to share the screen, down to this share of its size at most.
SMALLEST_SCALE = 0.5
# The LAN API starts once a window is on screen, or after this long whatever the screen does.
BACKGROUND_FALLBACK_MS = 3000


Rect = tuple[int, int, int, int]  # x, y, width, height


def _overlap(a: Rect, b: Rect) -> int:
    width = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    height = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return max(width, 0) * max(height, 0)


def _fit(size: tuple[int, int], least: tuple[int, int], area: tuple[int, int],
         scale: float) -> tuple[int, int]:
    """`size` scaled to fit `area` (its proportions kept), times `scale`, never below `least`
    (Qt would not make the window smaller than its minimum anyway)."""
    fit = min(1.0, area[0] / size[0], area[1] / size[1]) * scale
    return (max(least[0], round(size[0] * fit)), max(least[1], round(size[1] * fit)))


def arrange(windows: Sequence[tuple[tuple[int, int], tuple[int, int]]], area: Rect,
            title_bar: int = TITLE_BAR) -> list[Rect]:
    """Where the windows go on a screen's free `area`: each (preferred size, minimum size), in
    order, takes the place and size (from its size fitted to the screen down to
    SMALLEST_SCALE of it) that covers the windows placed before it least, a pixel of its own
    lost counting a quarter of one covered: side by side where they fit, overlapping as
    little as they can where not. Every window lies on the screen, title bar included,
    unless its minimum is larger than the screen (then from its top left corner). The rects
    are the windows' contents (below the title bar)."""
    ax, ay, aw, ah = area
    room = (aw, ah - title_bar)
    placed: list[Rect] = []  # with their title bars
    steps = 6
    for preferred, least in windows:
        best: tuple[tuple[int, int, int], Rect] | None = None
        full = _fit(preferred, least, room, 1.0)
        for step in range(steps):
            width, height = _fit(preferred, least, room, 1 - (1 - SMALLEST_SCALE) * step /
                                 (steps - 1))
            lost = full[0] * full[1] - width * height
            outer_h = height + title_bar
            xs = {ax, ax + aw - width, *(x + w for x, _, w, _ in placed)}
            ys = {ay, ay + ah - outer_h, *(y + h for _, y, _, h in placed)}
            for x in xs:
                for y in ys:
                    x = max(ax, min(x, ax + aw - width))
                    y = max(ay, min(y, ay + ah - outer_h))
                    outer = (x, y, width, outer_h)
                    covered = sum(_overlap(outer, other) for other in placed)
                    score = (covered + lost // 4, y, x)
                    if best is None or score < best[0]:
                        best = (score, outer)
        assert best is not None
        placed.append(best[1])
    return [(x, y + title_bar, w, h - title_bar) for x, y, w, h in placed]


def place_windows(windows: Sequence[Any], area: Any) -> None:
    """Size and place `--windowed` windows on the screen's available `area` (a QRect); the
    first one ends up in front."""
    wanted = []
    for window in windows:
        least = window.minimumSizeHint().expandedTo(window.minimumSize())
        wanted.append((WINDOWED_SIZES[window.objectName()], (least.width(), least.height())))
    rects = arrange(wanted, (area.x(), area.y(), area.width(), area.height()))
    for window, (x, y, width, height) in zip(windows, rects, strict=True):
        window.resize(width, height)
        window.move(x, y - TITLE_BAR)  # a window's position is its frame's


def describe_windows(windows: Sequence[Any], area: Any) -> str:
    """Where the windows ended up, for the log (and the tests)."""
    return f"screen {area.width()}x{area.height()}+{area.x()}+{area.y()}; " + "; ".join(
        f"{w.objectName()} {w.width()}x{w.height()}+{w.x()}+{w.y()} frame "
        f"{w.frameGeometry().width()}x{w.frameGeometry().height()}" for w in windows)


def parse_windows(value: str) -> list[str]:
    names = [part.strip() for part in value.split(",") if part.strip()]
    unknown = [name for name in names if name not in WINDOWS]
    if unknown or not names:
        raise InvalidInput(
            "unknown_window",
            f"Ventanas desconocidas: {', '.join(unknown) or '(ninguna)'}. "
            f"Use: {', '.join(WINDOWS)}.",
        )
    return names


def run_app(data_dir: DataDir, windows: list[str], *, windowed: bool, host: str | None,
            port: int | None, lan: bool = True, insecure_http: bool = False,
            on_ready: Callable[[], None] | None = None) -> int:
    """The hub and the windows in this process until the windows close, Ctrl+C or SIGTERM;
    `on_ready` runs once the first window is on screen and the LAN API serves."""
    from ui.qt_app import prepare_windows

    # Before anything else: where Qt cannot open windows it would abort the process.
    app = prepare_windows(data_dir.logs)
    from ui.display.announcer import Announcer
    from ui.display.sound import QtSpeaker
    from ui.display.window import DisplayWindow
    from ui.first_window import after_first_window, first_window_report
    from ui.kiosk.printer_adapter import printer_for
    from ui.kiosk.window import KioskWindow

    office = EmbeddedHub(data_dir, windows, lan=lan, host=host, port=port,
                         insecure_http=insecure_http)
    opened: list[Any] = []
    try:
        if "kiosk" in windows:
            client = office.client("kiosk")
            kiosk = KioskWindow(client, printer_for(client, data_dir))
            opened.append(kiosk)
        if "counter" in windows:
            from ui.counter.printer import counter_printer_for
            from ui.counter.window import CounterWindow

            clerk_client = office.client("counter")
            opened.append(CounterWindow(clerk_client, counter_printer_for(clerk_client, data_dir),
                                        tz=office.tz))
        if "supervisor" in windows:
            from ui.supervisor.window import SupervisorWindow

            opened.append(SupervisorWindow(office.client("supervisor"), tz=office.tz))
        if "admin" in windows:
            from ui.admin.window import AdminWindow

            opened.append(AdminWindow(office.client("admin"), tz=office.tz))
        if "display" in windows:
            tv_client = office.client("display")
            display = DisplayWindow(tv_client, Announcer(QtSpeaker()), tz=office.tz,
                                    sync_status=tv_client.sync_status)
            opened.append(display)
        # In the order asked for: the first gets the best place and ends up in front.
        order = {name: index for index, name in enumerate(windows)}
        in_order = sorted(opened, key=lambda w: order[ROLES[w.objectName()]])
        screen = app.primaryScreen().availableGeometry()
        if windowed:
            place_windows(in_order, screen)
        for window in in_order:
            if windowed:
                window.show()
            else:
                window.showFullScreen()
        for window in reversed(in_order):
            window.raise_()
        # The windows first: the LAN API and the hub's services load once one is on screen.
        report = first_window_report(app)  # CAC_APP_QUIT_AFTER_SHOWN: bench/app_start.py

        def on_first_window() -> None:
            if windowed:  # again: a window whose contents grow with it (the kiosk's
                place_windows(in_order, screen)  # buttons) knows its real minimum only now
            log.info("Windows: %s", describe_windows(in_order, screen))
            if report is not None:
                report()
            office.start_background()
            if on_ready is not None:
                on_ready()

        after_first_window(app, opened, on_first_window, BACKGROUND_FALLBACK_MS)
        app.exec()
    finally:
        office.stop_calls()
        for window in opened:
            shutdown = getattr(window, "shutdown", None)
            if callable(shutdown):
                shutdown()
        log.info("Windows shut down: %s", ", ".join(w.objectName() for w in opened))
        office.close()
    return 0


def cmd_app(args: argparse.Namespace) -> int:
    data_dir = DataDir.from_option(args.data_dir)
    return run_app(data_dir, parse_windows(args.windows), windowed=args.windowed,
                   host=args.host, port=args.port, lan=not args.no_lan,
                   insecure_http=args.insecure_http)


def launch_demo(data_dir: DataDir, port: int, on_ready: Callable[[], None] | None = None
                ) -> int:
    """`cac demo`'s all-in-one start: the kiosk, the TV and a counter in windows fitted to the
    screen, the hub on loopback; `on_ready` once they are up (the demo says what to do)."""
    return run_app(data_dir, DEMO_WINDOWS, windowed=True, host="127.0.0.1", port=port,
                   on_ready=on_ready)
