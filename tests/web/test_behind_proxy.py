"""Behind the office's reverse proxy: the forwarded client address is believed from the listed proxy only, so each
client keeps its own sign-in limit there, and nobody else can pick an address by writing the header."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kiosk import create_app
from tests.support.htmx_client import StaffClient, make_account

PROXY = "127.0.0.1"


@pytest.fixture
def proxied(office_env: dict[str, str], morning: datetime) -> Iterator[Flask]:
    environ = dict(office_env, KIOSK_SERVER__PROXIES=f'["{PROXY}"]')
    app = create_app({"environ": environ, "clock": lambda: morning, "start_hub": False})
    make_account(app, "officer1", "officer")  # loads the office
    yield app
    app.extensions["kiosk"].engine.dispose()


def wrong_sign_ins(client: FlaskClient, count: int, sender: str, forwarded_for: str) -> list[int]:
    browser = StaffClient(client)
    return [client.post("/login", data={"username": f"name{n}", "password": "guess", "csrf_token": browser.csrf},
                        environ_base={"REMOTE_ADDR": sender},
                        headers={"X-Forwarded-For": forwarded_for}).status_code for n in range(count)]


def test_through_the_proxy_each_client_has_its_own_sign_in_limit(proxied: Flask) -> None:
    client = proxied.test_client()
    assert wrong_sign_ins(client, 11, PROXY, "10.0.0.5")[-1] == 429
    assert wrong_sign_ins(client, 1, PROXY, "10.0.0.6") == [401]  # another desk behind the same proxy


def test_a_client_that_is_not_the_proxy_cannot_name_its_own_address(proxied: Flask) -> None:
    client = proxied.test_client()
    answers = [wrong_sign_ins(client, 1, "10.0.0.9", f"10.1.0.{n}")[0] for n in range(11)]
    assert answers[:10] == [401] * 10 and answers[10] == 429  # one address, whatever its headers said
