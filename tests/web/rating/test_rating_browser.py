"""At the counter, in Debian's Chromium against a real `kiosk serve`: the officer's tablet calls and finishes a
ticket, the screen over the counter (1280x400) shows the call, the rating pad (a touch tablet) offers the ticket,
the citizen taps "dissatisfied" with a reason, the supervisor's desk shows the case live and the supervisor closes
it; then the counter screen shows paused and closed, says so while the server restarts, and is whole again after."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import requests
from playwright.sync_api import Browser, Page, expect

from tests.support.app import auth
from tests.support.axe import blocking_violations
from tests.support.browser import chromium, screenshot
from tests.support.server import ServerProcess, demo_tokens
from tests.support.staff_browser import sign_in
from tests.support.tickets import take_ticket

SCREEN = {"width": 1280, "height": 400}
PAD = {"width": 800, "height": 1280}


def paired(browser: Browser, server: ServerProcess, path: str, token: str, viewport: dict[str, int]) -> Page:
    page = browser.new_context(viewport=viewport, has_touch=True, bypass_csp=True).new_page()
    page.goto(f"{server.url}{path}?device={token}")
    return page


def test_a_bad_rating_at_the_counter_reaches_the_desk(start_server: Callable[..., ServerProcess],
                                                      instance: Path) -> None:
    server = start_server()
    tokens = demo_tokens(instance)
    take_ticket(server.url, tokens["kiosk-lobby"], timeout=10)

    def at_counter_1(action: str, **body: str) -> None:
        """What the officer's tablet at counter 1 asks (its buttons' API, with its own token)."""
        answer = requests.post(f"{server.url}/api/v1/counters/1/{action}", json=body, timeout=10,
                               headers=auth(tokens["tablet-counter-1"]))
        assert answer.status_code in (200, 204), answer.text

    with chromium() as browser:
        screen = paired(browser, server, "/counter", tokens["counter-screen-1"], SCREEN)
        pad = paired(browser, server, "/rate", tokens["rating-pad-1"], PAD)
        desk = sign_in(browser, server, instance, "supervisor", "/admin/complaints")
        counter = screen.locator("#counter")
        expect(counter).to_have_attribute("data-state", "open")
        at_counter_1("call-next")
        expect(counter).to_have_attribute("data-ticket", "A001")
        screenshot(screen, "counter_screen", "called")
        expect(pad.locator("#rating")).to_have_attribute("data-state", "idle")

        at_counter_1("complete")
        expect(pad.locator("#rating")).to_have_attribute("data-ticket", "A001")
        screenshot(pad, "rating", "pad-faces")
        assert blocking_violations(pad) == []
        pad.locator("[data-level=dissatisfied]").tap()
        expect(pad.locator("#rating")).to_have_attribute("data-state", "details")
        pad.locator("label.chip", has_text="Thái độ của cán bộ").tap()
        screenshot(pad, "rating", "pad-details")
        pad.locator(".rating-send").tap()
        expect(pad.locator("#rating")).to_have_attribute("data-state", "thanks")

        case = desk.locator("#cases [data-ticket=A001]")
        expect(case).to_have_attribute("data-status", "open")  # live, without a reload
        screenshot(desk, "rating", "desk-case-live")
        case.locator("a").click()
        desk.fill("textarea[name=outcome]", "Đã gọi xin lỗi và hướng dẫn lại hồ sơ")
        desk.locator("button.primary", has_text="Đóng phản ánh").tap()
        expect(desk.locator("#case")).to_have_attribute("data-status", "closed")
        screenshot(desk, "rating", "desk-case-closed")

        at_counter_1("state", state="paused")
        expect(counter).to_have_attribute("data-state", "paused")
        screenshot(screen, "counter_screen", "paused")
        at_counter_1("state", state="closed")
        expect(counter).to_have_attribute("data-state", "closed")
        screenshot(screen, "counter_screen", "closed")

        server.stop()  # the server restarts: the screen says its stream is down, then comes back by itself
        expect(screen.locator("#stream-health")).to_be_visible()
        start_server(port=server.port)
        expect(screen.locator("#stream-health")).to_be_hidden(timeout=20_000)
        at_counter_1("state", state="open")
        take_ticket(server.url, tokens["kiosk-lobby"], timeout=10)
        at_counter_1("call-next")
        expect(counter).to_have_attribute("data-ticket", "A002")
        expect(counter).to_have_attribute("data-state", "open")
