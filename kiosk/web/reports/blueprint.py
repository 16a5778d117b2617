"""The reports' blueprint; its pages live in `views.py` beside this one."""

from __future__ import annotations

from flask import Blueprint

from kiosk.web.common.staff_wording import staff_context

bp = Blueprint("reports", __name__, url_prefix="/admin/reports")
bp.context_processor(staff_context)
