"""The frozen program's smoke run (`make package`, CI): what a municipality's PC runs.

Runs dist/cac/cac (cac.exe): `--version`, `init` into a temporary folder, `hub` and `central`
(on a SQLite file) on loopback ports until /health answers, and `screenshots`, every window
drawn offscreen; and checks the bundle holds every declared data file and the Qt plugins the
windows need, so a missing plugin, translation, font, icon, migration or template fails here,
not at the office.
Standard library only: it runs the build, it does not import it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from datafiles import ROOT, data_files, version

EXE = "cac.exe" if os.name == "nt" else "cac"
# Qt plugins the windows load by name at run time (PyInstaller's hooks choose them):
# the platforms (offscreen for this run, the PC's own for the office), SVG icons, sound,
# speech, TLS to the hub.
QT_PLUGINS = (
    "platforms/*offscreen*",
    "platforms/*windows*" if os.name == "nt" else "platforms/*xcb*",
    "imageformats/*svg*",
    "iconengines/*svg*",
    "multimedia/*",
    "texttospeech/*",
    "tls/*",
)
# One screenshot at least of each window and of the printed ticket (file-name prefixes).
WINDOWS = ("configurar-", "kiosk-", "display", "ventanilla-", "supervision-", "calificacion-",
           "administracion-", "impresion-")
HUB_START_S = 90.0
SCREENSHOTS_S = 900.0


class SmokeFailure(Exception):
    pass


PASSED: list[str] = []


def check(condition: bool, what: str) -> None:
    if not condition:
        raise SmokeFailure(what)
    PASSED.append(what)
    print(f"ok  {what}")


def tally(name: str, failed: int) -> str:
    """The closing line CI reads, as a test runner's."""
    return f"{name}: {len(PASSED)} passed, {failed} failed"


def run(cac: Path, *args: str, timeout: float = 120.0) -> str:
    done = subprocess.run([str(cac), *args], capture_output=True, text=True, timeout=timeout,
                          encoding="utf-8", errors="replace")
    if done.returncode != 0:
        raise SmokeFailure(f"`cac {' '.join(args)}` ended with {done.returncode}:\n"
                           f"{done.stdout}\n{done.stderr}")
    return done.stdout


def check_bundle(dist: Path) -> None:
    internal = dist / "_internal"
    missing = [str(path) for path in data_files() if not (internal / path).is_file()]
    check(not missing, f"{len(data_files())} declared data files in the bundle"
          + (f"; missing: {missing}" if missing else ""))
    plugins = internal / "PySide6" / "Qt" / "plugins"
    if not plugins.is_dir():
        plugins = internal / "PySide6" / "plugins"  # Windows wheels' layout
    absent = [pattern for pattern in QT_PLUGINS if not any(plugins.glob(pattern))]
    check(not absent, "Qt plugins " + ", ".join(QT_PLUGINS) + (f"; missing: {absent}"
                                                                 if absent else ""))
    metadata = list(internal.glob("cac_kiosk-*.dist-info/entry_points.txt"))
    check(bool(metadata) and "cac_kiosk.commands" in metadata[0].read_text("utf-8"),
          "the program's entry points (cac_kiosk-*.dist-info)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def check_hub(cac: Path, office: Path) -> None:
    check_serves(cac, "hub", ["--data-dir", str(office)], office.parent / "hub.log")


def check_central(cac: Path, folder: Path) -> None:
    """`cac central` on a SQLite file: its migrations, templates and HTTP stack (orjson, and
    httptools and uvloop where the bundle holds them) load in the frozen program."""
    database = folder / "central.sqlite3"
    check_serves(cac, "central", ["--database-url", f"sqlite:///{database.as_posix()}"],
                 folder / "central.log")


def check_serves(cac: Path, command: str, options: list[str], log: Path) -> None:
    """`cac <command>` on a loopback port answers /api/v1/health, and stops cleanly."""
    port = free_port()
    with log.open("w", encoding="utf-8") as out:
        server = subprocess.Popen([str(cac), command, *options, "--port", str(port)],
                                  stdout=out, stderr=subprocess.STDOUT)
    try:
        health = wait_for_health(server, command, f"http://127.0.0.1:{port}/api/v1/health",
                                 log)
        check(isinstance(health, dict) and health.get("status") == "ok",
              f"`cac {command}` answers /health on port {port}: {health}")
    finally:
        stop(server)
    if os.name != "nt":  # Windows has no SIGTERM: terminate() ends it on the spot
        check(server.returncode == 0, f"`cac {command}` stopped cleanly ({server.returncode})")


def wait_for_health(server: subprocess.Popen[bytes], command: str, url: str, log: Path
                    ) -> object:
    """Poll until the server answers, it dies, or HUB_START_S pass (a bounded wait)."""
    deadline = time.monotonic() + HUB_START_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SmokeFailure(f"`cac {command}` ended with {server.returncode}:\n"
                               + log.read_text("utf-8", "replace"))
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                return json.loads(answer.read())
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.wait(timeout=0.5)  # not up yet: ask again in half a second, or see it end
    raise SmokeFailure(f"`cac {command}`: /health gave no answer in {HUB_START_S:.0f} s:\n"
                       + log.read_text("utf-8", "replace"))


def stop(hub: subprocess.Popen[bytes]) -> None:
    if hub.poll() is not None:
        return
    if os.name == "nt":
        hub.terminate()
    else:
        hub.send_signal(signal.SIGTERM)  # `cac hub` ends with 0 after its clean-up
    try:
        hub.wait(timeout=30)
    except subprocess.TimeoutExpired:
        hub.kill()
        hub.wait(timeout=30)


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n":
        return (0, 0)
    width, height = struct.unpack(">II", head[16:24])
    return (width, height)


def check_screenshots(cac: Path, out: Path) -> None:
    listed = [Path(line) for line in
              run(cac, "screenshots", "--out", str(out), timeout=SCREENSHOTS_S).splitlines()
              if line.strip()]
    pictures = [path for path in listed if path.suffix == ".png"]
    empty = [path.name for path in pictures if min(png_size(path)) == 0
             or path.stat().st_size < 4096]
    check(bool(pictures) and not empty, f"{len(pictures)} screenshots in {out}, none empty"
          + (f"; empty: {empty}" if empty else ""))
    names = [path.name for path in pictures]
    absent = [prefix for prefix in WINDOWS if not any(n.startswith(prefix) for n in names)]
    check(not absent, "every window drawn" + (f"; missing: {absent}" if absent else ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist" / "cac")
    parser.add_argument("--screenshots", type=Path, default=ROOT / "dist" / "smoke-screenshots")
    args = parser.parse_args(argv)
    cac = args.dist / EXE
    started = time.monotonic()
    try:
        check(cac.is_file(), f"the frozen program {cac}")
        check_bundle(args.dist)
        said = run(cac, "--version").strip()
        check(said == f"cac {version()}", f"`cac --version` says {said!r}")
        with tempfile.TemporaryDirectory(prefix="cac-smoke-") as tmp:
            office = Path(tmp) / "oficina"
            run(cac, "init", "--data-dir", str(office), "--office", "SMK",
                "--name", "CAC Prueba de instalación")
            check((office / "config.toml").is_file(), "`cac init` created the office")
            check_hub(cac, office)
            check_central(cac, Path(tmp))
        check_screenshots(cac, args.screenshots)
    except (SmokeFailure, subprocess.TimeoutExpired) as failure:
        print(f"FAILED  {failure}", file=sys.stderr)
        print(tally("smoke", 1))
        return 1
    print(f"smoke run passed in {time.monotonic() - started:.0f} s")
    print(tally("smoke", 0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
