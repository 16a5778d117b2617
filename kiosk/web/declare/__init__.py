"""Declaring ahead on the citizen's own phone (`/declare`): the TK01 / TK01a steps, then a code to check in with."""

from __future__ import annotations

from kiosk.web.declare.views import bp

__all__ = ["bp"]
