"""The citizen's own phone: the page behind the ticket's QR, to follow the queue from a seat or from outside."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g, render_template
from htmx_flask import request
from sqlalchemy import select

from kiosk.data.models import Ticket
from kiosk.domain.languages import LANGUAGES
from kiosk.domain.queue.errors import QueueError
from kiosk.domain.queue.tickets import cancel
from kiosk.web.common.db import db, read_db, runtime
from kiosk.web.common.public_ticket import public_ticket
from kiosk.web.common.refusals import queue_refusal

bp = Blueprint("phone", __name__)
REFRESH_S = 15  # polling, not SSE: a phone per citizen would hold a server thread each


@bp.context_processor
def chosen_language() -> dict[str, str | None]:
    """The language the citizen chose on this page (None: the ticket's own); every address the page makes carries
    it, so a refresh or a cancel answers in the language the page is in."""
    chosen = request.args.get("lang")
    return {"chosen_language": chosen if chosen in LANGUAGES else None}


@bp.get("/t/<token>")
def ticket_page(token: str) -> str:
    ticket = _ticket_status(token)
    template = "phone/_ticket_status.html" if request.htmx else "phone/ticket.html"
    return render_template(template, ticket=ticket, refresh_s=REFRESH_S, languages=LANGUAGES)


@bp.post("/t/<token>/cancel")
def cancel_ticket(token: str) -> str:
    rt, session = runtime(), db()
    error = None
    try:
        with session.begin():
            cancel(session, token, rt.clock(), "citizen")
    except QueueError as exc:
        error = queue_refusal(exc)[1]  # an unknown token is a 404 below
    return render_template("phone/_ticket_status.html", ticket=_ticket_status(token), refresh_s=REFRESH_S, error=error)


def _ticket_status(token: str) -> dict[str, Any]:
    session = read_db()
    ticket_id = session.scalar(select(Ticket.id).where(Ticket.token == token))
    if ticket_id is None:
        abort(404)
    if request.args.get("lang") not in LANGUAGES:
        # The page speaks the language the citizen chose at the kiosk unless they switch it here.
        g.language = session.scalar(select(Ticket.language).where(Ticket.id == ticket_id))
    return public_ticket(session, ticket_id)
