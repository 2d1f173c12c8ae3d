"""Logging to the office's logs folder (rotated) and to the console."""

from __future__ import annotations

import logging
import logging.handlers
from io import TextIOWrapper
from pathlib import Path
from typing import cast

from kiosk.private_files import private_dir, private_opener


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Its files are this user's alone (they name clerks and citizens' records); the rotated
    ones keep the mode, being renamed."""

    def _open(self) -> TextIOWrapper:
        return cast(TextIOWrapper, open(self.baseFilename, self.mode, encoding=self.encoding,
                                        errors=self.errors, opener=private_opener))


def configure_logging(logs_dir: Path | None, verbose: bool = False) -> None:
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    if logs_dir is not None:
        private_dir(logs_dir)
        handler = PrivateRotatingFileHandler(
            logs_dir / "hub.log", maxBytes=5_000_000, backupCount=5, encoding="utf-8")
        handler.setFormatter(formatter)
        root.addHandler(handler)
