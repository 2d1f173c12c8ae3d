"""Generated offices a bench reuses between runs (search.py, stats_year.py): built once under
the cache folder, keyed by the bench's parameters, its generator version and the schema
revision, so a new migration or a new generator rebuilds them; the ones no run can reuse any
more are removed when a new one is built (a full search office is 2 GB)."""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from kiosk.storage.migrate import head_revision

Log = Callable[[str], None]


def add_cache_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cache-dir", default=None,
                        help="where generated offices are kept (default: "
                             "<temp>/cac-bench-cache)")
    parser.add_argument("--rebuild", action="store_true", help="regenerate the data set")


def cache_dir_of(args: argparse.Namespace) -> Path:
    return (Path(args.cache_dir).expanduser().resolve() if args.cache_dir
            else Path(tempfile.gettempdir()) / "cac-bench-cache")


def version_suffix(generator_version: int) -> str:
    """What ends the key of every office the current code would build."""
    return f"-g{generator_version}-r{head_revision()}"


def cached_office(cache_dir: Path, family: str, parameters: str, generator_version: int,
                  rebuild: bool, build: Callable[[Path], None], log: Log) -> tuple[Path, bool]:
    """The office `<family>-<parameters>-g<version>-r<revision>`: reused when it is there, or
    built by `build(folder)` into a folder of its own and renamed when complete, so a run that
    dies never leaves a half-built office for the next one to trust."""
    current = version_suffix(generator_version)
    target = cache_dir / f"{family}-{parameters}{current}"
    if target.exists() and not rebuild:
        return target, True
    cache_dir.mkdir(parents=True, exist_ok=True)
    prune_stale(cache_dir, family, current, log)
    shutil.rmtree(target, ignore_errors=True)
    building = cache_dir / f"{target.name}.building-{os.getpid()}"
    shutil.rmtree(building, ignore_errors=True)
    log(f"generating {target} (once; later runs reuse it)")
    build(building)
    building.rename(target)
    return target, False


def prune_stale(cache_dir: Path, family: str, current: str, log: Log) -> None:
    """The family's offices no run can reuse: built by another generator version or for another
    schema revision, or left half-built by a run that died."""
    for folder in cache_dir.glob(f"{family}-*"):
        name = folder.name
        if ".building-" in name:
            if _alive(int(name.rsplit("-", 1)[1])):
                continue  # another run is building it now
        elif name.endswith(current):
            continue  # another size or seed, still current
        log(f"removing a stale cached office: {folder}")
        shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True
