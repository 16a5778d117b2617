"""The national portal's bridge: a whole declaration by API gets its code; a staff integration reads it back (and
the look is logged); the code checks in once a day through POST /tickets."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from kiosk.data.models import Event
from tests.support.app import auth, make_token
from tests.support.kiosk_factories import TK01_STEPS, WRONG_ID

FIELDS = {key: value for values in TK01_STEPS.values() for key, value in values.items()}


def test_a_declaration_sent_whole_checks_in_once_a_day(app: Flask, client: FlaskClient) -> None:
    kiosk, staff = make_token(app, "kiosk"), make_token(app, "staff", counter=2)
    sent = client.post("/api/v1/declarations", json={"form": "TK01", "fields": FIELDS}, headers=auth(kiosk))
    assert sent.status_code == 201, sent.get_json()
    code = sent.get_json()["code"]
    assert sent.get_json()["service"] == "passport-first" and sent.get_json()["expires_at"] == "2026-11-30"
    read = client.get(f"/api/v1/declarations/{code}", headers=auth(staff))
    assert read.status_code == 200 and read.get_json()["fields"]["surname"] == "NGUYỄN"
    assert client.get(f"/api/v1/declarations/{code}", headers=auth(kiosk)).status_code == 403  # personal data
    with app.extensions["kiosk"].readonly_sessions() as session:
        opened = session.scalars(select(Event).where(Event.kind == "declaration.opened")).one()
        assert opened.actor == "device:2" and opened.payload["counter"] == 2
    first = client.post("/api/v1/tickets", json={"declaration": code}, headers=auth(kiosk))
    assert first.status_code == 201 and first.get_json()["service"] == "passport-first"
    again = client.post("/api/v1/tickets", json={"declaration": code}, headers=auth(kiosk))
    assert again.status_code == 200 and again.get_json()["number"] == first.get_json()["number"]
    unknown = client.post("/api/v1/tickets", json={"declaration": "00000000", "language": "en"}, headers=auth(kiosk))
    assert unknown.status_code == 404 and "could not find this code" in unknown.get_json()["error"]


def test_a_declaration_with_mistakes_says_each_in_the_callers_language_and_keeps_nothing(
        app: Flask, client: FlaskClient) -> None:
    kiosk = make_token(app, "kiosk")
    wrong = {**FIELDS, "id_number": WRONG_ID, "date_of_birth": "31/02/1995", "nickname": "An"}
    sent = client.post("/api/v1/declarations", json={"form": "TK01", "language": "en", "fields": wrong},
                       headers=auth(kiosk))
    body = sent.get_json()
    assert sent.status_code == 422 and set(body["fields"]) == {"date_of_birth", "nickname"}
    assert body["fields"]["date_of_birth"] == "This date does not exist."
    assert client.get("/api/v1/declarations/00000000", headers=auth(make_token(app, "staff"))).status_code == 404
    vi = client.post("/api/v1/declarations", json={"form": "TK01", "fields": {}}, headers=auth(kiosk))
    assert vi.get_json()["fields"]["surname"] == "Vui lòng điền mục này."
