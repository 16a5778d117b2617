"""The kiosk's declaration on its 1080x1920 touchscreen: the keyboard's layout follows the field (letters, digits,
lower-case e-mail with @ and .), its clear key, a pick list found by three letters, and the field being typed
never under the wizard's bar or the keyboard, errors shown. Screenshots go to tests/artifacts/declare/."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.support.browser import chromium, screenshot
from tests.support.server import ServerProcess, demo_tokens
from tests.web.kiosk.kiosk_browser import assert_fit_for_fingers, fill_step, kiosk_page, next_step, type_on_keyboard


def assert_in_view(page: Page, selector: str) -> None:
    """What the citizen types into (with its error) sits between the header and the wizard's bar and keyboard."""
    box = page.locator(selector).bounding_box()
    screen = page.locator("#screen").bounding_box()
    bar = page.locator("#wizard .wizard-nav").bounding_box()
    keyboard = page.locator("#keyboard").bounding_box()
    assert box and screen and bar and keyboard
    assert screen["y"] <= box["y"] and box["y"] + box["height"] <= min(bar["y"], keyboard["y"]) + 1, (
        selector, box, bar, keyboard)


def layout(page: Page) -> str | None:
    return page.locator("#keyboard").get_attribute("data-layout")


def test_the_keyboard_fits_each_field_and_never_hides_it(
        start_server: Callable[..., ServerProcess], instance: Path) -> None:
    server = start_server()
    with chromium() as browser, kiosk_page(browser, server.url, demo_tokens(instance)["kiosk-lobby"]) as (page, _):
        page.get_by_role("button", name="English").tap()
        page.locator("#menu .option").nth(1).tap()
        page.locator("#wizard[data-step=who] button[value=next]").tap()  # nothing typed: an error on each field
        expect(page.locator("#problem-place_of_birth")).to_be_visible()
        page.locator("#f-place_of_birth").tap()
        assert layout(page) == "text"
        assert_in_view(page, "#field-place_of_birth")
        type_on_keyboard(page, "NGH")  # no tone keys needed: the list is searched without diacritics
        suggestion = page.locator("#picks-place_of_birth button[data-value='Nghệ An']")
        expect(suggestion).to_be_visible()
        assert_in_view(page, "#field-place_of_birth")
        screenshot(page, "declare", "en-kiosk-pick-list")
        suggestion.tap()
        expect(page.locator("#f-place_of_birth")).to_have_value("Nghệ An")

        page.locator("#f-date_of_birth").tap()
        assert layout(page) == "date" and page.locator("#keyboard [data-key=Q]").count() == 0
        assert_in_view(page, "#field-date_of_birth")
        type_on_keyboard(page, "2504")
        page.locator("#keyboard [data-action=clear]").tap()
        expect(page.locator("#f-date_of_birth")).to_have_value("")
        type_on_keyboard(page, "25041995")
        expect(page.locator("#f-date_of_birth")).to_have_value("25/04/1995")
        screenshot(page, "declare", "en-kiosk-keyboard-date")
        fill_step(page, {"surname": "Nguyễn", "given_names": "Thị Ánh", "sex": "female"})
        next_step(page, "contact")

        page.locator("#f-email").tap()
        assert layout(page) == "email"
        expect(page.locator("#keyboard")).to_have_class("keyboard letters lower")
        type_on_keyboard(page, "ANH")
        page.locator("#keyboard [data-key='@gmail.com']").tap()
        expect(page.locator("#f-email")).to_have_value("anh@gmail.com")
        assert_in_view(page, "#field-email")
        screenshot(page, "declare", "en-kiosk-keyboard-email")
        assert_fit_for_fingers(page)
        for digits_only in ("#f-phone", "#f-id_number"):
            page.locator(digits_only).tap()
            assert layout(page) in ("tel", "digits") and page.locator("#keyboard [data-key=A]").count() == 0
            assert_in_view(page, digits_only.replace("#f-", "#field-"))
