"""Refusals of the screens as a page in the reader's language, never werkzeug's English: a citizen who follows an
old link, an officer whose page is not theirs, a form too large or sent too often."""

from __future__ import annotations

from flask import jsonify, render_template
from flask_babel import gettext as _
from htmx_flask import request
from werkzeug.exceptions import HTTPException
from werkzeug.sansio.response import Response as SansioResponse
from werkzeug.wrappers import Response

from kiosk.web.common.edge import OverlongInput, UnreadableInput


def refusal_words(exc: HTTPException) -> str:
    """What went wrong, translated; the edge's own refusals already say it in the reader's language."""
    if isinstance(exc, UnreadableInput | OverlongInput):
        return str(exc.description)
    words = {
        400: _("The request could not be read."),
        401: _("Please sign in."),
        403: _("You may not open this page."),
        404: _("There is no such page."),
        405: _("This method is not allowed here."),
        413: _("What was sent is too large."),
        429: _("Too many attempts. Please wait a little and try again."),
        503: _("The office is not set up yet. Please ask an administrator."),
    }
    return words.get(exc.code or 500, _("Something went wrong on the server. Please try again."))


API_PREFIX = "/api/"


def error_page(exc: HTTPException) -> SansioResponse:
    """JSON `{error}` under the API (an address no route matches included), else a page or, for htmx, the words;
    with the refusal's own headers (a 405's Allow, a 429's Retry-After)."""
    if exc.response is not None:  # a refusal that brings its own answer (a rate limit told on the kiosk's screen)
        return exc.response
    status = exc.code or 500
    words = refusal_words(exc)
    answer: SansioResponse
    if request.path.startswith(API_PREFIX):
        answer = jsonify(error=words)
    elif request.htmx:  # a fragment swapped into a screen: the words, not a whole page
        answer = Response(words, mimetype="text/plain")
    else:
        answer = Response(render_template("error.html", status=status, words=words), mimetype="text/html")
    answer.status_code = status
    for name, value in exc.get_headers():
        if name.lower() != "content-type":
            answer.headers[name] = value
    return answer
