"""The installed program starts: the console script answers, and `cac hub` serves."""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.conftest import RATED_AT, RunningHub

CAC = str(Path(sys.executable).with_name("cac"))


def test_the_console_script_and_module_answer() -> None:
    for command in ([CAC, "--version"], [sys.executable, "-m", "kiosk", "--version"]):
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0 and result.stdout.startswith("cac ")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.system
def test_cac_hub_starts_and_serves(tmp_path: Path) -> None:
    office = str(tmp_path / "office")
    subprocess.run([CAC, "init", "--data-dir", office, "--office", "CAJ", "--name", "CAC",
                    "--demo"], check=True, capture_output=True, timeout=60)
    token = json.loads(subprocess.run(
        [CAC, "device", "add", "--data-dir", office, "--role", "kiosk", "--name", "Q",
         "--json"], check=True, capture_output=True, text=True, timeout=60).stdout)["token"]
    port = _free_port()
    stderr_path = tmp_path / "hub-stderr.txt"
    with stderr_path.open("wb") as stderr, subprocess.Popen(
        [CAC, "hub", "--data-dir", office, "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=stderr,
    ) as hub:
        _exercise_hub(hub, port, token, stderr_path)
    assert (tmp_path / "office" / "logs" / "hub.log").exists()


def _wait_for_health(process: subprocess.Popen[Any], url: str, stderr: Path) -> dict[str, str]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            return dict(requests.get(f"{url}/health", timeout=1).json())
        except requests.ConnectionError:
            time.sleep(0.1)  # the server is still starting: poll, bounded by the deadline
    raise AssertionError(stderr.read_text("utf-8"))


def _exercise_hub(hub: subprocess.Popen[bytes], port: int, token: str, stderr: Path) -> None:
    try:
        url = f"http://127.0.0.1:{port}/api/v1"
        assert _wait_for_health(hub, url, stderr)["office"] == "CAJ"
        ticket = requests.post(f"{url}/tickets", json={"service": "partidas"}, timeout=5,
                               headers={"Authorization": f"Bearer {token}"})
        assert ticket.status_code == 201 and ticket.json()["number"] == "A-001"
    finally:
        hub.terminate()
        hub.wait(timeout=20)


@pytest.mark.system
def test_cac_app_opens_its_windows_and_serves_the_lan(tmp_path: Path) -> None:
    office = tmp_path / "office"
    subprocess.run([CAC, "init", "--data-dir", str(office), "--office", "CAJ", "--name", "CAC",
                    "--demo"], check=True, capture_output=True, timeout=60)
    port = _free_port()
    stderr_path = tmp_path / "app-stderr.txt"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with stderr_path.open("wb") as stderr, subprocess.Popen(
        [CAC, "app", "--data-dir", str(office), "--port", str(port), "--windowed"],
        stdout=subprocess.DEVNULL, stderr=stderr, env=env,
    ) as app:
        try:
            health = _wait_for_health(app, f"http://127.0.0.1:{port}/api/v1", stderr_path)
            assert health["office"] == "CAJ"
            # The windows registered themselves as this PC's kiosk and display devices.
            devices = json.loads((office / "app-devices.json").read_text("utf-8"))
            assert set(devices) == {"kiosk", "display"}
            assert app.poll() is None
        finally:
            app.terminate()
            app.wait(timeout=20)


@pytest.mark.system
def test_window_commands_refuse_a_bad_hub_address(tmp_path: Path) -> None:
    result = subprocess.run([CAC, "kiosk", "--hub", "192.168.1.10", "--token", "x"],
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 2 and "no es válida" in result.stderr


# --- the newcomer's path (issue 15) --------------------------------------------------------

QUIET_QT = ("qt.", "Couldn't", "propagateSizeHints", "PulseAudio", "text-to-speech", "FFmpeg")
# A display that cannot exist (X display numbers go up to a few hundred at most in practice).
NO_SUCH_DISPLAY = ":4095"
SCREEN_1366 = {"screens": [{"name": "portátil", "x": 0, "y": 0, "width": 1366, "height": 768,
                            "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}


class Program:
    """A `cac` program in a subprocess: its stdout read line by line, its stderr in a file."""

    def __init__(self, command: list[str], tmp_path: Path, name: str,
                 env: dict[str, str] | None = None) -> None:
        self.stderr_path = tmp_path / f"{name}-stderr.txt"
        with self.stderr_path.open("wb") as stderr:
            self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr,
                                            text=True, env=env)
        self.output: list[str] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        with self.process.stdout:
            for line in self.process.stdout:
                self._lines.put(line)
        self._lines.put(None)

    @property
    def stderr(self) -> str:
        return self.stderr_path.read_text("utf-8")

    def wait_for(self, text: str, timeout: float = 120) -> None:
        """Until a line of stdout says `text` (bounded)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self._lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                line = None
            if line is None:
                raise AssertionError(f"«{text}» never came:\n{''.join(self.output)}\n"
                                     f"{self.stderr}")
            self.output.append(line)
            if text in line:
                return

    def stop(self, signum: signal.Signals, timeout: float = 60) -> int:
        """Send the signal and wait, bounded, for the end; its exit code."""
        self.process.send_signal(signum)
        try:
            return self.process.wait(timeout=timeout)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait(timeout=10)
            self._reader.join(timeout=10)  # the end of its stdout, then closed

    def end(self) -> None:
        """Whatever happened in the test, leave no program running."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self._reader.join(timeout=10)

    def rest(self) -> str:
        """All of stdout, once the program has ended."""
        while (line := self._lines.get(timeout=10)) is not None:
            self.output.append(line)
        return "".join(self.output)


Spawn = Callable[..., Program]


@pytest.fixture
def spawn(tmp_path: Path) -> Iterator[Spawn]:
    """spawn(command, name, env=None) -> a started Program, ended after the test."""
    started: list[Program] = []

    def make(command: list[str], name: str, env: dict[str, str] | None = None) -> Program:
        started.append(Program(command, tmp_path, name, env))
        return started[-1]

    yield make
    for program in started:
        program.end()


def _offscreen(**extra: str) -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", **extra}


def _new_office(tmp_path: Path) -> Path:
    office = tmp_path / "office"
    subprocess.run([CAC, "init", "--data-dir", str(office), "--office", "CAJ", "--name", "CAC",
                    "--demo"], check=True, capture_output=True, timeout=60)
    return office


def _ended_cleanly(program: Program, code: int) -> None:
    assert code == 0, program.stderr
    assert "Traceback" not in program.stderr and "Error calling Python" not in program.stderr


def _store_closed(office: Path) -> bool:
    """SQLite removes the write-ahead log when the last connection closes cleanly."""
    return not (office / "cac.sqlite3-wal").exists()


@pytest.mark.system
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_cac_hub_ends_cleanly_on_ctrl_c_and_sigterm(tmp_path: Path, spawn: Spawn,
                                                    signum: signal.Signals) -> None:
    office = _new_office(tmp_path)
    port = _free_port()
    hub = spawn([CAC, "hub", "--data-dir", str(office), "--port", str(port)], "hub")
    _wait_for_health(hub.process, f"http://127.0.0.1:{port}/api/v1", hub.stderr_path)
    _ended_cleanly(hub, hub.stop(signum))
    assert _store_closed(office)


@pytest.mark.system
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_cac_central_ends_cleanly_on_ctrl_c_and_sigterm(tmp_path: Path, spawn: Spawn,
                                                        signum: signal.Signals) -> None:
    database = tmp_path / "central.sqlite3"
    port = _free_port()
    central = spawn([CAC, "central", "--database-url", f"sqlite:///{database}",
                     "--port", str(port)], "central")
    _wait_for_health(central.process, f"http://127.0.0.1:{port}/api/v1", central.stderr_path)
    _ended_cleanly(central, central.stop(signum))


@pytest.mark.system
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_cac_app_ends_cleanly_on_ctrl_c_and_sigterm(tmp_path: Path, spawn: Spawn,
                                                    signum: signal.Signals) -> None:
    office = _new_office(tmp_path)
    app = spawn([CAC, "app", "--data-dir", str(office), "--port", str(_free_port()),
                 "--windowed", "--windows", "kiosk,display,counter"], "app",
                _offscreen(CAC_APP_QUIT_AFTER_SHOWN="600"))
    app.wait_for("first window shown")
    _ended_cleanly(app, app.stop(signum))
    log = (office / "logs" / "hub.log").read_text("utf-8")
    assert "Windows shut down: kioskWindow, counterWindow, display" in log
    assert "Hub closed" in log and _store_closed(office)
    assert not any(noise in app.stderr for noise in QUIET_QT)  # Qt's messages are in the log
    assert "propagateSizeHints" in log


@pytest.mark.system
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_window_programs_end_cleanly_on_ctrl_c_and_sigterm(
        tmp_path: Path, spawn: Spawn, server: RunningHub, tokens: dict[str, str],
        signum: signal.Signals) -> None:
    for window, token, extra in (("kiosk", tokens["kiosk"], []),
                                 ("display", tokens["display"], ["--mute"]),
                                 ("counter", tokens["counter"], []),
                                 ("supervisor", tokens["supervisor"], []),
                                 ("admin", tokens["admin"], []),
                                 ("rating", tokens["rating"], ["--counter", str(RATED_AT)])):
        program = spawn([CAC, window, "--hub", server.url, "--token", token, "--windowed",
                         "--data-dir", str(tmp_path / "pc"), *extra], window,
                        _offscreen(CAC_APP_QUIT_AFTER_SHOWN="600"))
        program.wait_for("first window shown")
        _ended_cleanly(program, program.stop(signum))
        assert not any(noise in program.stderr for noise in QUIET_QT), window


@pytest.fixture(scope="module")
def demo_office(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo office prepared once (a Friday at 10:30) for the tests that start `cac demo`."""
    root = tmp_path_factory.mktemp("demo") / "office"
    subprocess.run([CAC, "demo", "--data-dir", str(root), "--no-serve", "--at",
                    "2026-11-20T10:30"], check=True, capture_output=True, timeout=600)
    return root


@pytest.mark.system
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_the_demo_says_what_to_do_next_and_ends_cleanly(
        demo_office: Path, spawn: Spawn, signum: signal.Signals) -> None:
    port = _free_port()
    demo = spawn([CAC, "demo", "--data-dir", str(demo_office), "--port", str(port)], "demo",
                 _offscreen(CAC_APP_QUIT_AFTER_SHOWN="600"))
    demo.wait_for("Para detener todo: Ctrl+C.")
    said = "".join(demo.output)
    credentials = json.loads((demo_office / "demo-credenciales.json").read_text("utf-8"))
    assert "Qué hacer ahora" in said and "ana / 2468" in said
    for window, device in (("supervisor", "Supervisión"), ("admin", "Administración")):
        assert (f" {window} --hub http://127.0.0.1:{port} "
                f"--token={credentials[device]['token']}") in said
    assert not any(noise in said + demo.stderr for noise in QUIET_QT)
    _ended_cleanly(demo, demo.stop(signum))
    assert _store_closed(demo_office)


@pytest.mark.system
def test_the_demo_without_a_usable_screen_says_why_and_serves_the_hub(
        demo_office: Path, spawn: Spawn) -> None:
    """An X display Qt cannot use (here: none answers; on a PC without libxcb-icccm4 and
    libxcb-keysyms1, those libraries) made Qt abort the whole demo with SIGABRT."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE")}
    env["DISPLAY"] = NO_SUCH_DISPLAY
    port = _free_port()
    demo = spawn([CAC, "demo", "--data-dir", str(demo_office), "--port", str(port)], "demo",
                 env)
    demo.wait_for("Se inicia solo el hub")
    assert "No se pueden abrir las ventanas" in "".join(demo.output)
    assert _wait_for_health(demo.process, f"http://127.0.0.1:{port}/api/v1",
                            demo.stderr_path)["office"] == "CAJ"
    _ended_cleanly(demo, demo.stop(signal.SIGTERM))
    assert "Qué hacer ahora" in demo.rest()


def _patched_plugin(tmp_path: Path) -> Path:
    """A copy of Qt's X11 plugin that needs a library no system has (same-length name)."""
    from PySide6.QtCore import QLibraryInfo

    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    original = (plugins / "platforms" / "libqxcb.so").read_bytes()
    assert original.count(b"libQt6XcbQpa.so.6\0") == 1
    copy = tmp_path / "platforms" / "libqxcb.so"
    copy.parent.mkdir()
    copy.write_bytes(original.replace(b"libQt6XcbQpa.so.6\0", b"libcac-missing.so\0"))
    return copy


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Qt's X11 plugin")
def test_a_missing_system_library_is_named_with_its_package(tmp_path: Path) -> None:
    from ui.qt_app import debian_package, plugin_problem

    problem = plugin_problem(_patched_plugin(tmp_path))
    assert problem is not None and "libcac-missing.so" in problem
    assert "apt-get install" in problem and "README" in problem
    assert [debian_package(name) for name in (
        "libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxcb-cursor.so.0",
        "libxkbcommon-x11.so.0", "libX11-xcb.so.1", "libEGL.so.1")] == [
        "libxcb-icccm4", "libxcb-keysyms1", "libxcb-cursor0", "libxkbcommon-x11-0",
        "libx11-xcb1", "libegl1"]


@pytest.mark.system
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11")
def test_the_windows_open_on_a_real_x_server_with_the_readme_libraries(tmp_path: Path
                                                                        ) -> None:
    """Xvfb and the libraries of `.ci/system-packages` (the README's list): Qt's X11 plugin
    loads and the windows reach the screen."""
    from tests.system import require_system

    xvfb = shutil.which("Xvfb")
    require_system(xvfb is not None, "Xvfb", "apt-get install xvfb")
    assert xvfb is not None
    # A display number of its own: Xvfb's own choice (-displayfd alone) can collide with
    # another Xvfb starting at the same moment (two test runs), which then leaves.
    for attempt in range(10):
        number = 100 + (os.getpid() + 37 * attempt) % 800
        with subprocess.Popen([xvfb, f":{number}", "-displayfd", "1", "-screen", "0",
                               "1366x768x24", "-nolisten", "tcp"], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True) as server:
            assert server.stdout is not None
            try:
                # The number once it accepts clients, or nothing when that display is taken.
                if server.stdout.readline().strip() == str(number) and server.poll() is None:
                    _open_windows_on(f":{number}", tmp_path)
                    return
            finally:
                server.terminate()  # then waited for, leaving the `with`
    raise AssertionError("no free X display number for Xvfb")


def _open_windows_on(display: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE")}
    office = _new_office(tmp_path)
    result = subprocess.run(
        [CAC, "app", "--data-dir", str(office), "--no-lan", "--windowed",
         "--windows", "kiosk,display,counter"],
        capture_output=True, text=True, timeout=120,
        env={**env, "DISPLAY": display, "CAC_APP_QUIT_AFTER_SHOWN": "0"})
    log = office / "logs" / "hub.log"
    assert result.returncode == 0, result.stderr + (
        log.read_text("utf-8")[-3000:] if log.exists() else "")
    assert "first window shown" in result.stdout


@pytest.mark.system
def test_the_windows_fit_a_1366x768_screen(tmp_path: Path) -> None:
    office = _new_office(tmp_path)
    screen = tmp_path / "pantalla.json"
    screen.write_text(json.dumps(SCREEN_1366), "utf-8")
    result = subprocess.run(
        [CAC, "app", "--data-dir", str(office), "--no-lan", "--windowed",
         "--windows", "kiosk,display,counter"], capture_output=True, text=True, timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={screen}",
             "CAC_APP_QUIT_AFTER_SHOWN": "0"})
    assert result.returncode == 0, result.stderr
    [placed] = [line for line in (office / "logs" / "hub.log").read_text("utf-8").splitlines()
                if "Windows: " in line]
    geometry = re.findall(r"(\w+) (\d+)x(\d+)\+(-?\d+)\+(-?\d+) frame", placed)
    assert [name for name, *_ in geometry] == ["kioskWindow", "display", "counterWindow"]
    corners = set()
    for name, width, height, x, y in geometry:
        left, top, right, bottom = int(x), int(y), int(x) + int(width), int(y) + int(height)
        assert left >= 0 and top >= 0 and right <= 1366 and bottom <= 768, (name, placed)
        corners.add((left, top))
    assert len(corners) == 3, placed  # not all stacked at 0,0


# --- Spanish help, and credentials that begin with "-" ---


@pytest.mark.parametrize("command", [[], ["demo"], ["kiosk"], ["central", "office", "add"],
                                     ["sync", "setup"], ["device", "add"]])
def test_the_help_is_spanish_throughout(command: list[str],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    from kiosk.cli import main

    with pytest.raises(SystemExit) as ended:
        main([*command, "--help"])
    assert ended.value.code == 0
    shown = capsys.readouterr().out
    assert shown.startswith("uso: cac") and "opciones:" in shown
    assert "mostrar esta ayuda y salir" in shown
    for english in ("usage:", "options:", "show this help", "positional arguments"):
        assert english not in shown


def test_argument_errors_are_spanish(capsys: pytest.CaptureFixture[str]) -> None:
    from kiosk.cli import main

    for argv, said in ((["device", "add", "--role", "mesa", "--name", "X"], "valor no válido"),
                       (["device", "add", "--role", "kiosk"], "faltan argumentos obligatorios"),
                       (["stats", "--from", "2026-11-01", "--to"], "falta su valor"),
                       (["hub", "--port", "ocho"], "valor no válido"),
                       (["hub", "--puerto", "8"], "argumentos desconocidos")):
        with pytest.raises(SystemExit) as ended:
            main(argv)
        assert ended.value.code == 2
        error = capsys.readouterr().err
        assert error.startswith("uso: cac") and said in error, error
        assert "usage:" not in error and "invalid" not in error and "expected" not in error


def test_new_tokens_never_begin_with_a_dash() -> None:
    from kiosk.ids import new_token

    made = [new_token() for _ in range(2000)]  # with a 1-in-64 chance each, ~31 would
    assert not any(token.startswith("-") for token in made)
    assert len(set(made)) == 2000 and all(len(token) == 43 for token in made)


@pytest.mark.parametrize("written", [["--credential", "-AbC_dEf-123"],
                                     ["--credential=-AbC_dEf-123"]])
def test_a_credential_that_begins_with_a_dash_is_accepted(tmp_path: Path, written: list[str]
                                                          ) -> None:
    """As the README writes it (`--credential C`) and as `--credential=C`."""
    from kiosk.cli import main
    from kiosk.config import DataDir

    office = _new_office(tmp_path)
    assert main(["sync", "setup", "--data-dir", str(office), "--central",
                 f"http://127.0.0.1:{_free_port()}", *written]) == 0
    assert DataDir(office).load_config().central_credential == "-AbC_dEf-123"


@pytest.mark.system
def test_a_device_token_that_begins_with_a_dash_is_accepted() -> None:
    for written in (["--token", "-AbC_dEf-123"], ["--token=-AbC_dEf-123"]):
        result = subprocess.run([CAC, "kiosk", "--hub", "192.168.1.10", *written],
                                capture_output=True, text=True, timeout=60,
                                env=_offscreen())
        # Past the arguments: refused for the address, as with any token.
        assert result.returncode == 2 and "no es válida" in result.stderr, result.stderr
    # An option where the token should be is still a missing token.
    result = subprocess.run([CAC, "kiosk", "--hub", "https://h", "--token", "--windowed"],
                            capture_output=True, text=True, timeout=60, env=_offscreen())
    assert result.returncode == 2 and "falta su valor" in result.stderr


_SIGNAL_STOP_SCRIPT = """
import json, os, signal, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget
from ui.qt_app import stop_on_signals

class Window(QWidget):
    shut_down = 0

    def shutdown(self):
        self.shut_down += 1

    def closeEvent(self, event):
        self.shutdown()
        super().closeEvent(event)

app = QApplication(sys.argv)
results = []
for signum in (signal.SIGINT, signal.SIGTERM):
    windows = [Window(), Window()]
    for window in windows:
        window.show()
    stopper = stop_on_signals(app)
    try:
        QTimer.singleShot(0, lambda signum=signum: os.kill(os.getpid(), signum))
        code = app.exec()  # bounded: the signal above ends it
    finally:
        stopper.release()
    results.append({"code": code, "shut_down": [w.shut_down for w in windows],
                    "visible": [w.isVisible() for w in windows]})
print(json.dumps(results))
"""


def test_ctrl_c_and_sigterm_close_the_windows_through_their_shutdown() -> None:
    """The signal closes every window (closeEvent, which runs shutdown()) and ends the event
    loop with 0, instead of a KeyboardInterrupt inside some Qt callback. In a process of its
    own: once a QApplication's exec() has returned, Qt activates no window any more, which
    would fail every later window test of this session."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", _SIGNAL_STOP_SCRIPT], capture_output=True,
                          text=True, timeout=60, env=env, cwd=Path(__file__).parent.parent)
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout.strip().splitlines()[-1])
    assert results == [{"code": 0, "shut_down": [1, 1], "visible": [False, False]}] * 2
    assert "KeyboardInterrupt" not in done.stderr
