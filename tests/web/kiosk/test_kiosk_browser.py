"""The kiosk in Debian's Chromium with touch, portrait 1080x1920, against `kiosk serve`: what only a browser shows.

Screenshots of every step in vi, en and zh go to tests/artifacts/kiosk/<lang>/.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import zxingcpp
from PIL import Image
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from kiosk.data.engine import database_url, make_engine, session_factory
from kiosk.data.models import Declaration, Office, Ticket
from kiosk.domain.appointments import check_in as appointments
from kiosk.runtime import utc_now
from tests.support.kiosk_factories import TK01_STEPS, WRONG_ID
from tests.support.server import ServerProcess, demo_tokens
from tests.web.kiosk.kiosk_browser import (
    assert_local_only,
    fill_step,
    kiosk_page,
    next_step,
    shoot,
    type_on_keyboard,
)

LANGUAGES = {"vi": "Tiếng Việt", "en": "English", "zh": "中文"}


def office_db(config: dict[str, Any], instance: Path) -> Any:
    return session_factory(make_engine(database_url(config["database"]["url"], instance)))


def test_walk_in_ticket_in_three_taps_and_every_screen_in_three_languages(
    browser: Browser, server: ServerProcess, token: str
) -> None:
    for language, name in LANGUAGES.items():
        with kiosk_page(browser, server.url, token) as (page, requested):
            shoot(page, language, "01-welcome")
            page.get_by_role("button", name=name).first.tap()  # 1
            page.locator("#menu").wait_for()
            shoot(page, language, "02-menu")
            page.locator("#menu .option").first.tap()  # 2
            page.locator("#services").wait_for()
            shoot(page, language, "03-services")
            page.locator("[data-service=passport-reissue]").tap()  # 3
            number = f"B00{list(LANGUAGES).index(language) + 1}"  # one ticket per language so far
            expect(page.locator("#ticket .ticket-number")).to_have_text(number)
            assert read_qr(page).startswith("http://127.0.0.1:8000/t/")  # the token only: nothing personal
            shoot(page, language, "04-ticket")
            page.get_by_role("button", name={"vi": "Xong", "en": "Done", "zh": "完成"}[language]).tap()
            page.locator("#welcome").wait_for()
            visit_side_screens(page, language, name)
            assert_local_only(requested)


def read_qr(page: Page) -> str:
    """Decode the QR as shown on screen, the way a phone camera would."""
    image = Image.open(io.BytesIO(page.locator("#ticket .ticket-qr svg").screenshot()))
    found = zxingcpp.read_barcodes(image)
    assert len(found) == 1
    return str(found[0].text)


def visit_side_screens(page: Page, language: str, name: str) -> None:
    """Priority and code screens, and the language switch from the header."""
    page.get_by_role("button", name=name).first.tap()
    page.locator("#menu .option").nth(4).tap()
    page.locator("#priority").wait_for()
    shoot(page, language, "05-priority")
    page.locator("#priority .screen-nav button").tap()
    page.locator("#menu .option").nth(3).tap()
    page.locator("#code-entry").wait_for()
    page.locator("#keyboard .key").first.wait_for()
    shoot(page, language, "06-code")
    other = "en" if language == "vi" else "vi"
    page.locator(f".kiosk-languages button[lang={other}]").tap()
    page.locator("#menu").wait_for()
    expect(page.locator("#menu h1")).to_have_text({"vi": "Bạn cần làm gì?", "en": "What do you need?"}[other])
    expect(page.locator("html")).to_have_attribute("lang", other)


def test_a_full_tk01_with_one_wrong_id_number_corrected_without_retyping(
    browser: Browser, server: ServerProcess, token: str, config: dict[str, Any], instance: Path
) -> None:
    with kiosk_page(browser, server.url, token) as (page, requested):
        page.get_by_role("button", name="Tiếng Việt").tap()
        page.locator("#menu .option").nth(1).tap()
        page.locator("#wizard[data-step=who]").wait_for()
        page.locator("#f-surname").tap()
        type_on_keyboard(page, "NGUYÊ\u0303N")  # Ê then the ngã key: the tone lands on Ê, giving Ễ
        expect(page.locator("#f-surname")).to_have_value("NGUYỄN")
        fill_step(page, {k: v for k, v in TK01_STEPS["who"].items() if k != "surname"})
        shoot(page, "vi", "10-step-who")
        next_step(page, "contact")
        fill_step(page, {**TK01_STEPS["contact"], "id_number": WRONG_ID})
        page.locator("#wizard button[value=next]").tap()
        error = page.locator("#problem-id_number")
        expect(error).to_contain_text("sinh năm 1996")
        expect(page.locator("#f-phone")).to_have_value("0912345678")
        expect(page.locator("#f-email")).to_have_value("anh@example.vn")
        shoot(page, "vi", "11-step-contact-wrong-id")
        page.locator("#f-id_number").tap()
        for _ in range(7):  # the pad's backspace, back to the wrong digit; everything else stays as typed
            page.locator("#keyboard .key[data-action=back]").tap()
        type_on_keyboard(page, "5000123")
        expect(page.locator("#f-id_number")).to_have_value("040195000123")
        next_step(page, "addresses")
        for number, (step, following) in enumerate((("addresses", "family"), ("family", "request"),
                                                    ("request", "review")), start=12):
            fill_step(page, TK01_STEPS[step])
            shoot(page, "vi", f"{number}-step-{step}")
            next_step(page, following)
        shoot(page, "vi", "16-review")
        for language in ("en", "zh"):
            screenshot_steps_in(page, language)
        page.locator("#wizard .wizard-nav .primary").tap()
        page.locator("#ticket").wait_for()
        shoot(page, "zh", "17-declaration-ticket")
        assert_local_only(requested, "040195000123", "0912345678", "NGUY", "anh%40example", "anh@example")
    with office_db(config, instance)() as session:
        declaration = session.scalars(select(Declaration)).one()
        ticket = session.scalars(select(Ticket).where(Ticket.declaration_id == declaration.id)).one()
        assert declaration.fields["surname"] == "NGUYỄN" and declaration.fields["id_number"] == "040195000123"
        assert ticket.language == "zh" and declaration.status == "checked_in"


def test_stop_and_erase_asks_first_then_forgets_the_draft(
    browser: Browser, server: ServerProcess, token: str, config: dict[str, Any], instance: Path
) -> None:
    with kiosk_page(browser, server.url, token) as (page, _requested):
        page.get_by_role("button", name="Tiếng Việt").tap()
        page.locator("#menu .option").nth(1).tap()
        fill_step(page, TK01_STEPS["who"])
        next_step(page, "contact")
        fill_step(page, TK01_STEPS["contact"])
        page.get_by_role("button", name="Dừng và xóa").tap()  # a stray touch must not lose the declaration
        expect(page.get_by_role("alertdialog")).to_contain_text("Xóa toàn bộ thông tin đã nhập")
        shoot(page, "vi", "11-erase-confirm")
        page.get_by_role("button", name="Không, khai tiếp").tap()
        expect(page.get_by_role("alertdialog")).to_be_hidden()
        next_step(page, "addresses")  # what was typed is all still there to go on from (names kept in capitals)
        with office_db(config, instance)() as session:
            kept = session.scalars(select(Declaration)).one().fields
        assert kept["surname"] == "NGUYỄN" and kept["phone"] == TK01_STEPS["contact"]["phone"]
        page.get_by_role("button", name="Dừng và xóa").tap()
        page.get_by_role("button", name="Có, xóa hết").tap()
        page.locator("#menu").wait_for()
    with office_db(config, instance)() as session:
        assert session.scalars(select(Declaration)).all() == []


def screenshot_steps_in(page: Page, language: str) -> None:
    """Switch language mid-way (the draft stays) and look at every block through the review's Edit buttons."""
    page.locator(f".kiosk-languages button[lang={language}]").tap()
    expect(page.locator("html")).to_have_attribute("lang", language)  # a full page load, in the new language
    page.locator("#wizard[data-step=review]").wait_for()
    shoot(page, language, "16-review")
    for number, step in enumerate(("who", "contact", "addresses", "family", "request"), start=10):
        page.locator(f"#review-{step} button.edit").tap()
        page.locator(f"#wizard[data-step={step}]").wait_for()
        shoot(page, language, f"{number}-step-{step}")
        next_step(page, "review")


