"""Reading request bodies: anything malformed is a clear 4xx, never a 500."""

from __future__ import annotations

from typing import Any

from flask import g, request
from flask_babel import gettext as _

from kiosk.domain.languages import LANGUAGES
from kiosk.web.api.errors import ApiError


def json_body(allowed: set[str]) -> dict[str, Any]:
    """The JSON object sent, with only known fields; its `language`, if valid, sets the reply's language."""
    if not request.data:
        return {}
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, _("The body must be a JSON object."))
    if body.get("language") in LANGUAGES:
        g.language = body["language"]
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise ApiError(422, _("Unknown field: %(field)s.", field=", ".join(unknown)))
    return body


def text_field(body: dict[str, Any], name: str, *, required: bool = False, choices: tuple[str, ...] = ()) -> str | None:
    value = body.get(name)
    if value is None:
        if required:
            raise ApiError(422, _("Missing field: %(field)s.", field=name))
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > 200:
        raise ApiError(422, _("Field %(field)s must be a short text.", field=name))
    if choices and value not in choices:
        raise ApiError(422, _("Field %(field)s must be one of: %(choices)s.", field=name, choices=", ".join(choices)))
    return value.strip()
