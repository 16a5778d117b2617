"""Which language a request is answered in: the citizen's choice, else the browser's, else Vietnamese; and a part
of a screen said in every language, for a screen nobody has chosen a language on yet."""

from __future__ import annotations

from typing import Any

from flask import g, render_template, request
from flask_babel import force_locale
from markupsafe import Markup

from kiosk.domain.languages import LANGUAGES


def select_language() -> str:
    chosen = g.get("language") or request.args.get("lang")
    if chosen in LANGUAGES:
        return str(chosen)
    return request.accept_languages.best_match(LANGUAGES) or "vi"


def in_each_language(partial: str, **context: Any) -> list[tuple[str, Markup]]:
    """The partial rendered once per language, as (language, HTML): like the welcome screen, the kiosk's out of
    service screens speak to whoever stands there before anyone chose a language."""
    said = []
    for language in LANGUAGES:
        with force_locale(language):
            said.append((language, Markup(render_template(partial, **context))))
    return said
