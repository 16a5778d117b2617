"""The supervisor's desk (`/admin`): the day at a glance, priority requests, reprints, counters, devices, the
audit log. Supervisors and admins; the office's settings are in `settings.py` beside this file."""

from __future__ import annotations

from datetime import date

from flask import abort, render_template
from flask_babel import gettext as _
from flask_login import current_user
from htmx_flask import request
from werkzeug.wrappers import Response

from kiosk.data.models import PRIORITY_KINDS, Event, Office
from kiosk.domain.events.audit import AUDIT_PAGE, AuditFilter, audit_log, audit_names, event_kinds
from kiosk.domain.forecast.cutoff import at_risk
from kiosk.domain.office import devices
from kiosk.domain.office.day import day_figures, device_states
from kiosk.domain.office.settings import counters
from kiosk.domain.printing import jobs
from kiosk.domain.queue import at_counter, priority
from kiosk.domain.queue.at_counter import CounterRequest
from kiosk.domain.queue.errors import QueueError
from kiosk.domain.queue.estimates import service_waits
from kiosk.domain.queue.tickets import find_scanned
from kiosk.domain.statistics.periods import EARLIEST, LATEST
from kiosk.domain.whole_numbers import whole_number
from kiosk.web.admin.audit_export import EXPORT_MOST, audit_table
from kiosk.web.admin.audit_wording import kind_choices, kind_name, what_happened, who
from kiosk.web.admin.blueprint import bp
from kiosk.web.common.db import db, read_db, runtime
from kiosk.web.common.exports import FORMATS, download
from kiosk.web.common.htmx import no_store
from kiosk.web.common.printing import reprint_refusal, wake_spooler
from kiosk.web.common.refusals import queue_refusal
from kiosk.web.common.sign_in import require, staff_language

LIVE_REFRESH_S = 15


@bp.before_request
def guard() -> Response | None:
    staff_language()
    return require("supervisor")()


bp.after_request(no_store)


def office() -> Office:
    return read_db().get_one(Office, current_user.office_id)


@bp.get("")
def desk() -> str:
    return render_template("admin/desk.html", **live_context(), refresh_s=LIVE_REFRESH_S)


@bp.get("/live")
def live() -> str:
    """The desk's figures, requests, counters and devices, refreshed every few seconds."""
    return render_live()


@bp.post("/tickets/<int:ticket_id>/priority")
def decide_priority(ticket_id: int) -> str:
    approve = request.form.get("decision") == "approve"
    session, message, error = db(), None, None
    try:
        with session.begin():
            ticket = priority.decide_priority(session, session.get_one(Office, current_user.office_id), ticket_id,
                                                 approve, runtime().clock(), current_user.actor)
            message = (_("%(number)s goes first now.", number=ticket.number) if approve
                       else _("%(number)s keeps its place as a normal ticket.", number=ticket.number))
    except QueueError as exc:
        error = queue_refusal(exc)[1]
    return render_live(message=message, error=error)


@bp.post("/counters/<int:number>/state")
def set_counter_state(number: int) -> str:
    """Open, pause or close any counter of the office."""
    ask = CounterRequest("state", current_user.actor, state=request.form.get("state", ""))
    session, rt = db(), runtime()
    try:
        with session.begin():
            at_counter.act(session, session.get_one(Office, current_user.office_id), number, ask, rt.clock(),
                           rt.settings)
    except QueueError as exc:
        abort(queue_refusal(exc)[0])  # an unknown counter (404) or state (400): no desk sends either
    return render_live()


@bp.post("/devices/revoke")
def revoke_device() -> str:
    """Stop a lost or replaced device at once: its token, its paired screen and any stream it holds open."""
    name, session, message, error = request.form.get("name", ""), db(), None, None
    try:
        with session.begin():
            devices.revoke(session, session.get_one(Office, current_user.office_id), name, runtime().clock(),
                           current_user.actor)
        message = _("%(name)s is revoked; it works again only with a new token.", name=name)
    except devices.DeviceNotFoundError:
        error = _("No device in use is named %(name)s.", name=name)
    return render_live(message=message, error=error)


@bp.post("/reprint")
def reprint() -> str:
    """The same ticket (number and QR) again, on the printer it last went to."""
    typed, session, message, error = request.form.get("number", ""), db(), None, None
    try:
        with session.begin():
            own = session.get_one(Office, current_user.office_id)
            ticket = find_scanned(session, own, typed, runtime().clock())
            jobs.reprint(session, ticket, runtime().clock(), actor=current_user.actor)
            message = _("%(number)s is being printed again.", number=ticket.number)
    except QueueError as exc:
        error = queue_refusal(exc)[1]
    except jobs.NoPrinterError:
        error = _("No printer is set up for this ticket.")
    except jobs.ReprintRefusedError as refused:
        error = reprint_refusal(refused)
    if message:
        wake_spooler()
    return render_template("admin/_reprint.html", typed="" if message else typed, message=message, error=error)


@bp.get("/audit")
def audit() -> str:
    """The audit log, newest first, by kind, actor and days; a page at a time."""
    return render_audit(audit_log(read_db(), office(), audit_filter()))


@bp.get("/audit/export.<file_format>")
def export_audit(file_format: str) -> Response | tuple[str, int]:
    """The whole filtered log as CSV or XLSX, in the desk's words."""
    if file_format not in FORMATS:
        abort(404)
    session, own = read_db(), office()
    events = audit_log(session, own, audit_filter(), most=EXPORT_MOST + 1)
    if len(events) > EXPORT_MOST:
        problem = _("More than %(most)s events: choose fewer days, a kind or a person.", most=EXPORT_MOST)
        return render_audit(events[:AUDIT_PAGE], problem=problem), 400
    return download(audit_table(events, audit_names(session, own), own.timezone), file_format)


def audit_filter() -> AuditFilter:
    return AuditFilter(kind=request.args.get("kind", ""), actor=request.args.get("actor", ""),
                       day=_parse_day(request.args.get("day", "")), until=_parse_day(request.args.get("until", "")),
                       before_id=whole_number(request.args.get("before", "")))


def render_audit(events: list[Event], problem: str | None = None) -> str:
    session, own = read_db(), office()
    choice = {key: request.args.get(key, "") for key in ("kind", "actor", "day", "until")}
    return render_template("admin/audit.html", events=events, wanted=audit_filter(), choice=choice,
                           kinds=kind_choices(event_kinds(session, own)), names=audit_names(session, own),
                           page=AUDIT_PAGE, timezone=own.timezone, kind_name=kind_name, who=who,
                           what_happened=what_happened, formats=FORMATS, problem=problem)


def render_live(**message: str | None) -> str:
    return render_template("admin/_live.html", **live_context(), refresh_s=LIVE_REFRESH_S, **message)


def live_context() -> dict[str, object]:
    session, now, own = read_db(), runtime().clock(), office()
    return {
        "figures": day_figures(session, own, now),
        "unserved": [wait for wait in service_waits(session, own, now, runtime().settings)
                     if wait.waiting and not wait.counters_open],
        "cut_offs": at_risk(session, own, now, runtime().settings),
        "requests": priority.pending_priorities(session, own, now),
        "counters": counters(session, own),
        "devices": device_states(session, own, now),
        "priority_kinds": PRIORITY_KINDS,
        "timezone": own.timezone,
        "now": now,
    }


def _parse_day(typed: str) -> date | None:
    """A day typed in the filter; none when it is no date, or one no office's log can hold."""
    try:
        day = date.fromisoformat(typed) if typed else None
    except ValueError:
        return None
    return day if day is not None and EARLIEST <= day <= LATEST else None

