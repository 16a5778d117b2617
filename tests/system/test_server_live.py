"""Against a real `kiosk serve` process: tickets and calls at once, the event stream, and a kill -9."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.support.htmx_client import csrf_of
from tests.support.raw_streams import open_streams, wait_for
from tests.support.server import REPO, ServerProcess, demo_tokens
from tests.support.sse import EventStream
from tests.support.tickets import take_ticket

# Print jobs add print.status / printer.state events to the same stream; these tests count queue events.
QUEUE_EVENTS = ("ticket.issued", "ticket.called", "ticket.done")


def office_with_counters(tmp_path: Path, counters: int) -> Path:
    """The example office with its counters replaced by `counters` counters serving passport-first."""
    text = (REPO / "config/office.example.toml").read_text()
    text = text[: text.index("# weights:")] + text[text.index("[[devices]]"):]
    text += "".join(
        f'\n[[counters]]\nnumber = {n}\nservices = {{ passport-first = 1.0 }}\n' for n in range(1, counters + 1)
    )
    path = tmp_path / "office.toml"
    path.write_text(text)
    return path


def post(server: ServerProcess, path: str, token: str, body: dict[str, Any] | None = None) -> requests.Response:
    return requests.post(f"{server.url}/api/v1{path}", json=body, headers={"Authorization": f"Bearer {token}"},
                         timeout=30)


def all_at_once(count: int, action: Callable[[int], Any]) -> list[Any]:
    """Run `count` actions released together by a barrier, as many kiosks or tablets pressing at once."""
    barrier, results = threading.Barrier(count), [None] * count

    def run(i: int) -> None:
        barrier.wait()
        results[i] = action(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_fifty_tickets_at_once_get_fifty_gap_free_numbers(start_server, instance) -> None:
    server = start_server()
    kiosk = demo_tokens(instance)["kiosk-lobby"]
    answers = all_at_once(50, lambda _i: post(server, "/tickets", kiosk, {"service": "passport-first"}))
    assert [a.status_code for a in answers] == [201] * 50
    numbers = sorted(a.json()["number"] for a in answers)
    assert numbers == [f"A{n:03d}" for n in range(1, 51)]


def test_twenty_counters_calling_at_once_each_get_a_different_citizen(start_server, office_env, tmp_path, instance):
    env = dict(office_env, KIOSK_CONFIG=str(office_with_counters(tmp_path, 20)))
    server = start_server(env)
    tokens = demo_tokens(instance)
    staff = subprocess.run([sys.executable, "-m", "kiosk", "token", "create", "--role", "staff"], env=env, cwd=REPO,
                           check=True, capture_output=True, text=True).stdout.strip()
    for _ in range(20):
        take_ticket(server.url, tokens["kiosk-lobby"])
    answers = all_at_once(20, lambda i: post(server, f"/counters/{i + 1}/call-next", staff))
    assert [a.status_code for a in answers] == [200] * 20
    called = [a.json()["ticket"] for a in answers]
    assert sorted(t["number"] for t in called) == [f"A{n:03d}" for n in range(1, 21)]
    assert sorted(t["counter"] for t in called) == list(range(1, 21))
    assert post(server, "/counters/1/call-next", staff).status_code == 204  # nobody is left waiting


def test_a_reconnecting_stream_gets_exactly_the_calls_it_missed(start_server, instance) -> None:
    server = start_server()
    tokens = demo_tokens(instance)
    kiosk, counter_one = tokens["kiosk-lobby"], tokens["tablet-counter-1"]
    for _ in range(4):
        take_ticket(server.url, kiosk)
    stream = EventStream(server.url, tokens["display-hall"])
    post(server, "/counters/1/call-next", counter_one)
    seen = stream.take(1, ("ticket.called",))[0]
    assert seen.data["number"] == "A001" and seen.data["counter"] == 1
    stream.close()  # the display loses its network
    for _ in range(3):
        assert post(server, "/counters/1/call-next", counter_one).status_code == 200
    resumed = EventStream(server.url, tokens["display-hall"], last_event_id=seen.id)
    missed = resumed.take(6, QUEUE_EVENTS)  # each call also finishes the previous ticket: done + called, three times
    resumed.close()
    calls = [m.data["number"] for m in missed if m.event == "ticket.called"]
    assert calls == ["A002", "A003", "A004"]
    assert [m.id for m in missed] == sorted(m.id for m in missed) and missed[0].id > seen.id


def test_a_device_stream_carries_no_sign_ins_and_no_officers_free_text(start_server, instance) -> None:
    server = start_server()
    tokens = demo_tokens(instance)
    browser = requests.Session()
    page = browser.get(f"{server.url}/login", timeout=30).text
    csrf = csrf_of(page)
    typed = {"username": "hunter2-secret!", "password": "x", "csrf_token": csrf}  # a password typed as the name
    assert browser.post(f"{server.url}/login", data=typed, timeout=30).status_code == 401
    for _ in range(2):
        take_ticket(server.url, tokens["kiosk-lobby"])
    officer = tokens["tablet-counter-1"]
    reason = {"number": "A002", "reason": "Tran Thi B, CCCD 001160012345"}
    assert post(server, "/counters/1/call", officer, reason).status_code == 200
    note = {"service": "passport-reissue", "note": "Le Van C, phone 0912345678"}
    assert post(server, "/counters/1/transfer", officer, note).status_code == 200
    for device in ("kiosk-lobby", "display-hall", "tablet-counter-2"):
        stream = EventStream(server.url, tokens[device], last_event_id=0)  # the whole day replayed
        replayed = []
        for message in stream.messages():
            replayed.append(message)
            if message.event == "ticket.transferred":
                break
        stream.close()
        queue = [m for m in replayed if m.event.startswith("ticket.")]
        assert [m.event for m in queue] == ["ticket.issued", "ticket.issued", "ticket.called", "ticket.transferred"]
        assert queue[2].data["number"] == "A002" and queue[3].data["service"] == "passport-reissue"
        assert not [m.event for m in replayed if m.event.startswith(("staff.", "declaration."))]
        text = repr([m.data for m in replayed])
        assert "hunter2" not in text and "CCCD" not in text and "0912345678" not in text, text


def test_kill_dash_nine_mid_day_loses_nothing(start_server, instance) -> None:
    server = start_server()
    tokens = demo_tokens(instance)
    kiosk, counter_one = tokens["kiosk-lobby"], tokens["tablet-counter-1"]
    issued = [take_ticket(server.url, kiosk) for _ in range(3)]
    post(server, "/counters/1/call-next", counter_one)
    before = EventStream(server.url, tokens["display-hall"], last_event_id=0).take(4, QUEUE_EVENTS)
    server.kill()
    server = start_server(port=server.port)
    assert take_ticket(server.url, kiosk)["number"] == "A004"
    nxt = post(server, "/counters/1/call-next", counter_one).json()["ticket"]
    assert nxt["number"] == "A002"  # the queue continues where it was
    status = requests.get(f"{server.url}/api/v1/tickets/{issued[0]['token']}", timeout=5).json()
    assert status["status"] == "done"
    after = EventStream(server.url, tokens["display-hall"], last_event_id=0).take(7, QUEUE_EVENTS)
    assert [m.id for m in after[:4]] == [m.id for m in before]  # nothing lost, ids continue
    assert [m.event for m in after[4:]] == ["ticket.issued", "ticket.done", "ticket.called"]


def test_a_call_on_one_process_reaches_a_stream_on_another(start_server, office_env, instance, engine_name) -> None:
    if engine_name != "postgresql":
        pytest.skip("several app processes share one queue only on PostgreSQL (run with --db postgresql)")
    first = start_server()
    second = start_server()
    tokens = demo_tokens(instance)
    stream = EventStream(first.url, tokens["display-hall"])
    take_ticket(second.url, tokens["kiosk-lobby"])
    post(second, "/counters/1/call-next", tokens["tablet-counter-1"])
    got = stream.take(2, QUEUE_EVENTS)
    stream.close()
    assert [m.event for m in got] == ["ticket.issued", "ticket.called"] and got[1].data["number"] == "A001"


def test_two_hundred_open_streams_all_get_the_call_and_the_api_still_answers(start_server, instance) -> None:
    server = start_server()
    tokens = demo_tokens(instance)
    streams = open_streams(server.port, tokens["display-hall"], 200)
    try:
        for _ in range(3):
            take_ticket(server.url, tokens["kiosk-lobby"])
        assert post(server, "/counters/1/call-next", tokens["tablet-counter-1"]).status_code == 200
        for client in streams:
            wait_for(client, b"event: ticket.called")
    finally:
        for client in streams:
            client.close()


def test_streams_are_answered_in_http_chunks_and_to_an_http_1_0_client_plainly(start_server, instance) -> None:
    """The office's writer sends to sockets itself: it must frame its messages exactly as the server does."""
    server = start_server()
    tokens = demo_tokens(instance)
    for _ in range(2):
        take_ticket(server.url, tokens["kiosk-lobby"])
    http11, http10 = (_raw_stream(server.port, tokens["display-hall"], version) for version in ("1.1", "1.0"))
    heads = [_read_until(client, b"retry: 2000\n\n") for client in (http11, http10)]
    for number in (b'"A001"', b'"A002"'):  # the second call reaches streams waiting in the writer after the first
        assert post(server, "/counters/1/call-next", tokens["tablet-counter-1"]).status_code == 200
        for n, client in enumerate((http11, http10)):
            heads[n] += _read_until(client, number)
    http11.close()
    http10.close()
    chunked_head, _, chunked_body = heads[0].partition(b"\r\n\r\n")
    plain_head, _, plain_body = heads[1].partition(b"\r\n\r\n")
    assert b"Transfer-Encoding: chunked" in chunked_head and b"Transfer-Encoding" not in plain_head
    text = _unchunked(chunked_body)
    assert text.startswith("retry: 2000\n\n") and text.count("event: ticket.called\n") == 2
    plain = plain_body.decode()
    assert plain.startswith("retry: 2000\n\n") and plain.count("event: ticket.called\n") == 2
    assert plain.rstrip("\n").endswith(text.rstrip("\n").rsplit("\n\n", 1)[-1])  # the same last message


def _raw_stream(port: int, token: str, version: str) -> Any:
    import socket

    client = socket.create_connection(("127.0.0.1", port), timeout=10)
    client.sendall(f"GET /api/v1/events HTTP/{version}\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
                   "Accept: text/event-stream\r\n\r\n".encode())
    return client


def _read_until(client: Any, marker: bytes) -> bytes:
    """What comes up to the end of the message holding `marker` (and of its chunk, in a chunked answer)."""
    seen = b""
    while marker not in seen or not seen.endswith((b"\n\n\r\n", b"\n\n")):
        chunk = client.recv(65536)
        assert chunk, seen
        seen += chunk
    return seen


def _unchunked(body: bytes) -> str:
    """HTTP/1.1 chunked framing decoded strictly: a hex size line, that many bytes, CRLF, again."""
    text = b""
    while body:
        size_line, crlf, body = body.partition(b"\r\n")
        size = int(size_line, 16)
        assert crlf and size > 0 and body[size:size + 2] == b"\r\n", (size_line, body[:80])
        text, body = text + body[:size], body[size + 2:]
    return text.decode()
