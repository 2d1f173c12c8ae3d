"""Logging to the office's logs folder (rotated) and to the console."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path


def configure_logging(logs_dir: Path | None, verbose: bool = False) -> None:
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    if logs_dir is not None:
        logs_dir.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            logs_dir / "hub.log", maxBytes=5_000_000, backupCount=5, encoding="utf-8")
        handler.setFormatter(formatter)
        root.addHandler(handler)
