"""The citizen's own phone: the page behind the ticket's QR, to follow the queue from a seat or from outside."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g, render_template, url_for
from htmx_flask import request
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.data.models import Ticket
from kiosk.domain.languages import LANGUAGES
from kiosk.domain.queue.errors import QueueError
from kiosk.domain.queue.tickets import cancel
from kiosk.domain.ratings import ratings
from kiosk.domain.ratings.errors import RatingError
from kiosk.web.common.db import db, read_db, runtime
from kiosk.web.common.public_ticket import public_ticket
from kiosk.web.common.rating_answers import (
    details_from,
    rating_refusal,
    rating_settings,
    rating_words,
    set_up_ratings,
)
from kiosk.web.common.refusals import queue_refusal

bp = Blueprint("phone", __name__)
bp.record_once(set_up_ratings)
bp.context_processor(rating_words)
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
    if request.htmx:
        return render_template("phone/_ticket_status.html", ticket=ticket, refresh_s=REFRESH_S, languages=LANGUAGES)
    return render_template("phone/ticket.html", ticket=ticket, refresh_s=REFRESH_S, languages=LANGUAGES,
                           **_rating_part(token))


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


@bp.post("/t/<token>/rating")
def rate_ticket(token: str) -> str | tuple[str, int]:
    """The citizen rates their finished ticket from its QR, for the rest of its day: once, final."""
    session, settings = db(), rating_settings()
    try:
        with session.begin():
            rating = ratings.rate(session, _ticket(session, token), request.form.get("level", ""), "phone",
                                  runtime().clock(), settings)
    except RatingError as exc:
        status, error = rating_refusal(exc)
        return render_template("phone/_rating.html", **_rating_part(token), error=error), status
    return render_template("rating/_details.html", rating=rating, settings=settings, timer_s=None,
                           action=url_for("phone.rate_details", token=token, lang=_chosen()))


@bp.post("/t/<token>/rating/details")
def rate_details(token: str) -> str | tuple[str, int]:
    session, settings = db(), rating_settings()
    try:
        with session.begin():
            rating = ratings.rating_of(session, _ticket(session, token).id)
            if rating is None:
                abort(404)
            ratings.add_details(session, rating, details_from(request.form), runtime().clock(), settings)
    except RatingError as exc:
        status, error = rating_refusal(exc)
        assert rating is not None  # only add_details refuses
        return render_template("rating/_details.html", rating=rating, settings=settings, timer_s=None, error=error,
                               action=url_for("phone.rate_details", token=token, lang=_chosen())), status
    return render_template("rating/_thanks.html", timer_s=None)


def _rating_part(token: str) -> dict[str, Any]:
    """The rating part of the page: the faces while the ticket may be rated, thanks once it is."""
    session = read_db()
    ticket = _ticket(session, token)
    return {"ticket_row": ticket, "settings": rating_settings(),
            "rateable": ratings.rateable_on_phone(session, ticket, runtime().clock()),
            "rated": ratings.rating_of(session, ticket.id) is not None,
            "action": url_for("phone.rate_ticket", token=token, lang=_chosen())}


def _ticket(session: Session, token: str) -> Ticket:
    ticket = session.scalar(select(Ticket).where(Ticket.token == token))
    if ticket is None:
        abort(404)
    if _chosen() is None:
        g.language = ticket.language
    return ticket


def _chosen() -> str | None:
    chosen = request.args.get("lang")
    return chosen if chosen in LANGUAGES else None
