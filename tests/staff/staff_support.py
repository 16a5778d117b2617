"""Staff accounts, a signed-in test client and a declared ticket, for the console and desk tests."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from kiosk.data.models import Office, Ticket
from kiosk.domain.declarations import drafts as declarations
from kiosk.domain.declarations.form import steps
from kiosk.domain.office.accounts import AccountForm, save_account
from kiosk.domain.office.setup import sync_office
from kiosk.domain.queue.settings import QueueSettings
from kiosk.runtime import Runtime
from tests.kiosk.kiosk_factories import TK01_STEPS
from tests.support.app import auth

PASSWORD = "correct horse"


def make_account(app: Flask, username: str, role: str, password: str = PASSWORD) -> None:
    rt: Runtime = app.extensions["kiosk"]
    with rt.sessions.begin() as session:
        office = sync_office(session, rt.config)
        save_account(session, office, None, AccountForm(username, username.title(), role, True, password),
                     rt.clock(), "test")


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)  # type: ignore[union-attr]


class StaffBrowser:
    """A test client signed in (or not) with the CSRF token a page gave it, posting as htmx does."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.csrf = csrf_of(client.get("/login").get_data(as_text=True))

    def sign_in(self, username: str, password: str = PASSWORD) -> TestResponse:
        return self.client.post("/login", data={"username": username, "password": password, "csrf_token": self.csrf})

    def post(self, path: str, **form: Any) -> TestResponse:
        return self.client.post(path, data=form, headers={"HX-Request": "true", "X-CSRFToken": self.csrf})

    def html(self, path: str, **form: Any) -> str:
        answer = self.post(path, **form)
        assert answer.status_code == 200, answer.get_data(as_text=True)[:800]
        return answer.get_data(as_text=True)

    def get(self, path: str, **headers: str) -> str:
        answer = self.client.get(path, headers=headers)
        assert answer.status_code == 200, answer.get_data(as_text=True)[:800]
        return answer.get_data(as_text=True)


def signed_in(app: Flask, client: FlaskClient, role: str, username: str | None = None) -> StaffBrowser:
    username = username or role
    make_account(app, username, role)
    browser = StaffBrowser(client)
    assert browser.sign_in(username).status_code == 302
    return browser


def take(client: FlaskClient, token: str, service: str = "passport-first", **extra: str) -> dict[str, Any]:
    """A ticket from the kiosk's API, as its answer says."""
    answer = client.post("/api/v1/tickets", json={"service": service, **extra}, headers=auth(token))
    assert answer.status_code == 201
    return dict(answer.get_json())


def shown_ticket(html: str) -> str:
    """The console's current ticket number, as its data attribute says."""
    return re.search(r'id="console"[^>]*data-ticket="([^"]*)"', html, re.S).group(1)  # type: ignore[union-attr]


def outcome(html: str) -> str:
    return " ".join(re.findall(r'class="message is-(?:ok|error)" role="(?:status|alert)">([^<]*)<', html))


def declared_ticket(session: Session, office: Office, config: dict[str, Any], settings: QueueSettings,
                    now: datetime) -> Ticket:
    """A TK01 typed at the kiosk, submitted, and checked in for a ticket (committed)."""
    draft = declarations.start_draft(session, office, "TK01", "vi", now)
    for step in steps("TK01"):
        declarations.save_step(draft, step, TK01_STEPS[step.key], now.date(), now)
    declarations.submit(session, draft, now.date(), now)
    ticket = declarations.issue_for(session, office, draft, now, settings, config["declarations"], source="kiosk")
    session.commit()
    return ticket
