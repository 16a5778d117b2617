"""The kiosk's passport declaration wizard (TK01 / TK01a): one short step at a time into #wizard, then review.

Each step is checked on the server as the citizen leaves it; what was typed is kept in the database draft
(valid or not), so a correction never means typing anything else again.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Response, abort, g, make_response, session, url_for
from flask_babel import get_locale
from htmx_flask import request
from sqlalchemy.orm import Session

from kiosk.data.models import Declaration, Office, Ticket
from kiosk.domain.declarations import drafts as declarations
from kiosk.domain.declarations.form import (
    FORM_TITLES,
    FORMS,
    Step,
    choice_label,
    step,
    step_after,
    step_before,
    steps,
)
from kiosk.domain.queue.numbering import service_day
from kiosk.web.common.db import db, runtime
from kiosk.web.common.htmx import hx_redirect
from kiosk.web.common.pick_lists import pick_suggestions
from kiosk.web.kiosk.blueprint import bp
from kiosk.web.kiosk.screen import issue_and_show, screen

REVIEW = "review"


@bp.post("/declaration")
def start_declaration() -> str:
    kind = request.form.get("kind", "")
    if kind not in FORMS:
        abort(400)
    with db().begin():
        declarations.discard(db(), session.get("kiosk_draft"))
        office = db().get_one(Office, g.device.office_id)
        draft = declarations.start_draft(db(), office, kind, str(get_locale()), runtime().clock())
    session["kiosk_draft"] = draft.draft_key
    return show_step(draft, steps(kind)[0])


@bp.get("/declaration")
def declaration_page() -> str | Response:
    """Where the citizen was (after a language switch, or a reload)."""
    draft = declarations.find_draft(db(), session.get("kiosk_draft"))
    if draft is None:
        return hx_redirect(url_for("kiosk.menu")) if request.htmx else screen("kiosk/_menu.html")
    current = session.get("kiosk_step", REVIEW)
    return show_review(draft) if current == REVIEW else show_step(draft, form_step(draft, current))


@bp.get("/declaration/<step_key>/edit")
def edit_step(step_key: str) -> str | Response:
    """From the review: one block again, then straight back to the review."""
    draft = declarations.find_draft(db(), session.get("kiosk_draft"))
    if draft is None:
        return hx_redirect(url_for("kiosk.menu"))
    return show_step(draft, form_step(draft, step_key), then=REVIEW)


@bp.post("/declaration/picks/<field_key>")
def pick_options(field_key: str) -> str:
    """What the letters typed in a pick field find (static/pick-list.js asks as the on-screen keyboard types)."""
    return pick_suggestions(field_key)


@bp.post("/declaration/<step_key>")
def save_step(step_key: str) -> str | Response:
    with db().begin():
        draft = declarations.find_draft(db(), session.get("kiosk_draft"))
        if draft is None:
            return hx_redirect(url_for("kiosk.menu"))  # wiped meanwhile (idle timeout on another tab, a purge)
        current = form_step(draft, step_key)
        raw = {item.key: request.form.get(item.key, "") for item in current.fields}
        card = declarations.scanned_card(draft, current, raw, office_today(db()), runtime().clock())
        if card is None:
            result = declarations.save_step(draft, current, raw, office_today(db()), runtime().clock())
    if card is not None:
        return show_step(draft, current, card=card, then=request.form.get("then"))
    if request.form.get("action") == "back":
        earlier = step_before(draft.kind, current)
        return show_step(draft, earlier) if earlier else hx_redirect(url_for("kiosk.menu"))
    if not result.ok:
        return show_step(draft, current, problems=result.problems, then=request.form.get("then"))
    following = step_after(draft.kind, current)
    if following is None or request.form.get("then") == REVIEW:
        return show_review(draft)
    return show_step(draft, following)


@bp.post("/declaration/submit")
def submit() -> str | Response:
    key = session.get("kiosk_draft")
    try:
        page = issue_and_show(lambda s, office, now, options: submit_and_issue(s, office, now, options, key))
    except declarations.DeclarationIncompleteError as exc:
        draft = declarations.find_draft(db(), key)
        if draft is None:
            return hx_redirect(url_for("kiosk.menu"))
        problems = declarations.first_incomplete(draft, office_today(db()))
        return show_step(draft, form_step(draft, str(exc)), problems=problems[1].problems if problems else None,
                         then=REVIEW)
    response = make_response(page)
    response.headers["HX-Retarget"], response.headers["HX-Reswap"] = "#screen", "innerHTML"
    return response


@bp.post("/declaration/cancel")
def cancel() -> Response:
    with db().begin():
        declarations.discard(db(), session.pop("kiosk_draft", None))
    session.pop("kiosk_step", None)
    return hx_redirect(url_for("kiosk.menu"))


def submit_and_issue(s: Session, office: Office, now: datetime, options: dict[str, Any], key: str | None) -> Ticket:
    draft = declarations.find_draft(s, key)
    if draft is None:
        raise declarations.DeclarationIncompleteError(steps("TK01")[0].key)
    declarations.submit(s, draft, service_day(office, now), now)
    return declarations.issue_for(s, office, draft, now, runtime().settings, runtime().config["declarations"],
                                  **options)


def show_step(draft: Declaration, shown: Step, problems: dict[str, Any] | None = None, then: str | None = None,
              card: declarations.CardScan | None = None) -> str:
    session["kiosk_step"] = shown.key
    all_steps = steps(draft.kind)
    return screen(
        "kiosk/_wizard.html", draft=draft, step=shown, values=draft.fields, problems=problems or {},
        then=then, number=all_steps.index(shown) + 1, total=len(all_steps) + 1, title=FORM_TITLES[draft.kind],
        card=card, first=shown == all_steps[0], pick_endpoint="kiosk.pick_options",
    )


def show_review(draft: Declaration) -> str:
    session["kiosk_step"] = REVIEW
    total = len(steps(draft.kind)) + 1
    return screen(
        "kiosk/_review.html", draft=draft, steps=steps(draft.kind), values=draft.fields, warnings=draft.warnings,
        choice_label=choice_label, number=total, total=total, title=FORM_TITLES[draft.kind],
    )


def form_step(draft: Declaration, key: str) -> Step:
    try:
        return step(draft.kind, key)
    except KeyError:
        abort(404)


def office_today(s: Session) -> date:
    return service_day(s.get_one(Office, g.device.office_id), runtime().clock())
