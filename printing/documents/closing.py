"""The cierre de caja: one clerk's receipts of one business day, totals and signatures.

`closing_rows` and `method_totals` are shared by the thermal layout here and the A4 PDF
(printing.pdf.closing), so both list the same receipts in the same order with the same totals.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kiosk.services.expediente_views import CashClosing
from printing.blocks import Block, Cut, Feed, Layout, Pair, ReprintMark, Rule, Text, paper
from printing.documents.common import (
    DEFAULT_TIMEZONE,
    METHOD_TEXT,
    clock_time,
    date_time,
    long_date,
    method_text,
)
from printing.layout import soles

TITLE = "CIERRE DE CAJA"
SIGNATURES = ("Cajero(a)", "Tesorería / Supervisor(a)")
SHORT_METHOD = {"Banco de la Nación": "B. Nación"}  # thermal rows


@dataclass(frozen=True)
class ClosingRow:
    number: int
    receipt_number: str
    time: str  # "08:15", office time
    expediente_number: str
    method: str  # "Efectivo", "Banco de la Nación"
    voucher_number: str  # "" for cash
    amount: Decimal


def closing_rows(closing: CashClosing, timezone: str = DEFAULT_TIMEZONE) -> list[ClosingRow]:
    """The day's receipts in the order they were paid."""
    lines = sorted(closing.lines, key=lambda line: (line.paid_at, line.receipt_number))
    return [ClosingRow(n, line.receipt_number, clock_time(line.paid_at, timezone),
                       line.expediente_number, method_text(line.method),
                       line.voucher_number or "", line.amount)
            for n, line in enumerate(lines, start=1)]


def method_totals(closing: CashClosing) -> list[tuple[str, Decimal]]:
    """Total per payment method: cash and Banco de la Nación always (even S/ 0.00), then any
    other method the hub reports."""
    totals = dict.fromkeys(METHOD_TEXT, Decimal("0"))
    totals.update(closing.by_method)
    return [(method_text(method), amount) for method, amount in totals.items()]


def exemption_rows(closing: CashClosing) -> list[tuple[str, str]]:
    """The exemptions of the day, counted apart from the money: (what, «N · S/ x»)."""
    return [(f"{e.name} ({e.basis})", f"{e.count} · {soles(e.amount)}")
            for e in closing.exemptions]


def clerk_text(closing: CashClosing) -> str:
    if closing.username and closing.username != closing.clerk:
        return f"{closing.clerk} ({closing.username})"
    return closing.clerk


def cierre_layout(
    closing: CashClosing,
    office_name: str,
    *,
    municipality: str = "",
    reprint: bool = False,
    width_mm: int = 80,
    timezone: str = DEFAULT_TIMEZONE,
) -> Layout:
    """The thermal cierre de caja of `closing`, marked REIMPRESIÓN when `reprint`."""
    paper(width_mm)
    blocks: list[Block] = []
    if municipality:
        blocks.append(Text(municipality, align="center", bold=True))
    blocks += [
        Text(office_name, align="center"),
        Rule(),
        Text(TITLE, align="center", bold=True, size=2, fit=True),
        Text(long_date(closing.business_date), align="center", bold=True),
        ReprintMark(),
        Text(f"Cajero(a): {clerk_text(closing)}"),
        Text(f"Emitido: {date_time(closing.generated_at, timezone)}"),
        Rule(),
    ]
    rows = closing_rows(closing, timezone)
    if rows:
        blocks.append(Pair("Recibo", "Importe", bold=True))
    for row in rows:
        # Three short rows so that 58 mm paper needs no wrapping.
        blocks.append(Pair(row.receipt_number, soles(row.amount)))
        method = SHORT_METHOD.get(row.method, row.method)
        blocks.append(Text(f"{row.time} {row.expediente_number} {method}"))
        if row.voucher_number:
            blocks.append(Text(f"Voucher N.° {row.voucher_number}"))
    if not rows:
        blocks.append(Text("Sin cobros en el día.", align="center"))
    blocks += [
        Rule(),
        Pair("Cantidad de recibos", str(closing.count), bold=True),
        *(Pair(name, soles(amount)) for name, amount in method_totals(closing)),
        Rule("="),
        Pair("TOTAL", soles(closing.total), bold=True, size=2),
        Rule("="),
    ]
    if closing.exemptions:
        blocks.append(Text("EXONERACIONES (no cobradas)", bold=True))
        for what, figures in exemption_rows(closing):
            blocks += [Text(what), Pair("  Cantidad · monto", figures)]
        blocks.append(Rule("="))
    for caption, name in zip(SIGNATURES, (closing.clerk, ""), strict=True):
        blocks += [Feed(3), Text("_" * 28, align="center")]
        if name:
            blocks.append(Text(name, align="center", bold=True))
        blocks.append(Text(caption, align="center"))
    blocks += [Feed(), Cut()]
    return Layout(tuple(blocks), reprint=reprint)


__all__ = ["ClosingRow", "cierre_layout", "clerk_text", "closing_rows", "exemption_rows",
           "method_totals"]
