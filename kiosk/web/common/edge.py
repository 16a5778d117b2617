"""Input is cleaned at the edge, once for every screen and the API: text a database cannot store or an office
never needs is refused with a 4xx before any view reads it.

- NUL bytes: PostgreSQL refuses them in text (a 500 deep in a view); no field of the office needs one.
- Lone surrogates (JSON's "\\ud800"): not text at all; they fail when the row or the page is encoded.
- Over-long values: the longest thing anyone types (an address, a note) fits in LONGEST_VALUE; a body is bounded
  by MAX_CONTENT_LENGTH, a form's parts by werkzeug's own limits, set here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge

LONGEST_VALUE = 2_000  # characters in one field, query value or JSON string
LARGEST_BODY = 256 * 1024  # bytes: the largest declaration form is a few KB
LARGEST_PHOTO = 12 * 1024 * 1024  # bytes: a phone's photo of an ID card, where a view takes one
F = TypeVar("F", bound=Callable[..., Any])
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class UnreadableInput(BadRequest):
    """Text that is not text (NUL, lone surrogates); the description is already translated."""


class OverlongInput(RequestEntityTooLarge):
    """A value longer than any field of the office; the description is already translated."""


def guard_the_edge(app: Flask) -> None:
    app.config["MAX_CONTENT_LENGTH"] = LARGEST_BODY
    app.config["MAX_FORM_MEMORY_SIZE"] = LARGEST_BODY
    app.config["MAX_FORM_PARTS"] = 200
    app.before_request(check_input)


def takes_photo(view: F) -> F:
    """A view that accepts a photo upload: its body may be LARGEST_PHOTO (the form's text parts stay bounded)."""
    view.takes_photo = True  # type: ignore[attr-defined]
    return view


def check_input() -> None:
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "takes_photo", False):
        request.max_content_length = LARGEST_PHOTO
    check_text(request.path)
    for key, value in request.args.items(multi=True):
        check_text(key)
        check_text(value)
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for key, value in request.form.items(multi=True):
            check_text(key)
            check_text(value)
    if request.is_json and request.content_length:
        try:
            check_json(request.get_json(silent=True))
        except RecursionError:  # JSON nested thousands deep: no form of the office is
            raise UnreadableInput(_("The request could not be read.")) from None
    for name in ("Authorization", "Last-Event-ID", "HX-Current-URL"):
        check_text(request.headers.get(name, ""))


def check_json(value: Any) -> None:
    if isinstance(value, str):
        check_text(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            check_text(key)
            check_json(item)
    elif isinstance(value, list):
        for item in value:
            check_json(item)


def check_text(value: str) -> None:
    if UNSTORABLE.search(value):
        raise UnreadableInput(_("The request holds characters that are not text (a NUL byte or a broken character)."))
    if len(value) > LONGEST_VALUE:
        raise OverlongInput(_("A value is too long: at most %(count)s characters.", count=LONGEST_VALUE))
