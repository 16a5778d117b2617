"""What the kiosk says, read as a citizen reads it, in Debian's Chromium against `kiosk serve`: counts in each
language's plural, Chinese punctuation in Chinese sentences, the closed office in all three languages."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy.orm import Session

from kiosk.data.models import Office
from kiosk.domain.queue.opening_hours import WEEKDAYS
from tests.support.server import ServerProcess
from tests.support.tickets import take_ticket
from tests.web.kiosk.kiosk_browser import kiosk_page, shoot

# What the ticket screen says with one person ahead: a singular in English, no plural at all in vi and zh.
ONE_AHEAD = {"vi": "Còn 1 người trước bạn", "en": "1 person before you", "zh": "您前面还有1人"}
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English", "zh": "中文"}
CLOSED = {"vi": "Tạm ngừng phục vụ", "en": "Out of service", "zh": "暂停服务"}


def take_on_screen(page: Page, language: str, service: str) -> None:
    page.get_by_role("button", name=LANGUAGE_NAMES[language]).first.tap()
    page.locator("#menu .option").first.tap()
    page.locator(f"[data-service={service}]").tap()
    page.locator("#ticket").wait_for()


@pytest.mark.parametrize("language", ["vi", "en", "zh"])
def test_one_person_ahead_is_one_person(browser: Browser, server: ServerProcess, token: str, language: str) -> None:
    take_ticket(server.url, token, "passport-lost", timeout=10)
    with kiosk_page(browser, server.url, token) as (page, _requested):
        take_on_screen(page, language, "passport-lost")
        expect(page.locator("#ticket .ticket-wait")).to_contain_text(ONE_AHEAD[language])
        shoot(page, language, "04-ticket-one-ahead")


def test_a_chinese_priority_note_has_chinese_full_stops(browser: Browser, server: ServerProcess, token: str) -> None:
    with kiosk_page(browser, server.url, token) as (page, _requested):
        page.get_by_role("button", name="中文").first.tap()
        page.locator("#menu .option").nth(4).tap()
        page.locator("#priority button[hx-vals*=urgent]").tap()
        page.locator("[data-service=passport-first]").tap()
        note = page.locator("#ticket .notice:not([data-after-closing])")  # late in the day a warning stands beside
        expect(note).to_contain_text("绿色通道")
        shoot(page, "zh", "04-ticket-urgent")
        words = note.inner_text().strip()
        assert "." not in words and words.endswith("。"), words


def test_a_closed_office_says_so_in_three_languages(browser: Browser, server: ServerProcess, token: str,
                                                   session: Session) -> None:
    office = session.query(Office).one()
    today = WEEKDAYS[datetime.now(UTC).astimezone(ZoneInfo(office.timezone)).weekday()]
    office.enforce_hours, office.hours = True, {day: span for day, span in office.hours.items() if day != today}
    session.commit()
    with kiosk_page(browser, server.url, token) as (page, _requested):
        overlay = page.locator("#service-state .out-of-service")
        expect(overlay).to_be_visible()
        for language, title in CLOSED.items():
            words = overlay.locator(f"[lang={language}]")
            expect(words.locator(".overlay-title")).to_have_text(title)
            expect(words.locator(".hours")).to_be_visible()
        shoot(page, "all", "21-office-closed")
