"""Ticket printing: render a ticket, build its ESC/POS job, open a printer from its URL, spool jobs.

Never imports `kiosk`: the kiosk hands over a plain `TicketPrint` and a small job store.
"""

from __future__ import annotations

from printers.escpos_job import MODES, ProfileError, build_job, printer_profile
from printers.fonts import FontMissingError, check_font
from printers.layout import TicketPrint
from printers.spooler import ClaimedJob, JobStore, Outcome, Spooler, SpoolSettings
from printers.status import PrinterError, PrinterStatus
from printers.ticket import render_ticket
from printers.transports import PrinterUrlError, open_printer, parse_url

__all__ = [
    "MODES", "ClaimedJob", "FontMissingError", "JobStore", "Outcome", "PrinterError", "PrinterStatus",
    "PrinterUrlError", "ProfileError", "SpoolSettings", "Spooler", "TicketPrint", "build_job", "check_font",
    "open_printer",
    "parse_url", "printer_profile", "render_ticket",
]
