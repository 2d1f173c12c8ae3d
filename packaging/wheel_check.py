"""The wheel on a clean virtual environment (`make wheel`, CI): `pip install` of
dist/wheel/cac_kiosk-*.whl[ui] as an IT clerk or pipx would, then `cac --version`, `cac init`,
every declared data file (migrations, seed, templates, assets) where the program looks, and
`cac screenshots`: every window drawn from the installed wheel.
Standard library only; the network is used for PyPI alone (pip installing the dependencies).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

from datafiles import ROOT, data_files, version
from smoke import SmokeFailure, check, check_screenshots, tally

WHEELS = ROOT / "dist" / "wheel"


def run(*command: str | Path) -> str:
    done = subprocess.run([str(word) for word in command], capture_output=True, text=True,
                          encoding="utf-8", errors="replace", timeout=1200)
    if done.returncode != 0:
        raise SmokeFailure(f"{' '.join(map(str, command))} ended with {done.returncode}:\n"
                           f"{done.stdout}\n{done.stderr}")
    return done.stdout


def main() -> int:
    try:
        check_wheel()
    except (SmokeFailure, subprocess.TimeoutExpired) as failure:
        print(f"FAILED  {failure}", file=sys.stderr)
        print(tally("wheel", 1))
        return 1
    print(tally("wheel", 0))
    return 0


def check_wheel() -> None:
    # From the sdist, as pip and PyPI would: nothing the sdist leaves out reaches the wheel.
    run(sys.executable, "-m", "build", "--outdir", WHEELS, ROOT)
    wheel = max(WHEELS.glob(f"cac_kiosk-{version()}-*.whl"), key=lambda p: p.stat().st_mtime)
    check(wheel.is_file(), f"built {wheel.name}")
    with tempfile.TemporaryDirectory(prefix="cac-wheel-") as tmp:
        env = Path(tmp) / "venv"
        venv.create(env, with_pip=True)
        bin_dir = env / ("Scripts" if os.name == "nt" else "bin")
        python = bin_dir / ("python.exe" if os.name == "nt" else "python")
        run(python, "-m", "pip", "install", "--quiet", f"{wheel}[ui]")
        check(True, "pip install of the wheel with its windows ([ui]) on a clean venv")
        cac = bin_dir / ("cac.exe" if os.name == "nt" else "cac")
        said = run(cac, "--version").strip()
        check(said == f"cac {version()}", f"`cac --version` says {said!r}")
        site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))")
                    .strip())
        missing = [str(path) for path in data_files() if not (site / path).is_file()]
        check(not missing, f"{len(data_files())} declared data files installed"
              + (f"; missing: {missing}" if missing else ""))
        office = Path(tmp) / "oficina"
        run(cac, "init", "--data-dir", office, "--office", "WHL", "--name", "CAC Rueda")
        check((office / "config.toml").is_file(),
              "`cac init` created the office (its migrations ran from the wheel)")
        check_screenshots(cac, Path(tmp) / "capturas")  # the windows, as in the smoke run


if __name__ == "__main__":
    sys.exit(main())