def test_check_in_by_code_typed_on_the_pad_or_scanned(
    browser: Browser, server: ServerProcess, token: str, config: dict[str, Any], instance: Path
) -> None:
    with office_db(config, instance).begin() as session:
        office = session.scalars(select(Office)).one()
        now = utc_now()
        typed = appointments.book(session, office, "foreigners", now + timedelta(minutes=5), "en", now).code
        scanned = appointments.book(session, office, "border-pass", now, "vi", now).code
    with kiosk_page(browser, server.url, token) as (page, requested):
        page.get_by_role("button", name="English").tap()
        page.locator("#menu .option").nth(3).tap()
        page.locator("#keyboard .key").first.wait_for()
        type_on_keyboard(page, typed)
        page.get_by_role("button", name="Get my ticket").tap()
        expect(page.locator("#ticket .ticket-number")).to_have_text("F001")
        page.get_by_role("button", name="Done").tap()
        page.get_by_role("button", name="English").tap()
        page.locator("#menu .option").nth(3).tap()
        page.locator("#code").wait_for()
        page.locator("#code-entry h1").tap()  # a touch beside the field takes the focus away from it
        page.keyboard.type(f"{scanned}\n")  # a USB scanner types the code and Enter, wherever the focus is
        expect(page.locator("#ticket .ticket-number")).to_have_text("E001")
        assert_local_only(requested)


