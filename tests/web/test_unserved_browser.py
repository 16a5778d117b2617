"""A service nobody serves, in Chromium: counter 6 (the only one for F, visas) paused from the API, the kiosk
says so on the service's button before a ticket is taken and on the ticket, and the hall shows counter 6 paused."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import expect
from sqlalchemy.orm import Session

from tests.support.browser import chromium, screenshot
from tests.support.server import ServerProcess, demo_tokens
from tests.web.display.test_display_browser import HALL, OfficeApi, staff_token
from tests.web.kiosk.kiosk_browser import kiosk_page

NO_COUNTER = "No counter is open for this service now"


def test_the_kiosk_and_the_hall_say_no_counter_serves_visas(
        start_server: Callable[..., ServerProcess], instance: Path, session: Session) -> None:
    server = start_server()
    tokens = demo_tokens(instance)
    office = OfficeApi(server, tokens["kiosk-lobby"], staff_token(session))
    office.post("/counters/6/state", office.staff, {"state": "paused"})
    with chromium() as browser:
        with kiosk_page(browser, server.url, tokens["kiosk-lobby"]) as (page, _):
            page.get_by_role("button", name="English").tap()
            page.locator("#menu .option").first.tap()
            visas = page.locator("#services [data-service=foreigners]")
            expect(visas).to_contain_text(NO_COUNTER)  # said before the ticket is taken
            expect(page.locator("#services [data-service=passport-first]")).not_to_contain_text(NO_COUNTER)
            screenshot(page, "unserved", "kiosk-services")
            visas.tap()
            expect(page.locator("#ticket .ticket-wait")).to_contain_text(NO_COUNTER)
        hall = browser.new_page(viewport=HALL)
        hall.goto(f"{server.url}/display?device={tokens['display-hall']}&lang=en")
        expect(hall.locator(".counter-tile[data-counter='6'][data-paused]")).to_contain_text("Paused")
        expect(hall.locator("#waiting tr[data-prefix=F][data-unserved]")).to_contain_text("no counter open now")
        screenshot(hall, "unserved", "display")
