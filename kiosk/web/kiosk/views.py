"""The lobby kiosk (`/kiosk`): language, what the citizen needs, a ticket by service, by code or with priority.

The citizen's state lives on the server: the chosen language, the ticket just issued and the key of an unfinished
declaration are in the session (signed cookie, nothing personal); the declaration itself is a database draft.
A wipe (idle timeout, "done", back at the welcome screen) forgets all of it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import qrcode
from flask import Blueprint, Response, g, render_template, session, url_for
from flask_babel import get_locale, lazy_gettext
from flask_babel import gettext as _
from htmx_flask import request
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.data.models import PRIORITY_KINDS, Office, Service, Ticket
from kiosk.domain.appointments import check_in as appointments
from kiosk.domain.declarations import drafts as declarations
from kiosk.domain.printing import jobs as printing
from kiosk.domain.queue import tickets as queue
from kiosk.domain.queue.errors import QueueError
from kiosk.domain.queue.estimates import service_wait_s, waiting_by_service
from kiosk.runtime.app import db, read_db, runtime
from kiosk.web.api.print_jobs import wake_spooler
from kiosk.web.api.tickets import public_ticket
from kiosk.web.common.i18n import LANGUAGES
from kiosk.web.common.pairing import paired, paired_device
from kiosk.web.common.refusals import queue_refusal

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk")
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English", "zh": "中文"}
# Everything one citizen leaves in the session; the next citizen starts without any of it.
SESSION_KEYS = ("kiosk_language", "kiosk_draft", "kiosk_step", "kiosk_ticket", "kiosk_priority")
PRIORITY_NAMES = {
    "elderly": lazy_gettext("An elderly person"),
    "child": lazy_gettext("A parent with a small child"),
    "disabled": lazy_gettext("A person with a disability"),
    "pregnant": lazy_gettext("A pregnant woman"),
    "urgent": lazy_gettext("An urgent case (green channel)"),
}
WEEKDAY_NAMES = {
    "mon": lazy_gettext("Monday"), "tue": lazy_gettext("Tuesday"), "wed": lazy_gettext("Wednesday"),
    "thu": lazy_gettext("Thursday"), "fri": lazy_gettext("Friday"), "sat": lazy_gettext("Saturday"),
    "sun": lazy_gettext("Sunday"),
}

Issue = Callable[[Session, Office, datetime, dict[str, Any]], Ticket]


@bp.before_request
def require_kiosk() -> tuple[str, int] | None:
    """Every kiosk address but the paired welcome one needs the kiosk's device cookie."""
    # Until the citizen chooses, the office's language, not the kiosk browser's own locale.
    g.language = session.get("kiosk_language") or runtime().config["i18n"]["default_language"]
    if request.endpoint == "kiosk.welcome":
        return None  # @paired handles `?device=` there
    g.device = paired_device("kiosk")
    if g.device is None:
        return render_template("unpaired.html", role="kiosk"), 401
    return None


@bp.after_request
def vary_on_htmx(response: Response) -> Response:
    response.vary.add("HX-Request")  # the same address answers a partial to htmx and a page to a reload
    response.headers["Cache-Control"] = "no-store"  # nothing of a citizen stays in the browser's cache
    return response


@bp.context_processor
def kiosk_context() -> dict[str, Any]:
    return {"kiosk_config": runtime().config["kiosk"], "language_names": LANGUAGE_NAMES, "languages": LANGUAGES,
            "office_name": office_name, "office_state": office_state, "priority_names": PRIORITY_NAMES,
            "weekday_names": WEEKDAY_NAMES}


def office_state() -> dict[str, Any]:
    office = read_db().get_one(Office, g.device.office_id)
    return {"office": office, "is_open": queue.office_is_open(office, runtime().clock())}


def office_name() -> str:
    """Called only by the full page's header, so a swapped partial costs no query."""
    office = read_db().get_one(Office, g.device.office_id)
    return str(office.names.get(str(get_locale())) or office.names["vi"])


def screen(partial: str, **context: Any) -> str:
    """The partial for htmx; the whole kiosk page around it for a first load or a reload."""
    return render_template(partial if request.htmx else "kiosk/page.html", partial=partial, **context)


def hx_redirect(endpoint: str) -> Response:
    """A full page load: used when the language changes, so every string on the page follows."""
    response = Response(status=204)
    response.headers["HX-Redirect"] = url_for(endpoint)
    return response


@bp.get("/")
@paired("kiosk")
def welcome() -> str:
    wipe_citizen()
    return render_template("kiosk/page.html", partial="kiosk/_welcome.html", idle=False)


@bp.post("/language")
def choose_language() -> Response:
    if request.form.get("lang") in LANGUAGES:
        session["kiosk_language"] = request.form["lang"]
    return hx_redirect("kiosk.declaration_page" if session.get("kiosk_draft") else "kiosk.menu")


@bp.get("/menu")
def menu() -> str:
    return screen("kiosk/_menu.html")


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
        lambda s, office, now, options: queue.issue_ticket(s, office, code, now, runtime().settings, **options)
    )


