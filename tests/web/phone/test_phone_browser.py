"""The ticket's page in Debian's Chromium on a phone-sized touch screen, against a real `kiosk serve`."""

from __future__ import annotations

from pathlib import Path

import requests

from tests.support.browser import chromium, screenshot
from tests.support.server import demo_tokens
from tests.support.tickets import take_ticket


def test_cancel_from_a_phone_browser(start_server, instance: Path) -> None:
    server = start_server()
    kiosk = demo_tokens(instance)["kiosk-lobby"]
    ticket = take_ticket(server.url, kiosk, "passport-reissue", language="vi", timeout=5)
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844}, has_touch=True)
        page.goto(f"{server.url}/t/{ticket['token']}")
        assert page.locator(".ticket-number").inner_text() == ticket["number"]
        screenshot(page, "phone", "ticket-vi")
        page.on("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="Tôi không cần số này nữa").tap()
        page.get_by_text("Số thứ tự này đã được hủy.").wait_for()
        screenshot(page, "phone", "ticket-cancelled-vi")
    assert requests.get(f"{server.url}/api/v1/tickets/{ticket['token']}", timeout=5).json()["status"] == "cancelled"
