"""The page behind the ticket's QR: the citizen follows their place from a phone, in their language."""

from __future__ import annotations

from pathlib import Path

import requests
from flask import Flask
from flask.testing import FlaskClient

from tests.support.app import auth, make_token
from tests.support.browser import chromium, screenshot
from tests.support.server import demo_tokens


def take(client: FlaskClient, token: str, language: str = "vi") -> dict:
    answer = client.post("/api/v1/tickets", json={"service": "passport-first", "language": language},
                         headers=auth(token))
    assert answer.status_code == 201
    return answer.get_json()


def test_the_page_follows_the_ticket_from_waiting_to_called(app: Flask, client: FlaskClient) -> None:
    kiosk, counter = make_token(app, "kiosk"), make_token(app, "staff", counter=1)
    first, second = take(client, kiosk), take(client, kiosk, "zh")
    page = client.get(f"/t/{second['token']}").get_data(as_text=True)
    assert "A002" in page and "您前面还有1人" in page  # the citizen's language from the kiosk
    assert "Còn 1 người trước bạn" in client.get(f"/t/{second['token']}?lang=vi").get_data(as_text=True)
    client.post("/api/v1/counters/1/call-next", headers=auth(counter))
    called = client.get(f"/t/{first['token']}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert called.lstrip().startswith('<section id="ticket-status"') and "đến quầy số 1" in called
    assert client.get("/t/no-such-token").status_code == 404


def test_a_citizen_gives_up_their_place(app: Flask, client: FlaskClient) -> None:
    ticket = take(client, make_token(app, "kiosk"), "en")
    with client:
        client.get(f"/t/{ticket['token']}")
        refused = client.post(f"/t/{ticket['token']}/cancel")  # no CSRF token: a cross-site form cannot do this
        assert refused.status_code == 400
    status = client.get(f"/api/v1/tickets/{ticket['token']}").get_json()["status"]
    assert status == "waiting"


def test_cancel_from_a_phone_browser(start_server, instance: Path) -> None:
    server = start_server()
    kiosk = demo_tokens(instance)["kiosk-lobby"]
    ticket = requests.post(f"{server.url}/api/v1/tickets", json={"service": "passport-reissue", "language": "vi"},
                           headers=auth(kiosk), timeout=5).json()
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844}, has_touch=True)
        page.goto(f"{server.url}/t/{ticket['token']}")
        assert page.locator(".ticket-number").inner_text() == ticket["number"]
        screenshot(page, "phone", "ticket-vi")
        page.on("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="Tôi không cần số này nữa").tap()
        page.get_by_text("Số thứ tự này đã được hủy.").wait_for()
        screenshot(page, "phone", "ticket-cancelled-vi")
    assert requests.get(f"{server.url}/api/v1/tickets/{ticket['token']}", timeout=5).json()["status"] == "cancelled"