@bp.get("/code")
def code_form() -> str:
    return screen("kiosk/_code.html", code="", error=None)


@bp.post("/code")
def check_in() -> str:
    typed = request.form.get("code", "")
    config = runtime().config["declarations"]
    try:
        return issue_and_show(
            lambda s, office, now, options: appointments.check_in(
                s, office, typed, now, runtime().settings, config, **options
            )
        )
    except appointments.CheckInError as exc:
        return screen("kiosk/_code.html", code=typed, error=check_in_refusal(exc))


@bp.get("/ticket/print-status")
def print_status() -> str:
    ticket_id = session.get("kiosk_ticket")
    ticket = public_ticket(read_db(), ticket_id) if ticket_id else None
    return render_template("kiosk/_print_status.html", ticket=ticket)


@bp.post("/wipe")
def wipe() -> Response:
    """Idle timeout or "done": forget this citizen, back to the welcome screen."""
    wipe_citizen()
    return hx_redirect("kiosk.welcome")


@bp.get("/health")
def health() -> tuple[str, int]:
    """Polled by the page: out of service (with the reason) while the office is closed; back by itself after."""
    return render_template("kiosk/_service_state.html", state=office_state()), 200


def issue_and_show(issue: Issue) -> str:
    """Issue in one transaction, then show the ticket; a queue refusal is a screen, not an error page."""
    rt, session_ = runtime(), db()
    options = {"priority": session.get("kiosk_priority"), "language": str(get_locale()), "source": "kiosk",
               "actor": g.device.actor}
    try:
        with session_.begin():
            office = session_.get_one(Office, g.device.office_id)
            now = rt.clock()
            ticket = issue(session_, office, now, options)
            printer_url = printing.printer_for("kiosk", g.device.printer_url, rt.config)
            if printer_url:  # the job commits with the ticket; the screen shows the ticket either way
                printing.enqueue(session_, ticket, printer_url, now, g.device.device_id)
            if ticket.seq == 1:  # the first ticket of a service's day: a good moment to forget old declarations
                purge_declarations(session_, now)
    except QueueError as exc:
        return screen("kiosk/_refusal.html", message=queue_refusal(exc)[1])
    if printer_url:
        wake_spooler()
    for key in ("kiosk_draft", "kiosk_step", "kiosk_priority"):
        session.pop(key, None)
    session["kiosk_ticket"] = ticket.id
    return show_ticket(ticket.id)


def show_ticket(ticket_id: int) -> str:
    ticket = public_ticket(read_db(), ticket_id)
    return screen("kiosk/_ticket.html", ticket=ticket, qr=qr_svg(ticket["status_url"]))


def purge_declarations(session_: Session, now: datetime) -> int:
    config = runtime().config["declarations"]
    return declarations.purge(session_, now, config["retention_days"], config["draft_max_age_min"])


def wipe_citizen() -> None:
    """Forget the citizen: the unfinished draft in the database and everything in the session."""
    key = session.get("kiosk_draft")
    if key:
        with db().begin():
            declarations.discard(db(), key)
    for name in SESSION_KEYS:
        session.pop(name, None)


def service_rows() -> list[dict[str, Any]]:
    """The office's services with the people waiting and the wait a new ticket would have."""
    rt, session_ = runtime(), read_db()
    office = session_.get_one(Office, g.device.office_id)
    waiting = waiting_by_service(session_, office, rt.clock())
    sample, default_s = rt.config["queue"]["estimate_sample"], rt.config["queue"]["default_service_min"] * 60
    language = str(get_locale())
    rows = session_.scalars(select(Service).where(Service.office_id == office.id, Service.active).order_by(Service.id))
    return [
        {"code": s.code, "prefix": s.prefix, "name": s.name(language), "waiting": waiting.get(s.id, 0),
         "wait_min": round(service_wait_s(session_, s, waiting.get(s.id, 0), sample, default_s) / 60)}
        for s in rows
    ]


def qr_svg(url: str) -> Markup:
    """The ticket's QR (its status address: a random token, nothing personal) as inline SVG, one path.

    A fixed mask pattern: any mask decodes, and choosing the "best" of eight costs ~10 ms per ticket.
    """
    code = qrcode.QRCode(error_correction=qrcode.ERROR_CORRECT_M, mask_pattern=0, border=4)
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()
    path = "".join(f"M{x},{y}h1v1h-1z" for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark)
    size = len(matrix)
    return Markup(  # only digits and our own URL's modules: nothing to escape
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" shape-rendering="crispEdges" '
        f'role="img"><rect width="{size}" height="{size}" fill="#fff"/><path d="{path}" fill="#000"/></svg>'
    )


def check_in_refusal(exc: appointments.CheckInError) -> str:
    if isinstance(exc, appointments.CodeUsedError):
        return _("This code has already been used for a ticket. Please ask at the information desk.")
    if isinstance(exc, appointments.NotTodayError):
        return _("Your appointment is for another day. Please check the date.")
    return _("We could not find this code. Please check the digits and try again.")


from kiosk.web.kiosk import wizard as kiosk_wizard  # noqa: E402, F401  # the wizard's views register on this blueprint
