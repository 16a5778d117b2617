"""The citizen's phone pages (`/t/<token>`)."""

from __future__ import annotations

from kiosk.web.phone.views import bp

__all__ = ["bp"]
