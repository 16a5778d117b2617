"""A citizen's rating through the API (a ticket app, the portal): public like cancelling, since the ticket's token
is the secret; the same rules as the rating pad and the phone page (kiosk.domain.ratings)."""

from __future__ import annotations

from flask import Response, jsonify
from sqlalchemy import select

from kiosk.data.models import Ticket
from kiosk.domain.queue.errors import TicketNotFoundError
from kiosk.domain.ratings import ratings
from kiosk.domain.ratings.errors import RatingError
from kiosk.web.api.blueprint import bp
from kiosk.web.api.errors import ApiError
from kiosk.web.api.inputs import read_body
from kiosk.web.api.shapes import Rate
from kiosk.web.common.db import db, runtime
from kiosk.web.common.rating_answers import rating_refusal, rating_settings, set_up_ratings

bp.record_once(set_up_ratings)


@bp.post("/tickets/<token>/rating")
def rate_ticket(token: str) -> tuple[Response, int]:
    asked = read_body(Rate)
    rt, session, settings = runtime(), db(), rating_settings()
    details = ratings.Details(reasons=list(asked.reasons), visits=str(asked.visits or ""),
                              comment=asked.comment or "", call_back=False, phone="")
    try:
        with session.begin():
            ticket = session.scalar(select(Ticket).where(Ticket.token == token))
            if ticket is None:
                raise TicketNotFoundError(token)
            rating = ratings.rate(session, ticket, asked.level, "phone", rt.clock(), settings)
            if asked.reasons or asked.visits or asked.comment:
                ratings.add_details(session, rating, details, rt.clock(), settings)
            answer = {"number": ticket.number, "level": rating.level, "satisfied": rating.satisfied}
    except RatingError as exc:
        raise ApiError(*rating_refusal(exc)) from None
    return jsonify(answer), 201
