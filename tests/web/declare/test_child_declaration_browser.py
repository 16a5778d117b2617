"""A TK01a (a child's declaration) on a 390x844 phone in Debian's Chromium: the representative's ID card read live
by the camera (a BarcodeDetector standing in for Chrome on Android's), a place of birth picked from a few letters
typed without diacritics, the field in view with the phone's keyboard open, and the A4 sheet on one page.

Screenshots of every step in zh and vi go to tests/artifacts/declare/.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.support.browser import ARTIFACTS, chromium, screenshot
from tests.support.server import ServerProcess
from tests.web.declare.test_declare_browser import PHONE, fill_step

CARD = "040195000123|187654321|Nguyễn Thị Ánh|25041995|Nữ|Phường Vinh Tân, Nghệ An|15042021"
# Chromium on Linux has no BarcodeDetector; this one "sees" the card as soon as the camera runs.
CAMERA = """
window.BarcodeDetector = class {
  static async getSupportedFormats() { return ["qr_code"]; }
  async detect() { return [{ rawValue: window.cardLine, format: "qr_code" }]; }
};
navigator.mediaDevices.getUserMedia = async () => {
  const canvas = document.createElement("canvas");
  canvas.getContext("2d").fillRect(0, 0, 8, 8);
  return canvas.captureStream();
};
"""
CHILD = {
    "who": {"surname": "Nguyễn", "given_names": "Minh Khôi", "sex": "male", "date_of_birth": "10/05/2018",
            "id_number": "040218000456"},
    "addresses": {"permanent_address": "Phường Vinh Tân, Nghệ An", "current_address": "Phường Vinh Tân, Nghệ An"},
    "family": {"father_name": "Nguyễn Văn Bình", "father_dob": "1990", "mother_name": "Nguyễn Thị Ánh",
               "mother_dob": "25/04/1995"},
    "request": {"request": "first", "chip": "chip"},
}


def on_step(page: Page, key: str) -> None:
    expect(page.locator(f"[data-step={key}]")).to_be_visible()
    screenshot(page, "declare", f"zh-tk01a-{key}")


def next_step(page: Page) -> None:
    page.locator("button[value=next]").tap()


def test_a_childs_declaration_with_the_representatives_card(start_server: Callable[..., ServerProcess]) -> None:
    server = start_server()
    with chromium() as browser:
        phone = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
        phone.add_init_script(f"window.cardLine = {json.dumps(CARD)};" + CAMERA)
        page = phone.new_page()
        page.goto(f"{server.url}/declare?lang=zh")
        page.locator("button[name=kind][value=TK01a]").tap()
        on_step(page, "representative")
        page.locator("[data-camera-start]").tap()  # the camera reads the representative's card
        expect(page.locator("#card-filled")).to_be_visible()
        expect(page.locator("#f-rep_name")).to_have_value("NGUYỄN THỊ ÁNH")
        expect(page.locator("#f-rep_id_number")).to_have_value("040195000123")
        expect(page.locator("input[name=rep_sex][value=female]")).to_be_checked()
        fill_step(page, {"rep_relation": "mother", "rep_phone": "0912345678"})
        next_step(page)

        on_step(page, "who")
        fill_step(page, CHILD["who"])
        place = page.locator("#f-place_of_birth")
        place.press_sequentially("ngh")  # no diacritics: the phone's keyboard has no Vietnamese
        suggestion = page.locator("#picks-place_of_birth button[data-value='Nghệ An']")
        suggestion.wait_for()
        screenshot(page, "declare", "zh-tk01a-who-picks")
        suggestion.tap()
        expect(place).to_have_value("Nghệ An")
        expect(place).to_be_focused()
        next_step(page)

        on_step(page, "addresses")
        expect(page.locator("#f-ethnicity")).to_have_value("Kinh")
        expect(page.locator("#f-rep_permanent_address")).to_have_value("Phường Vinh Tân, Nghệ An")  # the card's
        fill_step(page, CHILD["addresses"])
        page.set_viewport_size({"width": 390, "height": 844 - 336})  # the phone's keyboard takes the lower part
        field = page.locator("#f-current_address")
        field.tap()
        box, nav = field.bounding_box(), page.locator(".declare-nav").bounding_box()
        assert box and nav and 0 <= box["y"] and box["y"] + box["height"] <= min(508 + 1, nav["y"]), (box, nav)
        page.set_viewport_size(PHONE)
        next_step(page)
        for key in ("family", "request"):
            on_step(page, key)
            fill_step(page, CHILD[key])
            next_step(page)

        expect(page.locator("[data-step=review]")).to_be_visible()
        screenshot(page, "declare", "zh-tk01a-review")
        for key in ("representative", "who", "addresses", "family", "request", "review"):  # each step in vi
            page.goto(f"{server.url}/declare/{key}?lang=vi")
            screenshot(page, "declare", f"vi-tk01a-{key}")
        page.locator("form[action$=submit] button").tap()
        expect(page.locator(".declare-done")).to_be_visible()
        page.locator("#sheet-link").tap()
        expect(page.locator("#sheet")).to_contain_text("MINH KHÔI")
        expect(page.locator("#sheet")).to_contain_text("Người đại diện hợp pháp")
        screenshot(page, "declare", "vi-tk01a-sheet")
        pdf = page.pdf(format="A4", prefer_css_page_size=True)
        (ARTIFACTS / "declare" / "vi-tk01a-sheet.pdf").write_bytes(pdf)
        assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1  # one page, the signature with the answers
        page.emulate_media(media="print")
        page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi: the printed page, to look at
        screenshot(page, "declare", "vi-tk01a-sheet-printed")
