"""Errors the core raises. `code` is stable for programs; `message` is Spanish for people."""

from __future__ import annotations


class CacError(Exception):
    """Base of every error the product reports to a person."""

    status = 400

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def to_json(self) -> dict[str, dict[str, str]]:
        return {"error": {"code": self.code, "message": self.message}}


class InvalidInput(CacError):
    status = 422


class NotFound(CacError):
    status = 404


class Conflict(CacError):
    """The request is well formed but the current state does not allow it."""

    status = 409


class Unauthorized(CacError):
    status = 401


class Forbidden(CacError):
    status = 403


class RateLimited(CacError):
    """Too many failed attempts: refused without checking, for `retry_after` seconds (the API
    answers 429 with a Retry-After header; the message says when to try again)."""

    status = 429

    def __init__(self, code: str, message: str, retry_after: int) -> None:
        super().__init__(code, message)
        self.retry_after = max(1, retry_after)


class ConfigError(CacError):
    status = 500


class StorageError(CacError):
    status = 503


class HubUnavailable(CacError):
    """The hub could not be reached (network down, hub restarting)."""

    status = 503


class UpgradeRequired(CacError):
    """The other side speaks a newer protocol: this program must be updated."""

    status = 426
