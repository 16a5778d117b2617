"""The ticket's page in Debian's Chromium on a phone-sized touch screen, against a real `kiosk serve`."""

from __future__ import annotations

from pathlib import Path

import requests
from playwright.sync_api import expect

from tests.support.browser import chromium, screenshot
from tests.support.server import demo_tokens
from tests.support.tickets import take_ticket

PHONE = {"width": 390, "height": 844}


def test_cancel_from_a_phone_browser(start_server, instance: Path) -> None:
    server = start_server()
    kiosk = demo_tokens(instance)["kiosk-lobby"]
    ticket = take_ticket(server.url, kiosk, "passport-reissue", language="vi", timeout=5)
    with chromium() as browser:
        page = browser.new_page(viewport=PHONE, has_touch=True)
        page.goto(f"{server.url}/t/{ticket['token']}")
        assert page.locator(".ticket-number").inner_text() == ticket["number"]
        screenshot(page, "phone", "ticket-vi")
        page.on("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="Tôi không cần số này nữa").tap()
        page.get_by_text("Số thứ tự này đã được hủy.").wait_for()
        screenshot(page, "phone", "ticket-cancelled-vi")
    assert requests.get(f"{server.url}/api/v1/tickets/{ticket['token']}", timeout=5).json()["status"] == "cancelled"


def test_cancelling_keeps_the_language_chosen_on_the_phone(start_server, instance: Path) -> None:
    """A ticket taken in English, read in Vietnamese on the phone: the answer to cancelling stays Vietnamese."""
    server = start_server()
    ticket = take_ticket(server.url, demo_tokens(instance)["kiosk-lobby"], "passport-reissue", language="en", timeout=5)
    with chromium() as browser:
        page = browser.new_page(viewport=PHONE, has_touch=True)
        page.goto(f"{server.url}/t/{ticket['token']}")
        expect(page.locator(".ticket-service")).to_have_text("Passport re-issue")
        page.get_by_role("link", name="Tiếng Việt").tap()
        expect(page.locator(".ticket-service")).to_have_text("Cấp lại hộ chiếu")
        page.on("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="Tôi không cần số này nữa").tap()
        expect(page.locator(".ticket-state")).to_have_text("Số thứ tự này đã được hủy.")
        expect(page.locator(".ticket-service")).to_have_text("Cấp lại hộ chiếu")
        screenshot(page, "phone", "ticket-cancelled-vi-chosen")


def test_one_person_ahead_reads_right(start_server, instance: Path) -> None:
    server = start_server()
    kiosk = demo_tokens(instance)["kiosk-lobby"]
    take_ticket(server.url, kiosk, "passport-lost", language="en", timeout=5)
    ticket = take_ticket(server.url, kiosk, "passport-lost", language="en", timeout=5)
    with chromium() as browser:
        page = browser.new_page(viewport=PHONE, has_touch=True)
        page.goto(f"{server.url}/t/{ticket['token']}")
        expect(page.locator(".ticket-state")).to_contain_text("1 person is before you.")
        screenshot(page, "phone", "ticket-one-ahead-en")
