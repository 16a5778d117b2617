"""Reading request bodies against their declared shape: anything malformed is a clear 4xx in the caller's
language, never a 500 and never pydantic's English."""

from __future__ import annotations

from typing import Any, Literal, TypeVar, get_args, get_origin

from flask import g, request
from flask_babel import gettext as _
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from kiosk.domain.languages import LANGUAGES
from kiosk.web.api.errors import ApiError
from kiosk.web.api.shapes import Body

R = TypeVar("R", bound=Body)


def read_body(shape: type[R]) -> R:
    """The JSON object sent (no body: an empty one), checked against `shape`; its `language`, if valid, sets the
    reply's language, refusals included."""
    body = request.get_json(silent=True) if request.data else {}
    if not isinstance(body, dict):
        raise ApiError(400, _("The body must be a JSON object."))
    if body.get("language") in LANGUAGES:
        g.language = body["language"]
    try:
        return shape.model_validate(body)
    except ValidationError as exc:
        raise ApiError(422, refusal(shape, exc.errors())) from None


def refusal(shape: type[Body], errors: list[ErrorDetails]) -> str:
    """One sentence for the caller: every unknown field at once, else the first field that is wrong."""
    unknown = sorted(str(error["loc"][0]) for error in errors if error["type"] == "extra_forbidden")
    if unknown:
        return _("Unknown field: %(field)s.", field=", ".join(unknown))
    kind, field = errors[0]["type"], str(errors[0]["loc"][0])
    if kind == "missing":
        return _("Missing field: %(field)s.", field=field)
    if kind == "bool_type":
        return _("Field %(field)s must be true or false.", field=field)
    if kind == "literal_error":
        choices = ", ".join(str(choice) for choice in literals(shape.model_fields[field].annotation))
        return _("Field %(field)s must be one of: %(choices)s.", field=field, choices=choices)
    return _("Field %(field)s must be a short text.", field=field)  # every other field is ShortText


def literals(annotation: Any) -> tuple[object, ...]:
    """The values a Literal field allows (through `| None`)."""
    if get_origin(annotation) is Literal:
        return get_args(annotation)
    return tuple(value for arg in get_args(annotation) for value in literals(arg))
