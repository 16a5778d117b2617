"""Staff sign-in (`/login`, `/logout`)."""

from __future__ import annotations

from kiosk.web.auth.views import bp

__all__ = ["bp"]
