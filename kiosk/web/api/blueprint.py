"""The JSON API's blueprint; its routes live in the modules beside this one."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
