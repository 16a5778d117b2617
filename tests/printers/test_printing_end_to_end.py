"""Through the real server (`kiosk serve`) to the test printer: tickets in three languages, and a printer
that is off, out of paper, stalled or reset mid-job. The API never waits for paper; no ticket is lost."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from printers.ticket import number_band
from tests.support.escpos_decode import Receipt, read_qr
from tests.support.escpos_test_printer import EscposTestPrinter
from tests.support.server import ServerProcess, demo_tokens
from tests.support.sse import EventStream, Message
from tests.support.ticket_samples import FONT, contains_rows, save_artifact
from tests.support.tickets import take_ticket

PUBLIC_URL = "https://xnc.example.vn"


@pytest.fixture
def printer() -> Iterator[EscposTestPrinter]:
    printer = EscposTestPrinter().start()
    yield printer
    printer.stop()


@pytest.fixture
def server(start_server: Callable[..., ServerProcess], office_env: dict[str, str], printer: EscposTestPrinter
           ) -> ServerProcess:
    env = dict(office_env, KIOSK_PRINTER=printer.url, KIOSK_PUBLIC_URL=PUBLIC_URL,
               KIOSK_PRINTER__TIMEOUT_S="1", KIOSK_PRINTER__RETRY_AFTER_S="[1]")
    return start_server(env)


def take_quickly(server: ServerProcess, token: str, language: str, service: str = "passport-first") -> dict[str, Any]:
    started = time.monotonic()
    ticket = take_ticket(server.url, token, service, language=language, timeout=5)
    assert time.monotonic() - started < 1.0  # the citizen never waits for the printer
    return ticket


def assert_printed(receipt: Receipt, ticket: dict[str, Any], name: str) -> None:
    """The rebuilt paper carries this ticket's number (pixel for pixel) and a QR with its status URL."""
    image = receipt.image
    save_artifact(image, name)
    assert receipt.cut
    assert contains_rows(image, number_band(ticket["number"], 576, FONT))
    assert read_qr(image) == [f"{PUBLIC_URL}/t/{ticket['token']}"] == [ticket["status_url"]]


def print_status(server: ServerProcess, ticket: dict[str, Any], wanted: str, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    status = None
    while time.monotonic() < deadline:
        status = requests.get(f"{server.url}/api/v1/tickets/{ticket['token']}", timeout=5).json()["print_status"]
        if status == wanted:
            return
        time.sleep(0.05)
    raise AssertionError(f"print_status stayed {status!r}, wanted {wanted!r}")


def until_print(stream: EventStream, number: str, status: str) -> list[Message]:
    seen: list[Message] = []
    for message in stream.messages():
        seen.append(message)
        if message.event == "print.status" and message.data["number"] == number \
                and message.data["print_status"] == status:
            return seen
    raise AssertionError(f"stream ended before {number} was {status}")


def test_tickets_in_vietnamese_chinese_and_english_arrive_as_their_own_paper(server, printer, instance) -> None:
    kiosk = demo_tokens(instance)["kiosk-lobby"]
    for i, (language, service) in enumerate([("vi", "passport-first"), ("zh", "passport-child"),
                                             ("en", "foreigners")]):
        ticket = take_quickly(server, kiosk, language, service)
        assert ticket["print_status"] in ("pending", "printing", "printed")
        assert_printed(printer.wait_for_jobs(i + 1)[i], ticket, f"e2e-{language}")
        print_status(server, ticket, "printed")
    assert len(printer.jobs) == 3


@pytest.mark.parametrize(
    "scenarios", [[("offline", "offline"), ("paper_out", "paper_out"), ("stall", "offline"), ("reset", "offline"),
                   ("deaf", "offline")]]
)
def test_a_broken_printer_loses_no_ticket_and_prints_each_once_when_it_is_back(server, printer, instance, scenarios):
    tokens = demo_tokens(instance)
    kiosk, staff = tokens["kiosk-lobby"], tokens["tablet-counter-1"]
    stream = EventStream(server.url, tokens["display-hall"], last_event_id=0)
    issued = []
    for mode, state in scenarios:
        printer.mode = mode
        ticket = take_quickly(server, kiosk, "vi")
        issued.append(ticket)
        seen = until_print(stream, ticket["number"], "pending")  # tried, and waiting for the printer
        assert seen[-1].data["printer_state"] == state and seen[-1].data["attempts"] >= 1
        assert any(m.event == "printer.state" and m.data["state"] == state for m in seen)
        print_status(server, ticket, "retrying")  # what the kiosk's screen says: not "printed"
        assert requests.get(f"{server.url}/api/v1/tickets/{ticket['token']}", timeout=5).json()["status"] == "waiting"
        count = len([job for job in printer.jobs if job.cut])
        printer.mode = "normal"
        until_print(stream, ticket["number"], "printed")  # by itself: no reprint needed
        papers = [job for job in printer.wait_for_jobs(count + 1) if job.cut]
        assert_printed(papers[count], ticket, f"back-after-{mode}")
        print_status(server, ticket, "printed")
    printed = [job for job in printer.jobs if job.cut]
    assert len(printed) == len(scenarios)  # exactly one paper per ticket: no duplicates, none lost
    numbers = [t["number"] for t in issued]
    assert numbers == [f"A{n:03d}" for n in range(1, len(scenarios) + 1)]
    reprint = requests.post(f"{server.url}/api/v1/tickets/{issued[0]['token']}/reprint",
                            headers={"Authorization": f"Bearer {staff}"}, timeout=5)
    assert reprint.status_code == 201 and reprint.json()["job"]["number"] == issued[0]["number"]
    assert_printed([job for job in printer.wait_for_jobs(len(scenarios) + 1) if job.cut][-1], issued[0], "reprint")
    until_print(stream, issued[0]["number"], "printed")
    stream.close()
