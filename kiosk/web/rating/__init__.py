"""The rating pad beside a counter (`/rate`)."""

from __future__ import annotations

from kiosk.web.rating.views import bp

__all__ = ["bp"]
