"""Booking on a 390x844 phone in Debian's Chromium against `kiosk serve`, in Vietnamese and English, the QR read
back from the screen with zxing-cpp, then checked in at the kiosk in two touches and marked on the console.

The office here is open all day, every day (its own office file), so the next slot is always minutes away, as a
citizen booking on the way to the office would find it. Screenshots go to tests/artifacts/book/.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import requests
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from kiosk.config import EXAMPLE_OFFICE_FILE
from tests.support.browser import chromium, screenshot
from tests.support.htmx_client import csrf_of
from tests.support.server import ServerProcess, demo_tokens
from tests.web.kiosk.kiosk_browser import assert_local_only, kiosk_page

PHONE = {"width": 390, "height": 844}
BOOKER = {"id_number": "040195000123", "phone": "0912345678"}


def all_day_office(instance: Path) -> Path:
    """The example office, open 00:00-23:59 every day, its passport calendar the office's hours."""
    text = EXAMPLE_OFFICE_FILE.read_text()
    text = re.sub(r'^(mon|tue|wed|thu|fri|sat) = "[^"]+"$', "", text, flags=re.M)
    text = text.replace("[office.hours]", "[office.hours]\n" + "\n".join(
        f'{day} = "00:00-23:59"' for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")))
    text = re.sub(r"^hours = \{.*\}$", "", text, flags=re.M)
    path = instance / "all-day-office.toml"
    path.write_text(text)
    return path


def test_book_on_the_phone_then_two_touches_at_the_kiosk(
        start_server: Callable[..., ServerProcess], office_env: dict[str, str], instance: Path) -> None:
    server = start_server({**office_env, "KIOSK_CONFIG": str(all_day_office(instance))})
    with chromium() as browser:
        phone = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, device_scale_factor=2)
        requested: list[str] = []
        phone.on("request", lambda request: requested.append(request.url))
        page = phone.new_page()
        page.goto(f"{server.url}/book?lang=vi")
        screenshot(page, "book", "vi-01-services")
        page.get_by_role("link", name="Cấp hộ chiếu lần đầu").tap()
        page.locator(".book-days a").first.tap()
        expect(page.locator("#slots")).to_be_visible()
        screenshot(page, "book", "vi-02-slots")
        page.goto(f"{server.url}/book/passport-first?lang=en")
        page.locator(".book-days a").first.tap()
        page.locator("#slots a").first.tap()
        page.locator("#f-id_number").fill("12345")
        page.locator("#f-phone").fill(BOOKER["phone"])
        page.get_by_role("button", name="Book this time").tap()
        expect(page.locator("#problem-id_number")).to_be_visible()
        screenshot(page, "book", "en-03-wrong-id")
        page.locator("#f-id_number").fill(BOOKER["id_number"])
        page.get_by_role("button", name="Book this time").tap()
        done = page.locator(".book-done")
        expect(done).to_be_visible()
        code = done.get_attribute("data-code") or ""
        screenshot(page, "book", "en-04-booked")
        shown = Image.open(io.BytesIO(page.screenshot()))
        assert [found.text for found in zxingcpp.read_barcodes(shown)] == [code]  # what the kiosk's scanner reads
        page.goto(f"{server.url}{page.url.split(server.url)[1].split('?')[0]}?lang=vi")
        screenshot(page, "book", "vi-04-booked")
        assert_local_only(requested, BOOKER["id_number"], BOOKER["phone"])

        with kiosk_page(browser, server.url, demo_tokens(instance)["kiosk-lobby"]) as (kiosk, _requested):
            kiosk.get_by_role("button", name="English").tap()  # touch 1
            kiosk.locator("#menu .option").nth(3).tap()  # touch 2: "I have a code"
            kiosk.locator("#code").wait_for()
            kiosk.keyboard.type(f"{code}\n")  # the USB scanner reads the phone's screen and types it
            expect(kiosk.locator("#ticket .ticket-number")).to_have_text("A001")
            screenshot(kiosk, "book", "en-05-kiosk-ticket")
    officer = requests.Session()
    account = json.loads((instance / "demo_accounts.json").read_text())["officer1"]
    officer.post(f"{server.url}/login", data={"username": "officer1", "password": account["password"],
                                              "csrf_token": csrf_of(officer.get(f"{server.url}/login").text)})
    console = officer.get(f"{server.url}/staff/counters/1").text
    assert re.search(r'data-ticket="A001".*?is-appointment', console, re.S)
