"""One test client for the htmx screens: a Flask test client that opens a page, keeps that page's CSRF token and
posts as htmx does (HX-Request, X-CSRFToken). The paired kiosk and the signed-in staff browser are built on it."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from kiosk.domain.office.accounts import AccountForm, save_account
from kiosk.domain.office.setup import sync_office
from kiosk.runtime import Runtime
from tests.support.app import make_token

CSRF_META = re.compile(r'name="csrf-token" content="([^"]+)"')
PASSWORD = "correct horse"


def csrf_of(html: str) -> str:
    """The CSRF token a page carries in its <meta name="csrf-token">, which htmx sends as X-CSRFToken."""
    found = CSRF_META.search(html)
    assert found, html[:800]
    return found.group(1)


class HtmxClient:
    """A browser with htmx on the app: `page` loads a whole page, `get` and `post` are htmx's requests, each
    with the CSRF token of the page it opened."""

    def __init__(self, client: FlaskClient, opened: str) -> None:
        self.client = client
        self.csrf = csrf_of(self.page(opened))

    @property
    def headers(self) -> dict[str, str]:
        """What htmx adds to each request of the opened page."""
        return {"HX-Request": "true", "X-CSRFToken": self.csrf}

    def page(self, path: str, **headers: str) -> str:
        """A whole page, as the address bar or a redirect loads it (no HX-Request)."""
        answer = self.client.get(path, headers=headers)
        assert answer.status_code == 200, answer.get_data(as_text=True)[:800]
        return answer.get_data(as_text=True)

    def get(self, path: str) -> str:
        """A fragment, as hx-get asks for it."""
        answer = self.client.get(path, headers={"HX-Request": "true"})
        assert answer.status_code == 200, answer.get_data(as_text=True)[:800]
        return answer.get_data(as_text=True)

    def post(self, path: str, **form: Any) -> TestResponse:
        return self.client.post(path, data=form, headers=self.headers)

    def html(self, path: str, **form: Any) -> str:
        """hx-post that must answer 200: the fragment it swaps in."""
        answer = self.post(path, **form)
        assert answer.status_code == 200, answer.get_data(as_text=True)[:800]
        return answer.get_data(as_text=True)


def paired_kiosk(app: Flask, client: FlaskClient) -> HtmxClient:
    """A kiosk paired by its device token (the cookie pairing sets), on the kiosk's page."""
    assert client.get(f"/kiosk/?device={make_token(app, 'kiosk')}").status_code == 302
    return HtmxClient(client, "/kiosk/")


class StaffClient(HtmxClient):
    """A staff browser on the sign-in page; signed in (or not) with `sign_in`, the token stays the page's."""

    def __init__(self, client: FlaskClient) -> None:
        super().__init__(client, "/login")

    def sign_in(self, username: str, password: str = PASSWORD) -> TestResponse:
        return self.client.post("/login", data={"username": username, "password": password, "csrf_token": self.csrf})


def make_account(app: Flask, username: str, role: str, password: str = PASSWORD) -> None:
    rt: Runtime = app.extensions["kiosk"]
    with rt.sessions.begin() as session:
        office = sync_office(session, rt.config)
        save_account(session, office, None, AccountForm(username, username.title(), role, True, password),
                     rt.clock(), "test")


def signed_in(app: Flask, client: FlaskClient, role: str, username: str | None = None) -> StaffClient:
    """A new account of `role` (named `username`, or after the role), signed in on `client`."""
    username = username or role
    make_account(app, username, role)
    browser = StaffClient(client)
    assert browser.sign_in(username).status_code == 302
    return browser
