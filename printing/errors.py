"""The one error type of the printing package: a stable code and a Spanish message."""

from __future__ import annotations

from kiosk.errors import CacError


class PrinterError(CacError):
    """A print could not be prepared or delivered (or the printer setting is wrong).

    Codes: offline, no_paper, timeout, usb_not_found, device_not_found, unavailable,
    bad_target, unsupported_codepage, cups_failed, file_error, failed, render_failed.
    """

    status = 503


def offline(detail: str = "") -> PrinterError:
    return PrinterError("offline", _join("La impresora no responde (sin conexión).", detail))


def no_paper(detail: str = "") -> PrinterError:
    return PrinterError("no_paper", _join("La impresora no tiene papel.", detail))


def timeout(detail: str = "") -> PrinterError:
    return PrinterError("timeout", _join("Tiempo de espera agotado al imprimir.", detail))


def bad_target(message: str) -> PrinterError:
    return PrinterError("bad_target", message)


def _join(message: str, detail: str) -> str:
    return f"{message} {detail}" if detail else message
