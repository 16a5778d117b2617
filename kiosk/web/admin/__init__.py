"""The supervisor's desk (`/admin`)."""

from __future__ import annotations

from kiosk.web.admin import (  # noqa: F401  (pages register on bp)
    bookings,
    calendar,
    complaints,
    plan,
    province,
    settings,
    views,
)
from kiosk.web.admin.blueprint import bp

__all__ = ["bp"]
