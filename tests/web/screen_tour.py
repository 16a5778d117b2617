"""Every screen of the office, each as its user meets it (the kiosk's steps from welcome to ticket, the hall display,
the counter's console, the desk and its audit log, the citizen's phone), for the checks that hold on all of them:
accessibility, touch targets, the favicon."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, expect

from tests.support.kiosk_factories import TK01_STEPS
from tests.support.server import ServerProcess, demo_tokens
from tests.support.staff_browser import sign_in
from tests.support.tickets import take_ticket
from tests.web.kiosk.kiosk_browser import fill_step, kiosk_page, next_step

HALL = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}
WIZARD = ["who", "contact", "addresses", "family", "request"]
# The screens nobody touches are left out of the touch check.
UNTOUCHED = {"display"}


def every_screen(browser: Browser, server: ServerProcess, instance: Path, **options: Any) -> Iterator[tuple[str, Page]]:
    """(name, page) for each screen in turn, on a fresh browser context per device; `options` go to each
    context (bypass_csp=True for axe)."""
    tokens = demo_tokens(instance)
    ticket = take_ticket(server.url, tokens["kiosk-lobby"], "passport-reissue", language="en", timeout=10)
    yield from kiosk_screens(browser, server, tokens["kiosk-lobby"], **options)
    with device(browser, HALL, **options) as display:
        display.goto(f"{server.url}/display?device={tokens['display-hall']}")
        expect(display.locator("body[data-stream=up]")).to_be_attached()
        yield "display", display
    officer = sign_in(browser, server, instance, "officer1", "/staff/counters/3", **options)
    officer.locator("#console .call-next").tap()
    expect(officer.locator("#console")).to_have_attribute("data-ticket", ticket["number"])
    yield "console", officer
    desk = sign_in(browser, server, instance, "supervisor", "/admin", **options)
    yield "desk", desk
    desk.goto(f"{server.url}/admin/audit")
    yield "audit", desk
    take_ticket(server.url, tokens["kiosk-lobby"], "passport-reissue", language="vi", timeout=10)
    phone_ticket = take_ticket(server.url, tokens["kiosk-lobby"], "passport-reissue", language="vi", timeout=10)
    with device(browser, PHONE, **options) as phone:
        phone.goto(f"{server.url}/t/{phone_ticket['token']}")
        yield "phone", phone


def kiosk_screens(browser: Browser, server: ServerProcess, token: str, **options: Any) -> Iterator[tuple[str, Page]]:
    with kiosk_page(browser, server.url, token, **options) as (page, _requested):
        yield "kiosk-welcome", page
        page.get_by_role("button", name="Tiếng Việt").first.tap()
        page.locator("#menu").wait_for()
        yield "kiosk-menu", page
        page.locator("#menu .option").first.tap()
        page.locator("#services").wait_for()
        yield "kiosk-services", page
        page.locator("#services .screen-nav button").tap()
        page.locator("#menu .option").nth(1).tap()
        page.locator("#wizard[data-step=who]").wait_for()
        yield "kiosk-wizard-step", page
        for step, following in zip(WIZARD, [*WIZARD[1:], "review"], strict=True):
            fill_step(page, TK01_STEPS[step])
            next_step(page, following)
        yield "kiosk-review", page
        page.locator("#wizard .wizard-nav .primary").tap()
        page.locator("#ticket").wait_for()
        yield "kiosk-ticket", page


@contextmanager
def device(browser: Browser, viewport: dict[str, int], **options: Any) -> Iterator[Page]:
    context = browser.new_context(viewport=viewport, has_touch=True, **options)
    try:
        yield context.new_page()
    finally:
        context.close()
