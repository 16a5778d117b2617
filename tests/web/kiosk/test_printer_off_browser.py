"""The kiosk in Chromium while its printer is off: the ticket screen never says "printed", tells the citizen what
to do, the kiosk says since when, and the ticket prints by itself once the printer is back."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.support.browser import chromium
from tests.support.escpos_test_printer import EscposTestPrinter
from tests.support.server import ServerProcess, demo_tokens
from tests.web.kiosk.kiosk_browser import kiosk_page, shoot


@pytest.fixture
def printer() -> Iterator[EscposTestPrinter]:
    printer = EscposTestPrinter(mode="offline").start()
    yield printer
    printer.stop()


@pytest.fixture
def browser() -> Iterator[Browser]:
    with chromium() as started:
        yield started


def test_the_kiosk_tells_the_truth_while_its_printer_is_off(
    browser: Browser, printer: EscposTestPrinter, start_server: Callable[..., ServerProcess],
    office_env: dict[str, str], instance: Path,
) -> None:
    env = dict(office_env, KIOSK_PRINTER=printer.url, KIOSK_PRINTER__TIMEOUT_S="1", KIOSK_PRINTER__RETRY_AFTER_S="[1]",
               KIOSK_KIOSK__TICKET_SCREEN_S="120", KIOSK_KIOSK__HEALTH_CHECK_S="1")
    server = start_server(env)
    with kiosk_page(browser, server.url, demo_tokens(instance)["kiosk-lobby"]) as (page, _requested):
        page.get_by_role("button", name="English").first.tap()
        page.locator("#menu .option").first.tap()
        page.locator("[data-service=passport-reissue]").tap()
        status = page.locator("#print-status")
        expect(status).to_have_attribute("data-status", "retrying", timeout=10_000)
        expect(status).to_contain_text("The printer is not working right now")
        expect(page.locator(".printer-down")).to_contain_text("has not been working since", timeout=5_000)
        shoot(page, "en", "07-printer-off")
        printer.mode = "normal"
        expect(status).to_have_attribute("data-status", "printed", timeout=10_000)
        expect(status).to_contain_text("please take your ticket")
        expect(page.locator(".printer-down")).to_have_count(0, timeout=5_000)
        shoot(page, "en", "08-printer-back")
    assert [receipt.cut for receipt in printer.wait_for_jobs(1)] == [True]
