"""Rating from the ticket's phone page: offered once the ticket is done, for the rest of its day; final, and a
second rating is a 409 in the page's language."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.support.htmx_client import HtmxClient
from tests.support.ratings import serve


def test_the_citizen_rates_their_visit_from_the_ticket_page(app: Flask, client: FlaskClient) -> None:
    ticket = serve(app, minutes=60, language="en")  # an hour later: the pad has forgotten it, the phone has not
    page = HtmxClient(client, f"/t/{ticket.token}")
    opened = page.page(f"/t/{ticket.token}")
    assert 'data-state="asking"' in opened and "Very satisfied" in opened
    details = page.html(f"/t/{ticket.token}/rating", level="not_satisfied")
    assert "How many times have you come for this matter?" in details and "I waited too long" in details
    assert "hx-trigger" not in details  # no timer on the citizen's own phone
    thanks = page.html(f"/t/{ticket.token}/rating/details", reason="long_wait", visits="2", call_back="yes",
                       phone="0912 345 678")
    assert "Thank you for your answers." in thanks
    again = page.post(f"/t/{ticket.token}/rating", level="very_satisfied")
    assert again.status_code == 409 and "This ticket has already been rated." in again.get_data(as_text=True)
    assert page.post(f"/t/{ticket.token}/rating?lang=vi", level="satisfied").get_data(as_text=True).count(
        "Số này đã được đánh giá.") == 1
    assert "your rating of this visit has been received" in page.page(f"/t/{ticket.token}")


def test_a_level_off_the_scale_or_an_unknown_ticket_is_refused(app: Flask, client: FlaskClient) -> None:
    ticket = serve(app)
    page = HtmxClient(client, f"/t/{ticket.token}")
    refused = page.post(f"/t/{ticket.token}/rating", level="fairly_satisfied")  # the office rates on four levels
    assert refused.status_code == 422 and "Vui lòng chọn một trong các khuôn mặt." in refused.get_data(as_text=True)
    assert page.post("/t/no-such-token/rating", level="satisfied").status_code == 404
    assert 'data-state="asking"' in page.page(f"/t/{ticket.token}")  # nothing was recorded
