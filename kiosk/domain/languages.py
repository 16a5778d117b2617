"""The languages the office speaks to citizens and staff, and the marker for messages the screens translate."""

from __future__ import annotations

LANGUAGES = ("vi", "en", "zh")  # Vietnamese first


def _(message: str) -> str:
    """Mark a message for the catalogue; the screen translates it where it shows it (the domain has no locale)."""
    return message