def test_idle_warning_continue_and_the_wipe(
    browser: Browser, start_server: Callable[..., ServerProcess], office_env: dict[str, str], instance: Path,
    config: dict[str, Any],
) -> None:
    server = start_server({**office_env, "KIOSK_KIOSK__IDLE_WARNING_S": "2", "KIOSK_KIOSK__IDLE_COUNTDOWN_S": "3",
                           "KIOSK_KIOSK__HEALTH_CHECK_S": "1"})
    with kiosk_page(browser, server.url, demo_tokens(instance)["kiosk-lobby"]) as (page, _requested):
        shows_out_of_service_while_unreachable(page)
        page.get_by_role("button", name="English").tap()
        page.locator("#menu .option").nth(1).tap()
        page.locator("#f-surname").fill("Trần")
        overlay = page.locator("#idle-overlay")
        expect(overlay).to_be_visible(timeout=5000)
        assert page.evaluate("window.__beeps") >= 1
        shoot(page, "en", "20-idle-warning")
        page.get_by_role("button", name="Continue").tap()
        expect(overlay).to_be_hidden()
        expect(page.locator("#f-surname")).to_have_value("Trần")
        expect(overlay).to_be_visible(timeout=5000)
        page.locator("#welcome").wait_for(timeout=8000)  # the countdown ran out
        page.goto(f"{server.url}/kiosk/declaration")
        expect(page.locator("#menu h1")).to_have_text("Bạn cần làm gì?")  # no draft, and Vietnamese again
    with office_db(config, instance)() as session:
        assert session.scalars(select(Declaration)).all() == []


def shows_out_of_service_while_unreachable(page: Page) -> None:
    offline = page.locator("#offline")
    page.route("**/kiosk/health", lambda route: route.abort("connectionrefused"))
    expect(offline).to_be_visible(timeout=4000)
    shoot(page, "vi", "21-out-of-service")
    page.unroute("**/kiosk/health")
    expect(offline).to_be_hidden(timeout=4000)
