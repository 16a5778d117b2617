"""Which language a request is answered in: the citizen's choice, else the browser's, else Vietnamese."""

from __future__ import annotations

from flask import g, request

from kiosk.domain.languages import LANGUAGES


def select_language() -> str:
    chosen = g.get("language") or request.args.get("lang")
    if chosen in LANGUAGES:
        return str(chosen)
    return request.accept_languages.best_match(LANGUAGES) or "vi"
