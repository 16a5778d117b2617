"""Complaints and ratings on the supervisor's desk (`/admin/complaints`): the cases bad ratings opened, live and
overdue ones first; one case's page to assign it, record the call-back and close it with its outcome; the
ratings' figures by counter, officer, service and day. Nobody sees a case or a figure about their own service."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from flask import render_template, stream_with_context
from flask_babel import lazy_gettext
from flask_login import current_user
from htmx_flask import request
from markupsafe import Markup
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from kiosk.data.models import Office
from kiosk.domain.events.hub import StreamEvent
from kiosk.domain.queue.numbering import service_day
from kiosk.domain.ratings import cases, figures
from kiosk.domain.ratings.cases import Viewer
from kiosk.domain.ratings.errors import RatingError
from kiosk.domain.whole_numbers import whole_number
from kiosk.web.admin.blueprint import bp
from kiosk.web.common.db import db, read_db, runtime
from kiosk.web.common.rating_answers import rating_refusal, rating_words, set_up_ratings
from kiosk.web.common.sse import event_stream, sse_message, sse_response

bp.record_once(set_up_ratings)
LONGEST_SPAN = timedelta(days=366)  # figures over a year at most
STEPS = {"assign": lazy_gettext("Case assigned."), "call_back": lazy_gettext("Call-back recorded."),
         "close": lazy_gettext("Case closed.")}


@bp.get("/complaints")
def complaints_page() -> str:
    own, now = _office(read_db()), runtime().clock()
    today = service_day(own, now)
    first, last = _day(request.args.get("from", ""), today - timedelta(days=6)), _day(request.args.get("to", ""), today)
    first = max(first, last - LONGEST_SPAN)
    by: figures.Grouping = next((each for each in figures.GROUPINGS if each == request.args.get("by")), "counter")
    rows = figures.rating_figures(read_db(), own, first, last, by, hidden_officer=current_user.username)
    return render_template("admin/complaints.html", cases=Markup(_cases_html()), rows=rows, by=by, first=first,
                           last=last, **rating_words())


@bp.get("/complaints/stream")
def complaints_stream() -> Response:
    """The list of cases again whenever a rating or a case step comes in (a case's own page holds the forms, so a
    redraw never wipes what a supervisor is typing)."""
    rt, viewer, office_id = runtime(), _viewer(), current_user.office_id
    cursor = rt.hub.head

    def changes(batch: list[StreamEvent]) -> str:
        if not any(event.kind.startswith(("rating.", "case.")) for event in batch):
            return ""
        return sse_message("cases", _cases_html(viewer, office_id), batch[-1].id)

    def stream() -> Iterator[str]:
        yield sse_message("cases", _cases_html(viewer, office_id), cursor)
        yield from event_stream(rt.hub, office_id, cursor, changes)

    return sse_response(stream_with_context(stream()))


@bp.get("/complaints/<int:case_id>")
def case_page(case_id: int) -> str | tuple[str, int]:
    try:
        context = _case_context(case_id)
    except RatingError as exc:
        status, error = rating_refusal(exc)
        return render_template("admin/complaint_missing.html", error=error), status
    return render_template("admin/complaint.html", **context)


@bp.post("/complaints/<int:case_id>/<any(assign, call_back, close):step>")
def case_step(case_id: int, step: str) -> str | tuple[str, int]:
    """One step of the case, in the audit log; the case's part of the page comes back with what happened."""
    session, now, viewer = db(), runtime().clock(), _viewer()
    try:
        with session.begin():
            own = _office(session)
            if step == "assign":
                cases.assign(session, own, case_id, whole_number(request.form.get("assignee", "")), viewer, now)
            elif step == "call_back":
                cases.record_call_back(session, own, case_id, request.form.get("note", ""), viewer, now)
            else:
                cases.close(session, own, case_id, request.form.get("outcome", ""), viewer, now)
    except RatingError as exc:
        status, error = rating_refusal(exc)
        try:
            return render_template("admin/_complaint.html", **_case_context(case_id), error=error), status
        except RatingError:
            return render_template("admin/complaint_missing.html", error=error), status
    return render_template("admin/_complaint.html", **_case_context(case_id), message=str(STEPS[step]))


def _case_context(case_id: int) -> dict[str, object]:
    session = read_db()
    own = _office(session)
    case = cases.find_case(session, own, case_id, _viewer())
    return {"case": case, "handlers": cases.handlers(session, own, case),
            "overdue": cases.overdue(case, runtime().clock()), "timezone": own.timezone, **rating_words()}


def _cases_html(viewer: Viewer | None = None, office_id: int | None = None) -> str:
    """The list of cases; in the stream, with the viewer and office read when it opened (no request left)."""
    rt = runtime()
    with rt.readonly_sessions() as session:
        own = session.get_one(Office, office_id or current_user.office_id)
        found = cases.cases(session, own, viewer or _viewer())
        now = rt.clock()
        return render_template("admin/_complaints.html", cases=found, now=now, overdue=cases.overdue,
                               counts=figures.case_counts(session, own, now), timezone=own.timezone, **rating_words())


def _viewer() -> Viewer:
    return Viewer(current_user.user_id, current_user.actor)


def _office(session: Session) -> Office:
    return session.get_one(Office, current_user.office_id)


def _day(typed: str, default: date) -> date:
    try:
        return date.fromisoformat(typed) if typed else default
    except ValueError:
        return default

