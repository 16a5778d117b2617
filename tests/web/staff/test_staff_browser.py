"""The console and the desk in Debian's Chromium on a 1280x800 touch tablet, against a real `kiosk serve`:
two officers calling at the same moment, a ticket's whole cycle, a transfer, a scanned declaration, the desk."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.data.models import Event, Office, Ticket
from kiosk.domain.queue.settings import QueueSettings
from tests.support.browser import chromium, screenshot
from tests.support.kiosk_factories import declared_ticket
from tests.support.server import ServerProcess, demo_tokens
from tests.support.staff_browser import sign_in
from tests.support.tickets import take_ticket


def take(server: ServerProcess, kiosk: str, count: int, **body: str) -> list[str]:
    return [take_ticket(server.url, kiosk, timeout=10, **body)["number"] for _ in range(count)]


def at_counter(page: Page) -> str:
    return page.locator("#console").get_attribute("data-ticket") or ""


def tap_together(pages: list[Page], selector: str) -> None:
    """Tap on several tablets at the same instant: each browser schedules its own tap for one shared moment."""
    moment = time.time() * 1000 + 400
    for page in pages:
        page.evaluate("([selector, at]) => setTimeout(() => document.querySelector(selector).click(), at - Date.now())",
                      [selector, moment])


def test_two_officers_and_a_ticket_from_call_to_done(start_server: Callable[..., ServerProcess], instance: Path,
                                                     session: Session) -> None:
    server = start_server()
    kiosk = demo_tokens(instance)["kiosk-lobby"]
    take(server, kiosk, 2)
    with chromium() as browser:
        one = sign_in(browser, server, instance, "officer1", "/staff/counters/1")
        two = sign_in(browser, server, instance, "officer2", "/staff/counters/2")
        tap_together([one, two], "#console .call-next")
        for page in (one, two):
            expect(page.locator("#console")).not_to_have_attribute("data-ticket", "")
        assert {at_counter(one), at_counter(two)} == {"A001", "A002"}
        mine = at_counter(one)

        one.locator("#console .recall").tap()
        expect(one.locator("#console .recalls")).to_have_text("2")
        one.locator("#console .requeue").tap()
        expect(one.locator("#console")).to_have_attribute("data-ticket", "")
        expect(two.locator(f"#waiting li[data-ticket={mine}]")).to_be_visible()  # live on the other tablet
        one.locator("#console .call-next").tap()
        expect(one.locator("#console")).to_have_attribute("data-ticket", mine)
        one.locator("#console .start").tap()
        expect(one.locator("#console")).to_have_attribute("data-status", "serving")
        expect(one.locator("#console .timer")).to_have_text("0:01", timeout=3000)
        screenshot(one, "staff", "console-serving")
        one.locator("#console .complete").tap()
        expect(one.locator("#console .message.is-ok")).to_contain_text(mine)
        expect(one.locator("#console")).to_have_attribute("data-ticket", "")

        take(server, kiosk, 2)
        expect(one.locator("#waiting li")).to_have_count(2)
        one.locator("#console .call-next").dblclick()  # a double tap calls one citizen, not two
        expect(one.locator("#console")).to_have_attribute("data-ticket", "A003")
        expect(one.locator("#waiting li")).to_have_count(1)

        other = at_counter(two)
        two.locator("summary", has_text="Chuyển sang dịch vụ khác").tap()
        two.select_option("select[name=service]", "passport-lost")
        two.fill("input[name=note]", "Báo mất hộ chiếu cũ")
        two.locator("#console button.transfer").tap()
        expect(two.locator("#console .message.is-ok")).to_contain_text("giữ nguyên vị trí")
        screenshot(two, "staff", "console-after-transfer")
    moved = session.scalars(select(Ticket).where(Ticket.number == other)).one()
    assert (moved.status, moved.service.code, moved.note) == ("transferred", "passport-lost", "Báo mất hộ chiếu cũ")
    assert moved.arrived_at == moved.issued_at  # it keeps its place by arrival
    done = session.scalars(select(Ticket).where(Ticket.number == mine)).one()
    assert (done.status, done.recall_count, done.requeue_count) == ("done", 1, 1)
    assert session.scalar(select(Ticket.status).where(Ticket.number == "A004")) == "waiting"


def test_scanning_opens_the_declaration_and_the_desk_decides(start_server: Callable[..., ServerProcess],
                                                           instance: Path, session: Session, config,
                                                           settings: QueueSettings) -> None:
    server = start_server()
    kiosk = demo_tokens(instance)["kiosk-lobby"]
    office = session.scalars(select(Office)).one()
    ticket = declared_ticket(session, office, config, settings, datetime.now(UTC))
    take(server, kiosk, 1, priority="urgent")
    with chromium() as browser:
        officer = sign_in(browser, server, instance, "officer1", "/staff/counters/1")
        officer.locator("#scan-field").tap()
        officer.keyboard.type(f"{config['server']['public_url']}/t/{ticket.token}\n")  # as a USB scanner types
        officer.wait_for_url(f"**/staff/tickets/{ticket.id}?counter=1")
        expect(officer.locator("#declaration .declaration-block")).to_have_count(5)
        expect(officer.locator("[data-field=surname] dd")).to_contain_text("NGUYỄN")
        screenshot(officer, "staff", "declaration")
        officer.emulate_media(media="print")
        screenshot(officer, "staff", "declaration-print")  # what the A4 page for signing holds
        officer.emulate_media(media="screen")
        assert officer.goto(f"{server.url}/admin").status == 403

        desk = sign_in(browser, server, instance, "supervisor", "/admin")
        expect(desk.locator("#requests .request")).to_have_count(1)
        screenshot(desk, "staff", "supervisor-desk")
        desk.locator("#requests .approve").tap()
        expect(desk.locator("#live .message.is-ok")).to_contain_text("ưu tiên")
        expect(desk.locator("#requests .request")).to_have_count(0)
    opened = session.scalars(select(Event).where(Event.kind == "declaration.opened")).one()
    assert (opened.actor, opened.payload["ticket_id"]) == ("staff:officer1", ticket.id)

