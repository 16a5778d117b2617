"""An app built for tests (fixed clock, no event hub thread) and device tokens for it."""

from __future__ import annotations

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
