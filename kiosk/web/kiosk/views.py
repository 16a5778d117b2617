"""The lobby kiosk (`/kiosk`): language, what the citizen needs, a ticket by service, by code or with priority.
The declaration wizard is in `wizard.py` beside this file."""

from __future__ import annotations

from typing import Any

from flask import Response, g, render_template, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from htmx_flask import request

from kiosk.data.models import PRIORITY_KINDS, Office
from kiosk.domain.appointments import check_in as appointments
from kiosk.domain.declarations import drafts as declarations
from kiosk.domain.forecast.cutoff import after_closing
from kiosk.domain.languages import LANGUAGES
from kiosk.domain.queue.estimates import service_waits
from kiosk.domain.queue.tickets import issue_ticket
from kiosk.web.common.bookings import booking_rules
from kiosk.web.common.db import db, read_db, runtime
from kiosk.web.common.htmx import hx_redirect
from kiosk.web.common.limits import WRONG_CODES, device_or_address, limiter, refused
from kiosk.web.common.pairing import paired
from kiosk.web.common.public_ticket import public_ticket
from kiosk.web.common.refusals import check_in_refusal
from kiosk.web.kiosk.blueprint import bp, office_state
from kiosk.web.kiosk.screen import issue_and_show, screen, show_ticket, wipe_citizen


@bp.get("/")
@paired("kiosk")
def welcome() -> str:
    wipe_citizen()
    return render_template("kiosk/page.html", partial="kiosk/_welcome.html", idle=False)


@bp.post("/language")
def choose_language() -> Response:
    if request.form.get("lang") in LANGUAGES:
        session["kiosk_language"] = request.form["lang"]
    return hx_redirect(url_for("kiosk.declaration_page" if session.get("kiosk_draft") else "kiosk.menu"))


@bp.get("/menu")
def menu() -> str:
    """What the citizen can do; a declaration left for the menu (Back on its first step, a language switch) is
    offered to go on with, not lost behind it."""
    draft = declarations.find_draft(read_db(), session.get("kiosk_draft"))
    return screen("kiosk/_menu.html", draft=draft)


@bp.get("/services")
def services() -> str:
    return screen("kiosk/_services.html", services=service_rows(), priority=session.get("kiosk_priority"))


@bp.get("/priority")
def priority() -> str:
    return screen("kiosk/_priority.html", kinds=PRIORITY_KINDS)


@bp.post("/priority")
def choose_priority() -> str:
    if request.form.get("kind") in PRIORITY_KINDS:
        session["kiosk_priority"] = request.form["kind"]
    return services()


@bp.post("/tickets")
def take_ticket() -> str:
    code = request.form.get("service", "")
    return issue_and_show(
        lambda s, office, now, options: issue_ticket(s, office, code, now, runtime().settings, **options)
    )


@bp.get("/code")
def code_form() -> str:
    return screen("kiosk/_code.html", code="", error=None)


@bp.post("/code")
@limiter.limit(WRONG_CODES, key_func=device_or_address, deduct_when=refused, on_breach=lambda _limit: too_many_codes())
def check_in() -> str:
    typed = request.form.get("code", "")
    config = runtime().config["declarations"]
    try:
        return issue_and_show(
            lambda s, office, now, options: appointments.check_in(
                s, office, typed, now, runtime().settings, config, booking_rules(), **options
            )
        )
    except appointments.AlreadyCheckedInError as used_today:
        return show_ticket(used_today.ticket_id, again=True)
    except appointments.CheckInError as exc:
        g.refused = True
        with db().begin():
            appointments.record_refusal(db(), g.device.office_id, exc, runtime().clock(), g.device.actor)
        return screen("kiosk/_code.html", code=typed, error=check_in_refusal(exc)[1])


def too_many_codes() -> Response:
    """Told on the kiosk's own screen, not an error page: the citizen may have the right code and ask for help."""
    words = _("Too many wrong codes on this kiosk. Please wait a minute, or ask at the information desk.")
    return Response(screen("kiosk/_code.html", code="", error=words))


@bp.get("/ticket/print-status")
def print_status() -> str:
    ticket_id = session.get("kiosk_ticket")
    ticket = public_ticket(read_db(), ticket_id) if ticket_id else None
    return render_template("kiosk/_print_status.html", ticket=ticket)


@bp.post("/wipe")
def wipe() -> Response:
    """Idle timeout or "done": forget this citizen, back to the welcome screen."""
    wipe_citizen()
    return hx_redirect(url_for("kiosk.welcome"))


@bp.get("/health")
def health() -> tuple[str, int]:
    """Polled by the page: out of service (with the reason) while the office is closed; back by itself after."""
    return render_template("kiosk/_service_state.html", state=office_state()), 200


def service_rows() -> list[dict[str, Any]]:
    """The office's services with the people waiting and the wait a new ticket would have."""
    rt, session_, now = runtime(), read_db(), runtime().clock()
    office = session_.get_one(Office, g.device.office_id)
    language = str(get_locale())
    return [{"code": s.service.code, "prefix": s.service.prefix, "name": s.service.name(language),
             "waiting": s.waiting, "wait_min": None if s.wait_s is None else round(s.wait_s / 60),
             "wait_range_min": (round(s.wait.low_s / 60), round(s.wait.high_s / 60)) if s.wait and s.wait.wide
             else None, "after_closing": after_closing(s.state, office, now)}
            for s in service_waits(session_, office, now, rt.settings)]
