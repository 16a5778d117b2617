"""Device tokens for the app under test, the Authorization header they go in, and the app's own routes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from flask import Flask

from kiosk.domain.office.devices import create_device
from kiosk.domain.office.setup import sync_office
from kiosk.runtime import Runtime


def make_token(app: Flask, role: str, counter: int | None = None, config: dict[str, Any] | None = None) -> str:
    rt: Runtime = app.extensions["kiosk"]
    with rt.sessions.begin() as session:
        office = sync_office(session, config or rt.config)
        return create_device(session, office, role, f"test-{role}", rt.clock(), counter_number=counter).token


def auth(token: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **headers}


def routes(app: Flask, prefix: str) -> Iterator[tuple[str, str]]:
    """(method, path) of every rule under the prefix, with 1 for each path parameter (the first choice of an
    `any(...)` one)."""
    for rule in app.url_map.iter_rules():
        if rule.rule == prefix or rule.rule.startswith(prefix + "/"):
            path = re.sub(r"<[^>]+>", "1", re.sub(r"<any\(\s*([^,)\s]+)[^>]*>", r"\1", rule.rule))
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                yield method, path


TOO_BIG = "99999999999999999999"  # more than any INTEGER column holds: an id or a number no row can have
