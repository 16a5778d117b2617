"""The rating pad (`/rate`): a small tablet or phone paired to one counter, touched by the citizen just served.

It offers the ticket just finished at its counter (four or five faces with words), then what went wrong, and
thanks; it goes back to its idle screen by itself and as soon as the counter calls someone else. What it shows
comes live over its own stream, whole again on every connect. A pad can rate only the ticket it offers now.
"""

from __future__ import annotations

from collections.abc import Iterator

from flask import Blueprint, abort, g, render_template, request, stream_with_context, url_for
from flask_babel import force_locale
from markupsafe import Markup
from sqlalchemy import select
from werkzeug.wrappers import Response

from kiosk.data.models import Counter, Rating
from kiosk.domain.events.hub import StreamEvent
from kiosk.domain.ratings import ratings
from kiosk.domain.ratings.errors import RatingError
from kiosk.web.common.db import db, runtime
from kiosk.web.common.htmx import no_store
from kiosk.web.common.i18n import in_each_language
from kiosk.web.common.pairing import paired
from kiosk.web.common.rating_answers import (
    details_from,
    rating_refusal,
    rating_settings,
    rating_words,
    set_up_ratings,
)
from kiosk.web.common.sse import event_stream, sse_message, sse_response

bp = Blueprint("rating", __name__, url_prefix="/rate")
bp.record_once(set_up_ratings)
bp.context_processor(rating_words)
bp.after_request(no_store)
# What may change the pad's ticket: a ticket finished, called or sent on at its counter, the counter renumbered.
WATCHED_KINDS = frozenset({"ticket.done", "ticket.called", "ticket.recalled", "ticket.no_show", "ticket.transferred",
                           "counter.saved"})


@bp.get("")
@paired("rating_pad")
def page() -> str:
    return render_template("rating/page.html", pad=Markup(_pad_now(_counter_id())))


@bp.get("/now")
@paired("rating_pad")
def now() -> str:
    """What the pad shows now: its timers ask when an offer or the thanks have been shown long enough."""
    return _pad_now(_counter_id())


@bp.get("/stream")
@paired("rating_pad")
def stream() -> Response:
    return sse_response(stream_with_context(_pad_stream(_counter_id())))


@bp.post("/tickets/<int:ticket_id>")
@paired("rating_pad")
def rate(ticket_id: int) -> str | tuple[str, int]:
    """A face tapped: the rating is recorded at once (final), then the pad asks the optional questions."""
    session = db()
    try:
        with session.begin():
            counter = session.get_one(Counter, _counter_id())
            rating = ratings.rate_at_pad(session, counter, ticket_id, request.form.get("level", ""),
                                         runtime().clock(), rating_settings())
    except RatingError as exc:
        status, error = rating_refusal(exc)
        return _pad_now(_counter_id(), error=error), status
    return _details(rating)


@bp.post("/ratings/<int:rating_id>")
@paired("rating_pad")
def give_details(rating_id: int) -> str | tuple[str, int]:
    session, settings = db(), rating_settings()
    try:
        with session.begin():
            rating = session.get(Rating, rating_id)
            if rating is None or rating.counter_id != _counter_id() or rating.source != "pad":
                return _pad_now(_counter_id()), 404  # another counter's or a phone's: the pad shows its own state
            ratings.add_details(session, rating, details_from(request.form), runtime().clock(), settings)
    except RatingError as exc:
        status, error = rating_refusal(exc)
        return _details(session.get_one(Rating, rating_id), error), status
    with force_locale(rating.ticket.language):
        return render_template("rating/_thanks.html", timer_s=settings.pad_thanks_s, pad=True)


def _details(rating: Rating, error: str | None = None) -> str:
    """The optional questions, in the citizen's language; the pad goes back to idle if nobody answers."""
    settings = rating_settings()
    with force_locale(rating.ticket.language):
        return render_template("rating/_details.html", rating=rating, settings=settings, error=error,
                               action=url_for("rating.give_details", rating_id=rating.id),
                               timer_s=settings.pad_offer_s)


def _counter_id() -> int:
    """The counter the pad is paired to; a pad paired to none (or to a counter since removed) has nothing to show."""
    number = g.device.counter_number
    with runtime().readonly_sessions() as session:  # not the request's: the stream outlives any read
        found = None if number is None else session.scalar(
            select(Counter.id).where(Counter.office_id == g.device.office_id, Counter.number == number))
    if found is None:
        abort(404)
    return found


def _pad_now(counter_id: int, error: str | None = None) -> str:
    rt = runtime()
    with rt.readonly_sessions() as session:
        counter = session.get_one(Counter, counter_id)
        offer = ratings.pad_offer(session, counter.id, rt.clock(), rating_settings())
        return _render_pad(counter, offer, error)


def _render_pad(counter: Counter, offer: ratings.PadOffer, error: str | None = None) -> str:
    if offer.ticket is None:
        return render_template("rating/_idle.html", counter=counter.number, error=error,
                               invites=in_each_language("rating/_invite.html"))
    with force_locale(offer.ticket.language):
        return render_template("rating/_faces.html", ticket=offer.ticket, settings=rating_settings(), error=error,
                               action=url_for("rating.rate", ticket_id=offer.ticket.id), timer_s=offer.seconds_left)


def _pad_stream(counter_id: int) -> Iterator[str]:
    """The pad's screen on connect, then again each time the counter's last finished ticket changes (a rating
    changes nothing here: the citizen is answering the next questions, the timers take the pad back)."""
    rt = runtime()
    cursor = rt.hub.head
    shown = _last_finished(counter_id)
    yield sse_message("pad", _pad_now(counter_id), cursor)

    def changes(batch: list[StreamEvent]) -> str:
        nonlocal shown
        if not any(e.kind in WATCHED_KINDS for e in batch):
            return ""
        latest = _last_finished(counter_id)
        if latest == shown:
            return ""
        shown = latest
        return sse_message("pad", _pad_now(counter_id), batch[-1].id)

    yield from event_stream(rt.hub, g.device.office_id, cursor, changes)


def _last_finished(counter_id: int) -> int | None:
    with runtime().readonly_sessions() as session:
        ticket = ratings.last_finished_at(session, counter_id)
        return ticket.id if ticket else None
