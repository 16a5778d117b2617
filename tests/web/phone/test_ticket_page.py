"""The page behind the ticket's QR: the citizen follows their place from a phone, in their language."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.support.app import auth, make_token
from tests.support.tickets import take_ticket


def test_the_page_follows_the_ticket_from_waiting_to_called(app: Flask, client: FlaskClient) -> None:
    kiosk, counter = make_token(app, "kiosk"), make_token(app, "staff", counter=1)
    first, second = take_ticket(client, kiosk, language="vi"), take_ticket(client, kiosk, language="zh")
    page = client.get(f"/t/{second['token']}").get_data(as_text=True)
    assert "A002" in page and "您前面还有1人" in page  # the citizen's language from the kiosk
    assert "Còn 1 người trước bạn" in client.get(f"/t/{second['token']}?lang=vi").get_data(as_text=True)
    client.post("/api/v1/counters/1/call-next", headers=auth(counter))
    called = client.get(f"/t/{first['token']}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert called.lstrip().startswith('<section id="ticket-status"') and "đến quầy số 1" in called
    assert client.get("/t/no-such-token").status_code == 404


def test_a_citizen_gives_up_their_place(app: Flask, client: FlaskClient) -> None:
    ticket = take_ticket(client, make_token(app, "kiosk"), language="en")
    with client:
        client.get(f"/t/{ticket['token']}")
        refused = client.post(f"/t/{ticket['token']}/cancel")  # no CSRF token: a cross-site form cannot do this
        assert refused.status_code == 400
    status = client.get(f"/api/v1/tickets/{ticket['token']}").get_json()["status"]
    assert status == "waiting"
