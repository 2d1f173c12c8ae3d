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
from smoke import SmokeFailure, check_screenshots

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
    except SmokeFailure as failure:
        print(f"FAILED  {failure}", file=sys.stderr)
        return 1
    print("wheel check passed")
    return 0


def check_wheel() -> None:
    # From the sdist, as pip and PyPI would: nothing the sdist leaves out reaches the wheel.
    run(sys.executable, "-m", "build", "--outdir", WHEELS, ROOT)
    wheel = max(WHEELS.glob(f"cac_kiosk-{version()}-*.whl"), key=lambda p: p.stat().st_mtime)
    print(f"ok  built {wheel.name}")
    with tempfile.TemporaryDirectory(prefix="cac-wheel-") as tmp:
        env = Path(tmp) / "venv"
        venv.create(env, with_pip=True)
        bin_dir = env / ("Scripts" if os.name == "nt" else "bin")
        python = bin_dir / ("python.exe" if os.name == "nt" else "python")
        run(python, "-m", "pip", "install", "--quiet", f"{wheel}[ui]")
        print("ok  pip install of the wheel with its windows ([ui]) on a clean venv")
        cac = bin_dir / ("cac.exe" if os.name == "nt" else "cac")
        said = run(cac, "--version").strip()
        if said != f"cac {version()}":
            raise SmokeFailure(f"`cac --version` says {said!r}")
        print(f"ok  `cac --version` says {said!r}")
        site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))")
                    .strip())
        missing = [str(path) for path in data_files() if not (site / path).is_file()]
        if missing:
            raise SmokeFailure(f"data files not installed: {missing}")
        print(f"ok  {len(data_files())} declared data files installed")
        office = Path(tmp) / "oficina"
        run(cac, "init", "--data-dir", office, "--office", "WHL", "--name", "CAC Rueda")
        if not (office / "config.toml").is_file():
            raise SmokeFailure("`cac init` made no office")
        print("ok  `cac init` created the office (its migrations ran from the wheel)")
        check_screenshots(cac, Path(tmp) / "capturas")  # the windows, as in the smoke run


if __name__ == "__main__":
    sys.exit(main())
