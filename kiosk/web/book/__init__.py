"""Booking a time on the citizen's own phone (`/book`): service, day, slot, ID number and phone, then a code."""

from __future__ import annotations

from kiosk.web.book.views import bp

__all__ = ["bp"]
