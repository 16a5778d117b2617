"""Telling this process's print spooler that a job is waiting."""

from __future__ import annotations

from flask import current_app


def wake_spooler() -> None:
    """Start printing now rather than at the spooler's next poll."""
    spooler = current_app.extensions.get("printing")
    if spooler is not None:
        spooler.poke()
