"""The counter console (`/staff`)."""

from __future__ import annotations

from kiosk.web.staff.views import bp

__all__ = ["bp"]
