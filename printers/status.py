"""Real-time printer status (`DLE EOT`), decoded the way Epson-compatible printers answer it."""

from __future__ import annotations

from dataclasses import dataclass

# Printer status, offline cause, roll paper sensor: one byte back for each, in order, even mid-job.
STATUS_QUERY = b"\x10\x04\x01\x10\x04\x02\x10\x04\x04"
OFFLINE = 0x08  # n=1
COVER_OPEN, PAPER_END_STOP, ERROR = 0x04, 0x20, 0x40  # n=2
PAPER_NEAR_END, PAPER_END = 0x0C, 0x60  # n=4


@dataclass(frozen=True)
class PrinterStatus:
    state: str  # ok | offline | paper_out | cover_open | unknown
    detail: str | None = None

    @property
    def ready(self) -> bool:
        """Worth sending a ticket to: ok, or a printer that cannot tell (file, CUPS, a URL with `?status=off`)."""
        return self.state in ("ok", "unknown")


class PrinterError(Exception):
    """A print attempt failed; carries the printer state it left behind."""

    def __init__(self, state: str, detail: str) -> None:
        super().__init__(detail)
        self.state = state
        self.detail = detail


UNKNOWN = PrinterStatus("unknown", "the printer does not report its status")


def decode_status(answer: bytes) -> PrinterStatus:
    """Three status bytes to a state; fewer bytes means the printer does not speak DLE EOT."""
    if len(answer) < 3:
        return UNKNOWN
    printer, cause, paper = answer[0], answer[1], answer[2]
    if paper & PAPER_END or cause & PAPER_END_STOP:
        return PrinterStatus("paper_out", "out of paper")
    if cause & COVER_OPEN:
        return PrinterStatus("cover_open", "cover open")
    if cause & ERROR:
        return PrinterStatus("offline", "printer error (cutter jam or overheating)")
    if printer & OFFLINE:
        return PrinterStatus("offline", "printer offline")
    return PrinterStatus("ok", "paper low" if paper & PAPER_NEAR_END else None)
