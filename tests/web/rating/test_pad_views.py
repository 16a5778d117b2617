"""The rating pad through the test client: paired to a counter, it offers the ticket just finished there and no
other, records one final rating (a second is a translated 409), takes the optional answers once, and shows its idle
screen when the offer is over."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from tests.support.app import make_token
from tests.support.htmx_client import HtmxClient
from tests.support.ratings import serve


def pad(app: Flask, client: FlaskClient, counter: int = 1) -> HtmxClient:
    assert client.get(f"/rate?device={make_token(app, 'rating_pad', counter=counter)}").status_code == 302
    return HtmxClient(client, "/rate")


def state(html: str) -> str:
    return re.search(r'id="rating"[^>]*data-state="(\w+)"', html).group(1)  # type: ignore[union-attr]


def test_the_pad_offers_the_ticket_just_finished_and_rates_it_once(app: Flask, client: FlaskClient) -> None:
    assert client.get("/rate").status_code == 401  # not paired
    browser = pad(app, client)
    assert state(browser.page("/rate")) == "idle" and "Quầy 1" in browser.page("/rate")
    ticket = serve(app, minutes=0.5)
    offer = browser.get("/rate/now")
    assert state(offer) == "asking" and f'data-ticket="{ticket.number}"' in offer
    assert 'hx-trigger="load delay:60s"' in offer  # back to idle by itself when the 90 s are up
    unsafe = client.post(f"/rate/tickets/{ticket.id}", data={"level": "dissatisfied"}, headers={"HX-Request": "true"})
    assert unsafe.status_code == 400  # no CSRF token: nothing recorded
    details = browser.html(f"/rate/tickets/{ticket.id}", level="dissatisfied")
    assert state(details) == "details" and "Không hài lòng" in details and 'name="reason"' in details
    again = browser.post(f"/rate/tickets/{ticket.id}", level="very_satisfied")
    assert again.status_code == 409 and "Số này đã được đánh giá. Xin cảm ơn." in again.get_data(as_text=True)
    wrong = browser.post("/rate/ratings/1", reason="attitude", call_back="yes", phone="123")
    assert wrong.status_code == 422 and "10 chữ số" in wrong.get_data(as_text=True)
    thanks = browser.html("/rate/ratings/1", reason="attitude", visits="3", comment="Chờ lâu")
    assert state(thanks) == "thanks"
    assert browser.post("/rate/ratings/1", visits="1").status_code == 409  # the answers are given once
    assert state(browser.get("/rate/now")) == "idle"  # rated: the pad never offers it again


def test_a_pad_rates_only_its_counters_ticket_while_it_is_offered(app: Flask, client: FlaskClient) -> None:
    other_counter = serve(app, counter=2, minutes=0.5)
    old = serve(app, minutes=2)  # finished longer ago than the pad offers
    browser = pad(app, client)
    assert state(browser.get("/rate/now")) == "idle"
    for ticket in (other_counter, old):
        refused = browser.post(f"/rate/tickets/{ticket.id}", level="satisfied")
        assert refused.status_code == 409 and "Hiện không thể đánh giá số này." in refused.get_data(as_text=True)


def test_the_pad_asks_in_the_citizens_language(app: Flask, client: FlaskClient) -> None:
    serve(app, minutes=0.5, language="zh")
    offer = pad(app, client).get("/rate/now")
    assert "非常满意" in offer and "很不满意" in offer and 'lang="zh"' in offer
