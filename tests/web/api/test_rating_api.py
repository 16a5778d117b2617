"""Rating through the API: whoever holds the ticket's token rates it once it is done; the same rules (and the same
case for a bad rating) as the rating pad and the phone page."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from kiosk.data.models import Rating, RatingCase
from tests.support.app import make_token
from tests.support.ratings import serve
from tests.support.tickets import take_ticket


def test_a_finished_ticket_is_rated_once_through_its_token(app: Flask, client: FlaskClient) -> None:
    ticket = serve(app)
    rated = client.post(f"/api/v1/tickets/{ticket.token}/rating",
                        json={"level": "dissatisfied", "reasons": ["long_wait"], "visits": 3, "comment": "  Lâu quá "})
    assert rated.status_code == 201
    assert rated.get_json() == {"number": ticket.number, "level": "dissatisfied", "satisfied": False}
    again = client.post(f"/api/v1/tickets/{ticket.token}/rating", json={"level": "very_satisfied", "language": "en"})
    assert again.status_code == 409 and again.get_json()["error"] == "This ticket has already been rated. Thank you."
    with app.extensions["kiosk"].readonly_sessions() as session:
        rating = session.scalars(select(Rating)).one()
        assert (rating.level, rating.reasons, rating.visits, rating.comment) == ("dissatisfied", ["long_wait"], 3,
                                                                                 "Lâu quá")
        assert session.scalars(select(RatingCase)).one().rating_id == rating.id  # the supervisor answers it


def test_a_rating_off_the_scale_too_soon_or_for_no_ticket_is_refused(app: Flask, client: FlaskClient) -> None:
    served = serve(app)
    waiting = take_ticket(client, make_token(app, "kiosk"))
    asked = [
        (f"/api/v1/tickets/{served.token}/rating", {"level": "fairly_satisfied"}, 422),  # the office has four levels
        (f"/api/v1/tickets/{served.token}/rating", {"level": "satisfied", "reasons": ["the colour"]}, 422),
        (f"/api/v1/tickets/{served.token}/rating", {"level": "satisfied", "comment": "x" * 301}, 422),
        (f"/api/v1/tickets/{served.token}/rating", {"level": "satisfied", "phone": "0912345678"}, 422),
        (f"/api/v1/tickets/{waiting['token']}/rating", {"level": "satisfied"}, 409),  # not served yet
        ("/api/v1/tickets/no-such-token/rating", {"level": "satisfied"}, 404),
    ]
    assert [client.post(path, json=body).status_code for path, body, _ in asked] == [status for *_, status in asked]
    with app.extensions["kiosk"].readonly_sessions() as session:
        assert session.scalars(select(Rating)).all() == []  # a refused rating keeps nothing, details included
