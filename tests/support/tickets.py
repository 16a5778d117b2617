"""Taking a ticket through the API, as a kiosk does: from the app's test client or from a live `kiosk serve`."""

from __future__ import annotations

from typing import Any

import requests
from flask.testing import FlaskClient

from tests.support.app import auth


def take_ticket(target: FlaskClient | str, token: str, service: str = "passport-first", *, expect: int = 201,
                headers: dict[str, str] | None = None, http: requests.Session | None = None, timeout: float = 30,
                **body: Any) -> dict[str, Any]:
    """POST /api/v1/tickets with the kiosk's `token`; the answer's JSON, once its status is `expect`.

    `target` is a Flask test client, or a live server's base URL (then through `http`, a requests session, if
    given). `body` adds fields to the request (language, priority); `headers` adds headers (Accept-Language)."""
    json = {"service": service, **body}
    sent = auth(token, **(headers or {}))
    if isinstance(target, str):
        live = (http or requests).post(f"{target}/api/v1/tickets", json=json, headers=sent, timeout=timeout)
        assert live.status_code == expect, (live.status_code, live.text[:500])
        return dict(live.json())
    answer = target.post("/api/v1/tickets", json=json, headers=sent)
    assert answer.status_code == expect, (answer.status_code, answer.get_data(as_text=True)[:500])
    return dict(answer.get_json())
