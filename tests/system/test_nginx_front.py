"""The production recipe, run as written: Debian's nginx with config/nginx/kiosk.conf (TLS) in front of the server
started from config/systemd/kiosk.service's ExecStart and Environment. Through it a kiosk takes a ticket, an event
stream gets each call as it happens (nginx must not hold it back), the app sees each client's own address, and
slow clients at nginx's door do not keep anyone else out."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask
from requests.adapters import HTTPAdapter
from sqlalchemy import select

from kiosk.data.models import Event
from tests.support.htmx_client import csrf_of
from tests.support.ports import free_port
from tests.support.server import REPO, demo_tokens
from tests.support.sse import EventStream
from tests.support.tickets import take_ticket

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SITE = REPO / "config/nginx/kiosk.conf"
UNIT = REPO / "config/systemd/kiosk.service"

pytestmark = pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx missing: scripts/install-system-deps")


@dataclass
class Front:
    url: str  # nginx, https
    plain_url: str  # nginx, http (redirects)
    https_port: int
    certificate: Path


class FromAddress(HTTPAdapter):
    """Connections from another loopback address: a second client machine, as nginx sees it."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def unit_lines(key: str) -> list[str]:
    return [line.split("=", 1)[1] for line in UNIT.read_text().splitlines() if line.startswith(f"{key}=")]


def command_from_unit(port: int) -> list[str]:
    """The unit's ExecStart with this checkout's Python in place of the installed venv, and the test's port."""
    [exec_start] = unit_lines("ExecStart")
    program, *arguments = exec_start.split()
    assert program.endswith("/.venv/bin/kiosk") and "--port" in arguments
    arguments[arguments.index("--port") + 1] = str(port)
    return [sys.executable, "-m", "kiosk", *arguments]


def site_for_test(app_port: int, http_port: int, https_port: int, certificate: Path, key: Path) -> str:
    """The recipe with this test's ports and certificate: only these lines change, and each must still be there."""
    site = SITE.read_text()
    changes = {
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{app_port};",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen [::]:80;": "",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        "/etc/ssl/kiosk/office.crt": str(certificate),
        "/etc/ssl/kiosk/office.key": str(key),
    }
    for line, replacement in changes.items():
        assert line in site, f"{SITE} no longer has {line!r}"
        site = site.replace(line, replacement)
    return site


def certificate_for_loopback(folder: Path) -> tuple[Path, Path]:
    certificate, key = folder / "office.crt", folder / "office.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=kiosk",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(certificate)],
                   check=True, capture_output=True)
    return certificate, key


@pytest.fixture
def front(start_server, office_env: dict[str, str], tmp_path: Path,
          monkeypatch: pytest.MonkeyPatch) -> Iterator[Front]:
    app_port, http_port, https_port = free_port(), free_port(), free_port()
    environment = dict(line.split("=", 1) for line in unit_lines("Environment"))
    assert set(environment) == {"KIOSK_CONFIG", "KIOSK_INSTANCE"}  # the office file and its folder: the test's own
    env = dict(office_env, KIOSK_SERVER__PROXIES='["127.0.0.1"]', KIOSK_PUBLIC_URL=f"https://127.0.0.1:{https_port}")
    start_server(env, port=app_port, command=command_from_unit(app_port))

    prefix = tmp_path / "nginx"
    (prefix / "logs").mkdir(parents=True)
    certificate, key = certificate_for_loopback(prefix)
    (prefix / "kiosk.conf").write_text(site_for_test(app_port, http_port, https_port, certificate, key))
    temp = "".join(f"{kind}_temp_path {prefix / kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi",
                                                                       "scgi"))
    (prefix / "nginx.conf").write_text(
        f"daemon off;\npid {prefix / 'nginx.pid'};\nerror_log {prefix / 'logs/error.log'} warn;\n"
        f"worker_processes 1;\nevents {{ worker_connections 2048; }}\n"
        f"http {{\naccess_log off;\n{temp}include {prefix / 'kiosk.conf'};\n}}\n")
    nginx = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(certificate))  # requests trusts the office's certificate
    try:
        served = Front(f"https://127.0.0.1:{https_port}", f"http://127.0.0.1:{http_port}", https_port, certificate)
        deadline = time.monotonic() + 60
        while True:
            assert nginx.poll() is None, nginx.stderr.read().decode() if nginx.stderr else "nginx stopped"
            try:
                requests.get(f"{served.url}/api/v1/openapi.json", timeout=2).raise_for_status()
                break
            except requests.RequestException:
                assert time.monotonic() < deadline, (prefix / "logs/error.log").read_text()
                time.sleep(0.1)
        yield served
    finally:
        nginx.terminate()
        nginx.wait(10)


def test_an_office_runs_behind_nginx_as_the_readme_sets_it_up(front: Front, instance: Path, app: Flask) -> None:
    tokens = demo_tokens(instance)
    assert requests.get(f"{front.plain_url}/kiosk", allow_redirects=False, timeout=10).headers["Location"] == \
        "https://127.0.0.1/kiosk"

    # An event stream through nginx gets each call while the stream stays open (a buffering proxy would hold the
    # events back until its buffer filled: the stream's read would time out instead).
    stream = EventStream(front.url, tokens["display-hall"], read_timeout=10)
    try:
        ticket = take_ticket(front.url, tokens["kiosk-lobby"])
        called = requests.post(f"{front.url}/api/v1/counters/1/call-next", timeout=10,
                               headers={"Authorization": f"Bearer {tokens['tablet-counter-1']}"})
        assert called.status_code == 200
        [issued, call] = stream.take(2, ("ticket.issued", "ticket.called"))
        assert (issued.data["number"], call.data["number"]) == (ticket["number"], ticket["number"])
    finally:
        stream.close()

    # The kiosk's page through nginx, its pairing redirect kept on https and nginx's port.
    kiosk = requests.get(f"{front.url}/kiosk", params={"device": tokens["kiosk-lobby"]}, timeout=10)
    assert kiosk.status_code == 200 and kiosk.url.startswith(front.url)

    # The app sees the desk's own address (nginx's X-Forwarded-For), so the sign-in limits count per client.
    desk = requests.Session()
    desk.mount("https://", FromAddress("127.0.0.2"))
    form = desk.get(f"{front.url}/login", timeout=10)
    refused = desk.post(f"{front.url}/login", timeout=10, headers={"Referer": f"{front.url}/login"},
                        data={"username": "head", "password": "wrong", "csrf_token": csrf_of(form.text)})
    assert refused.status_code == 401
    with app.extensions["kiosk"].readonly_sessions() as session:
        failed = session.scalars(select(Event).where(Event.kind == "staff.login_failed")).one()
    assert failed.payload["address"] == "127.0.0.2"

    # 300 connections from one address that open and never finish their request; a kiosk elsewhere is answered.
    slow = []
    try:
        for _ in range(300):
            client = socket.create_connection(("127.0.0.1", front.https_port), source_address=("127.0.0.3", 0))
            client.sendall(b"\x16\x03\x01")  # the start of a TLS hello, and nothing more
            slow.append(client)
        second = take_ticket(front.url, tokens["kiosk-lobby"], timeout=10)
        assert re.fullmatch(r"A\d{3}", second["number"]) and second["number"] != ticket["number"]
    finally:
        for client in slow:
            client.close()
