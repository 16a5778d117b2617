"""The supervisor's desk's blueprint (`/admin`); its pages live in `views.py` and `settings.py` beside this one."""

from __future__ import annotations

from flask import Blueprint

from kiosk.web.common.staff_wording import staff_context

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.context_processor(staff_context)
