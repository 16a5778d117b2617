"""The counter's tablet as an officer meets it, in Debian's Chromium against a real `kiosk serve`: the citizen's
language beside the ticket, a number typed the way officers type it, service names shown whole."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.support.browser import chromium, screenshot
from tests.support.server import ServerProcess, demo_tokens
from tests.support.staff_browser import sign_in
from tests.support.tickets import take_ticket

# Every box holding a service's name on the console and the ticket page, and whether its words fit inside.
CUT_NAMES = """() => [...document.querySelectorAll('.current-service, .waiting-name, .ticket-summary dd')]
  .filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.innerText)"""


def assert_names_whole(page: Page) -> None:
    assert page.evaluate(CUT_NAMES) == []


def test_the_console_shows_the_citizens_language_and_finds_b1(start_server: Callable[..., ServerProcess],
                                                               instance: Path) -> None:
    server = start_server()
    kiosk = demo_tokens(instance)["kiosk-lobby"]
    take_ticket(server.url, kiosk, "passport-first", language="en", timeout=10)
    take_ticket(server.url, kiosk, "passport-reissue", language="zh", timeout=10)
    with chromium() as browser:
        officer = sign_in(browser, server, instance, "officer1", "/staff/counters/1")
        officer.locator("#console .call-next").tap()
        expect(officer.locator("#console")).to_have_attribute("data-ticket", "A001")
        expect(officer.locator("#console .badge.is-language")).to_have_text("Ngôn ngữ: Tiếng Anh")
        assert_names_whole(officer)
        screenshot(officer, "staff", "console-citizen-language")

        officer.locator("#scan-field").tap()
        officer.keyboard.type("b1\n")  # as an officer types B001
        expect(officer.locator("#ticket")).to_have_attribute("data-ticket", "B001")
        expect(officer.locator("#ticket dd[data-language=zh]")).to_have_text("Tiếng Trung")
        assert_names_whole(officer)
        screenshot(officer, "staff", "ticket-found-by-b1")
