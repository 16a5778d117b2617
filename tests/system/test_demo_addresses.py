"""`kiosk demo` prints the addresses the office will answer at: the configured port, never a fixed :8000, and the
ticket's QR follows the same address unless the office names its own (KIOSK_PUBLIC_URL)."""

from __future__ import annotations

import re

from click.testing import CliRunner

from kiosk.cli import cli
from kiosk.config import load_config


def test_the_demo_prints_the_configured_port(office_env: dict[str, str]) -> None:
    shown = CliRunner().invoke(cli, ["demo"], env={**office_env, "KIOSK_SERVER__PORT": "8123"})
    assert shown.exit_code == 0, shown.output
    ports = re.findall(r"http://127\.0\.0\.1:(\d+)", shown.output)
    assert len(ports) > 5 and set(ports) == {"8123"}, shown.output
    assert "KIOSK_PUBLIC_URL" in shown.output  # and that no phone can open 127.0.0.1: how to fix it


def test_the_qr_names_the_lan_address_when_the_office_gives_one(office_env: dict[str, str]) -> None:
    env = {**office_env, "KIOSK_SERVER__HOST": "0.0.0.0", "KIOSK_PUBLIC_URL": "http://192.168.1.20:8000"}
    shown = CliRunner().invoke(cli, ["demo"], env=env)
    assert shown.exit_code == 0, shown.output
    assert "http://192.168.1.20:8000/kiosk?device=" in shown.output and "127.0.0.1" not in shown.output
    assert load_config(environ={"KIOSK_SERVER__PORT": "9000"})["server"]["public_url"] == "http://127.0.0.1:9000"
    everywhere = load_config(environ={"KIOSK_SERVER__HOST": "0.0.0.0"})
    assert everywhere["server"]["public_url"] == "http://127.0.0.1:8000"  # this machine's own, for a try-out
