"""Identifiers: UUIDv7 for rows (time-ordered, so inserts stay local in the index)."""

from __future__ import annotations

import secrets

import uuid6


def new_id() -> str:
    return str(uuid6.uuid7())


def new_token() -> str:
    """A device, session or hub token: 256 random bits, URL-safe.

    Never one that begins with "-": on a command line (`--token T`, `--credential C`) argparse
    would take it for an option. One in 64 would; drawing again keeps the tokens uniform over
    the rest."""
    while (token := secrets.token_urlsafe(32)).startswith("-"):
        pass
    return token
