"""What a ticket shows, top to bottom, written once: the image and the compact job both walk this layout."""

from __future__ import annotations

from dataclasses import dataclass

BASE_WIDTH = 576  # 80 mm paper at 203 dpi; sizes below are pixels on it, and 512 or 384 dots scale them down


@dataclass(frozen=True)
class TicketPrint:
    """Everything printed on one ticket, already translated; nothing personal."""

    office_name: str
    service_name: str
    number: str
    issued_at: str
    ahead_line: str
    wait_line: str
    qr_url: str
    priority_label: str | None
    citizen_line: str
    vietnamese_line: str | None
    footer: str | None = None
    declaration_line: str | None = None  # "declaration received" and its code (a code, nothing personal)


@dataclass(frozen=True)
class Text:
    """Centred text wrapped to the paper; the image keeps at most `lines` lines and may print it inverted."""

    text: str
    size: int
    bold: bool = False
    lines: int = 3
    inverted: bool = False


@dataclass(frozen=True)
class Rule:
    """A thin line across the paper between the heading and the number."""


@dataclass(frozen=True)
class Number:
    """The ticket number, drawn as big as the paper allows."""

    text: str


@dataclass(frozen=True)
class QrBlock:
    """The status QR with short lines of `size` pixels beside it (below it when the printer draws the QR)."""

    url: str
    lines: tuple[str, ...]
    size: int


Part = Text | Rule | Number | QrBlock  # each way of printing draws each kind its own way


def ticket_layout(ticket: TicketPrint) -> list[Part]:
    """The ticket's parts top to bottom, with their sizes; optional lines only when the ticket has them."""
    parts: list[Part] = [
        Text(ticket.office_name, 22, bold=True, lines=2),
        Text(ticket.service_name, 24, lines=2),
        Rule(),
        Number(ticket.number),
    ]
    if ticket.priority_label:
        parts.append(Text(ticket.priority_label, 24, bold=True, inverted=True))
    if ticket.declaration_line:
        parts.append(Text(ticket.declaration_line, 22, bold=True, lines=2))
    parts.append(QrBlock(ticket.qr_url, (ticket.issued_at, ticket.ahead_line, ticket.wait_line), 21))
    parts.append(Text(ticket.citizen_line, 20, lines=2))
    if ticket.vietnamese_line:
        parts.append(Text(ticket.vietnamese_line, 20, lines=2))
    if ticket.footer:
        parts.append(Text(ticket.footer, 18, lines=1))
    return parts
