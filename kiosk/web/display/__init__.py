"""The hall display (`/display`)."""

from __future__ import annotations

from kiosk.web.display.views import bp

__all__ = ["bp"]
