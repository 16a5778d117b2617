"""The counter screen through the test client: paired to one counter, it shows the counter's number, the ticket
called there, and paused or closed; a screen paired to no counter, or not paired, shows nothing."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from kiosk.domain.office.setup import sync_office
from kiosk.domain.queue import calls, tickets
from kiosk.runtime import Runtime
from tests.support.app import make_token


def shown(client: FlaskClient) -> dict[str, str]:
    page = client.get("/counter").get_data(as_text=True)
    tag = re.search(r'<section id="counter"[^>]*>', page).group(0)  # type: ignore[union-attr]
    return dict(re.findall(r'data-(\w+)="([^"]*)"', tag))


def at_counter_1(app: Flask, action: str, state: str = "") -> None:
    rt: Runtime = app.extensions["kiosk"]
    with rt.sessions.begin() as session:
        office = sync_office(session, rt.config)
        counter = calls.get_counter(session, office, 1, lock=True)
        if action == "call":
            tickets.issue_ticket(session, office, "passport-first", rt.clock(), rt.settings)
            calls.call_next(session, counter, rt.clock(), rt.settings)
        else:
            calls.set_counter_state(session, counter, state, rt.clock())


def test_the_screen_shows_its_counter_the_call_paused_and_closed(app: Flask, client: FlaskClient) -> None:
    assert client.get("/counter").status_code == 401
    assert client.get(f"/counter?device={make_token(app, 'counter_screen', counter=1)}").status_code == 302
    assert shown(client) == {"counter": "1", "state": "open", "ticket": "", "calls": "0"}
    at_counter_1(app, "call")
    assert shown(client) == {"counter": "1", "state": "open", "ticket": "A001", "calls": "1"}
    at_counter_1(app, "state", "paused")
    assert shown(client)["state"] == "paused" and "Tạm dừng" in client.get("/counter").get_data(as_text=True)
    at_counter_1(app, "state", "closed")
    page = client.get("/counter?lang=en").get_data(as_text=True)
    assert 'data-state="closed"' in page and "Closed" in page and 'id="stream-health"' in page


def test_every_connect_of_the_stream_starts_with_the_whole_screen(app: Flask, client: FlaskClient) -> None:
    """So a screen back after a network drop or a server restart is whole again at once."""
    client.get(f"/counter?device={make_token(app, 'counter_screen', counter=1)}")
    at_counter_1(app, "call")
    stream = client.get("/counter/stream", buffered=False)
    first = next(iter(stream.response))
    stream.close()
    text = first.decode() if isinstance(first, bytes) else first
    assert text.startswith("id: ") and "event: counter" in text and 'data-ticket="A001"' in text


def test_a_screen_paired_to_no_counter_shows_nothing(app: Flask, client: FlaskClient) -> None:
    client.get(f"/counter?device={make_token(app, 'counter_screen')}")
    assert client.get("/counter").status_code == 404
