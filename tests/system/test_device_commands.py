"""`kiosk device list` and `kiosk device revoke` on the office's database: a lost or replaced device stops at once,
the event streams it holds open on a running server included."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import requests
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.cli import cli
from kiosk.data.models import Event
from kiosk.domain.office.devices import device_for_token
from tests.support.server import ServerProcess, demo_tokens

HEARTBEAT_S = 15  # config server.heartbeat_s: a stream left open would show its next heartbeat by then


def test_kiosk_device_revoke(office_env: dict[str, str], session: Session, instance: Path) -> None:
    runner = CliRunner(env=office_env)
    assert runner.invoke(cli, ["demo"]).exit_code == 0
    listed = runner.invoke(cli, ["device", "list"]).output
    assert "kiosk-lobby  (never seen)" in listed and "tablet-counter-1 · counter 1" in listed
    unknown = runner.invoke(cli, ["device", "revoke", "kiosk-attic"])
    assert unknown.exit_code == 1
    assert "No device in use is named 'kiosk-attic'; `kiosk device list` shows them." in unknown.output

    revoked = runner.invoke(cli, ["device", "revoke", "kiosk-lobby"])
    assert revoked.exit_code == 0, revoked.output
    assert "kiosk-lobby revoked (1 device(s))" in revoked.output
    assert device_for_token(session, demo_tokens(instance)["kiosk-lobby"]) is None
    logged = session.scalars(select(Event).where(Event.kind == "device.revoked")).one()
    assert logged.actor == "cli" and logged.payload["name"] == "kiosk-lobby" and logged.payload["role"] == "kiosk"
    session.commit()
    assert runner.invoke(cli, ["device", "revoke", "kiosk-lobby"]).exit_code == 1  # once is enough
    assert "kiosk-lobby" not in runner.invoke(cli, ["device", "list"]).output


def ends_within(stream: requests.Response, seconds: float) -> bool:
    """Whether the server closes the stream by then (a stream left open goes on with heartbeats)."""
    deadline = time.monotonic() + seconds
    for _line in stream.iter_lines():
        if time.monotonic() > deadline:
            return False
    return True


def test_revoking_ends_the_streams_the_device_holds_open(
    start_server: Callable[..., ServerProcess], instance: Path, office_env: dict[str, str]
) -> None:
    server = start_server()
    display = demo_tokens(instance)["display-hall"]
    opened = [
        requests.get(f"{server.url}/api/v1/events", headers={"Authorization": f"Bearer {display}"}, stream=True,
                     timeout=(5, 2 * HEARTBEAT_S)),
        requests.get(f"{server.url}/display/stream", cookies={"device_display": display}, stream=True,
                     timeout=(5, 2 * HEARTBEAT_S)),
    ]
    assert [stream.status_code for stream in opened] == [200, 200]

    assert CliRunner(env=office_env).invoke(cli, ["device", "revoke", "display-hall"]).exit_code == 0
    assert [ends_within(stream, HEARTBEAT_S / 3) for stream in opened] == [True, True]
    again = requests.get(f"{server.url}/display/stream", cookies={"device_display": display}, timeout=10)
    assert again.status_code == 401  # the browser's reconnection is refused
