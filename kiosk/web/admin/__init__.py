"""The supervisor's desk (`/admin`)."""

from __future__ import annotations

from kiosk.web.admin import settings, views  # noqa: F401  (pages register on bp)
from kiosk.web.admin.blueprint import bp

__all__ = ["bp"]
