"""The display's page, its stream's first message (the snapshot) and the announcement sound, through the app."""

from __future__ import annotations

import io
import wave
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kiosk.domain.hall.voices import espeak_engine
from tests.support.app import auth, make_token
from tests.support.tickets import take_ticket

needs_espeak = pytest.mark.skipif(
    espeak_engine() is None, reason="espeak-ng missing: apt-get install espeak-ng (CI installs it)"
)


@pytest.fixture
def display(app: Flask, client: FlaskClient) -> FlaskClient:
    """The test client paired as the hall display (the cookie pairing sets)."""
    assert client.get(f"/display?device={make_token(app, 'display')}").status_code == 302
    return client


def call(app: Flask, client: FlaskClient, *languages: str) -> list[int]:
    """Issue a ticket per language and call each to counter 1; the ids of the call events."""
    kiosk, staff = make_token(app, "kiosk"), make_token(app, "staff")
    ids = []
    for language in languages:
        take_ticket(client, kiosk, language=language)
        client.post("/api/v1/counters/1/call-next", headers=auth(staff))
        app.extensions["kiosk"].hub.refresh()
        ids.append(app.extensions["kiosk"].hub.head)
    return ids


def first_message(display: FlaskClient, **headers: str) -> str:
    """The stream's opening: the snapshot, read without waiting for later events."""
    response = display.get("/display/stream", headers=headers, buffered=False)
    chunks: Iterator[bytes] = iter(response.response)
    try:
        text = b"".join(next(chunks) for _ in range(2)).decode()  # the snapshot, then the retry line
    finally:
        response.close()
    return text


def test_the_page_needs_a_paired_display(app: Flask, client: FlaskClient) -> None:
    assert client.get("/display").status_code == 401
    assert client.get(f"/display?device={make_token(app, 'kiosk')}").status_code == 401


def test_the_page_shows_the_hall_and_listens_to_its_stream(app: Flask, display: FlaskClient) -> None:
    call(app, display, "vi")
    page = display.get("/display").get_data(as_text=True)
    assert 'sse-connect="/display/stream?lang=vi"' in page and 'id="announcements"' in page
    assert 'data-counter="1"' in page and 'data-ticket="A001"' in page and "Số vừa gọi" in page
    assert "Please have your ID card" not in page and "Vui lòng chuẩn bị căn cước" in page
    assert "Recent calls" in display.get("/display?lang=en").get_data(as_text=True)


def test_every_connect_starts_with_the_whole_hall_and_the_missed_calls(app: Flask, display: FlaskClient) -> None:
    first, second = call(app, display, "vi", "en")
    snapshot = first_message(display, **{"Last-Event-ID": str(first)})
    calls, hall = snapshot.split("event: hall\n")
    assert calls.startswith("event: calls\n") and f'data-event-id="{second}"' in calls
    assert f'data-event-id="{first}"' not in calls  # seen before the drop
    assert 'lang="en"' in calls and "Ticket A002, please go to counter 1" in calls
    assert calls.endswith(f"id: {second}\n")  # the hall is as of the newest event: the stream goes on from there
    assert 'data-ticket="A002"' in hall and 'id="hall"' in hall
    # htmx's sse extension reconnects without Last-Event-ID: every young call comes, the page skips those it said.
    assert f'data-event-id="{first}"' in first_message(display)


@needs_espeak
def test_each_call_sounds_in_its_languages(app: Flask, display: FlaskClient) -> None:
    seconds = {}
    for language, event_id in zip(("vi", "en", "zh"), call(app, display, "vi", "en", "zh"), strict=True):
        answer = display.get(f"/display/calls/{event_id}.wav")
        assert answer.status_code == 200 and answer.mimetype == "audio/wav"
        with wave.open(io.BytesIO(answer.data)) as sound:
            seconds[language] = sound.getnframes() / sound.getframerate()
    # Chime and Vietnamese (4-8 s); the citizen's language adds its own sentence.
    assert 4 < seconds["vi"] < 9
    assert seconds["en"] > seconds["vi"] + 1.5 and seconds["zh"] > seconds["vi"] + 1.5
    event_id = call(app, display, "vi")[0]
    brief = display.get(f"/display/calls/{event_id}.wav?delivery=next")
    with wave.open(io.BytesIO(brief.data)) as sound:
        assert sound.getnframes() / sound.getframerate() < seconds["vi"] / 2  # no chime, number and counter only
    assert display.get(f"/display/calls/{event_id}.wav?delivery=loud").status_code == 404


def test_only_calls_of_the_displays_office_have_a_sound(app: Flask, display: FlaskClient) -> None:
    (event_id,) = call(app, display, "vi")
    assert display.get(f"/display/calls/{event_id - 1}.wav").status_code == 404  # the ticket's issue, not a call
    assert display.get("/display/calls/999999.wav").status_code == 404
