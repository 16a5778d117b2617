"""Telling this process's print spooler that a job is waiting, and why a ticket was not printed again."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _

from kiosk.domain.printing.jobs import ReprintRefusedError


def wake_spooler() -> None:
    """Start printing now rather than at the spooler's next poll."""
    spooler = current_app.extensions.get("printing")
    if spooler is not None:
        spooler.poke()


def reprint_refusal(refused: ReprintRefusedError) -> str:
    """In the reader's language, for the kiosk, the desk and the API alike."""
    if refused.reason == "not_waiting":
        return _("Ticket %(number)s no longer waits today, so it is not printed again.", number=refused.number)
    return _("Ticket %(number)s has already been printed again as often as it may be.", number=refused.number)
