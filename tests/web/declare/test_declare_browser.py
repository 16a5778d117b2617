"""Declaring on a 390x844 phone in Debian's Chromium against `kiosk serve`, then checking in at the kiosk with
the code read off the phone's screen, and the officer opening the declaration.

Screenshots of every new screen, in vi, en and zh, go to tests/artifacts/declare/.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import requests
import zxingcpp
from PIL import Image
from playwright.sync_api import Page, expect

from tests.support.browser import chromium, screenshot
from tests.support.htmx_client import csrf_of
from tests.support.kiosk_factories import TK01_STEPS, WRONG_ID
from tests.support.server import ServerProcess, demo_tokens
from tests.web.kiosk.kiosk_browser import assert_local_only, kiosk_page

PHONE = {"width": 390, "height": 844}


def fill_step(page: Page, values: dict[str, str]) -> None:
    """Type each field as a citizen does on the phone's own keyboard; tap each choice."""
    for key, value in values.items():
        radio = page.locator(f"input[type=radio][name='{key}'][value='{value}']")
        if radio.count():
            radio.locator("xpath=following-sibling::span").tap()
        elif value:
            page.locator(f"#f-{key}").fill(value)


def next_step(page: Page) -> None:
    page.get_by_role("button", name="Next").tap()


def test_a_tk01_on_the_phone_then_two_touches_at_the_kiosk(
        start_server: Callable[..., ServerProcess], instance: Path) -> None:
    server = start_server()
    with chromium() as browser:
        phone = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, device_scale_factor=2)
        requested: list[str] = []
        phone.on("request", lambda request: requested.append(request.url))
        page = phone.new_page()
        for language in ("vi", "zh", "en"):  # en last: the walk below reads English
            page.goto(f"{server.url}/declare?lang={language}")
            screenshot(page, "declare", f"{language}-01-start")
        page.get_by_role("button", name="Passport declaration (TK01), aged 14 and over").tap()
        expect(page.locator("[data-step=who]")).to_be_visible()
        fill_step(page, TK01_STEPS["who"])
        next_step(page)
        fill_step(page, {**TK01_STEPS["contact"], "id_number": WRONG_ID})
        next_step(page)
        error = page.locator("#problem-id_number")
        expect(error).to_be_visible()
        assert page.locator("#field-id_number").bounding_box()["y"] < error.bounding_box()["y"]  # type: ignore[index]
        screenshot(page, "declare", "en-02-wrong-id-number")
        page.goto(f"{server.url}/declare/contact")  # the phone reloads (a dropped connection): nothing is lost
        expect(page.locator("#f-id_number")).to_have_value(WRONG_ID)
        expect(page.locator("#f-phone")).to_have_value(TK01_STEPS["contact"]["phone"])
        page.locator("#f-id_number").fill(TK01_STEPS["contact"]["id_number"])
        next_step(page)
        for key in ("addresses", "family", "request"):
            expect(page.locator(f"[data-step={key}]")).to_be_visible()
            fill_step(page, TK01_STEPS[key])
            next_step(page)
        expect(page.locator("[data-step=review]")).to_be_visible()
        screenshot(page, "declare", "en-03-review")
        page.get_by_role("button", name="Send and get my code").tap()
        done = page.locator(".declare-done")
        expect(done).to_be_visible()
        code = done.get_attribute("data-code") or ""
        screenshot(page, "declare", "en-04-code")
        for language in ("vi", "zh"):
            page.goto(f"{server.url}/declare/done?lang={language}")
            screenshot(page, "declare", f"{language}-04-code")
        shown = Image.open(io.BytesIO(page.screenshot()))
        assert [found.text for found in zxingcpp.read_barcodes(shown)] == [code]  # what the kiosk's scanner reads
        assert_local_only(requested, code, "Nguyễn", TK01_STEPS["contact"]["id_number"])

        tokens = demo_tokens(instance)
        with kiosk_page(browser, server.url, tokens["kiosk-lobby"]) as (kiosk, _requested):
            kiosk.get_by_role("button", name="English").tap()  # touch 1
            kiosk.locator("#menu .option").nth(3).tap()  # touch 2: "I have a code"
            kiosk.locator("#code").wait_for()
            kiosk.keyboard.type(f"{code}\n")  # the USB scanner reads the phone's screen and types it
            expect(kiosk.locator("#ticket .ticket-number")).to_have_text("A001")
            expect(kiosk.locator("#ticket .ticket-declared")).to_contain_text(code)
            screenshot(kiosk, "declare", "en-05-kiosk-ticket")
            ticket_qr = Image.open(io.BytesIO(kiosk.locator("#ticket .ticket-qr svg").screenshot()))
            (status_url,) = [found.text for found in zxingcpp.read_barcodes(ticket_qr)]
    officer = requests.Session()
    account = json.loads((instance / "demo_accounts.json").read_text())["officer1"]
    officer.post(f"{server.url}/login", data={"username": "officer1", "password": account["password"],
                                              "csrf_token": csrf_of(officer.get(f"{server.url}/login").text)})
    opened = officer.get(f"{server.url}/staff/scan", params={"q": status_url})  # the officer scans the paper
    assert opened.status_code == 200 and "NGUYỄN" in opened.text and "040195000123" in opened.text


CARD = "040195000123|187654321|Nguyễn Thị Ánh|25041995|Nữ|Phường Vinh Tân, Nghệ An|15042021"


def test_the_kiosk_scanner_reads_the_id_card_into_the_first_step(
        start_server: Callable[..., ServerProcess], instance: Path) -> None:
    server = start_server()
    with chromium() as browser, kiosk_page(browser, server.url, demo_tokens(instance)["kiosk-lobby"]) as (page, _):
        page.get_by_role("button", name="English").tap()
        page.locator("#menu .option").nth(1).tap()
        page.locator("#f-place_of_birth").fill("Nghệ An")  # typed before the card: kept
        page.locator("#f-surname").focus()
        page.keyboard.type("x|y|z|1|2|3|4\n")  # a crumpled card, or another code: nothing changes
        expect(page.locator("#card-refused")).to_be_visible()
        expect(page.locator("#f-place_of_birth")).to_have_value("Nghệ An")
        page.locator("#f-surname").focus()
        page.keyboard.type(CARD.replace("25041995", "25041996") + "\n")  # ID and birth year disagree
        expect(page.locator("#card-refused")).to_contain_text("1995")
        expect(page.locator("#f-date_of_birth")).to_have_value("")
        page.locator("#f-surname").focus()
        page.keyboard.type(CARD + "\n")  # the scanner types the card's line and Enter
        expect(page.locator("#card-filled")).to_be_visible()
        expect(page.locator("#f-surname")).to_have_value("NGUYỄN")
        expect(page.locator("#f-given_names")).to_have_value("THỊ ÁNH")
        expect(page.locator("#f-date_of_birth")).to_have_value("25/04/1995")
        expect(page.locator("#f-place_of_birth")).to_have_value("Nghệ An")
        expect(page.locator("input[name=sex][value=female]")).to_be_checked()
        screenshot(page, "declare", "en-06-kiosk-card-filled")
