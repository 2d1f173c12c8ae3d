"""Identifiers: UUIDv7 for rows (time-ordered, so inserts stay local in the index)."""

from __future__ import annotations

import secrets

import uuid6


def new_id() -> str:
    return str(uuid6.uuid7())


def new_token() -> str:
    """A device token: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)
