"""Which language a request is answered in: the citizen's choice, else the browser's, else Vietnamese; and a part
of a screen said in every language, for a screen nobody has chosen a language on yet."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import g, render_template, request, session
from flask_babel import force_locale
from markupsafe import Markup

from kiosk.domain.languages import LANGUAGES
from kiosk.web.common.db import runtime

# Each language in its own words, for the buttons that switch to it.
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English", "zh": "中文"}


def select_language() -> str:
    chosen = g.get("language") or request.args.get("lang")
    if chosen in LANGUAGES:
        return str(chosen)
    return request.accept_languages.best_match(LANGUAGES) or "vi"


def keep_chosen_language(key: str) -> Callable[[], None]:
    """For a citizen's pages on their phone: the language chosen there (?lang=) stays for every page, kept in the
    session under `key`; else the phone's own."""

    def chosen_language() -> None:
        chosen = request.args.get("lang")
        if chosen in LANGUAGES:
            session[key] = chosen
        if session.get(key) in LANGUAGES:
            g.language = session[key]

    return chosen_language


def speak_the_office_language() -> None:
    """For a screen on the wall (the hall display, a counter's screen): the office's language, whatever the screen's
    browser prefers; ?lang= overrides."""
    chosen = request.args.get("lang")
    g.language = chosen if chosen in LANGUAGES else runtime().config["i18n"]["default_language"]


def in_each_language(partial: str, **context: Any) -> list[tuple[str, Markup]]:
    """The partial rendered once per language, as (language, HTML): like the welcome screen, the kiosk's out of
    service screens speak to whoever stands there before anyone chose a language."""
    said = []
    for language in LANGUAGES:
        with force_locale(language):
            said.append((language, Markup(render_template(partial, **context))))
    return said
