"""Suggestions for a pick field (province, ethnic group, religion, occupation), on the kiosk and the phone alike:
the letters typed so far (posted: a religion or an ethnic group is personal, never in an address), searched in the
domain's list, answered as buttons to tap (`static/pick-list.js`)."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import get_locale

from kiosk.domain.declarations.form import PICK_FIELDS
from kiosk.domain.declarations.pick_lists import PICK_LISTS, search


def pick_suggestions(field_key: str) -> str:
    field = PICK_FIELDS.get(field_key)
    if field is None:
        abort(404)
    matches = search(PICK_LISTS[field.picks], request.form.get("q", ""))
    return render_template("declare/_picks.html", field=field, matches=matches, language=str(get_locale()),
                           closed=PICK_LISTS[field.picks].closed)
