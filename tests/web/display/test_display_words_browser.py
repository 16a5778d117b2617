"""The hall display read from the back of the hall, in Debian's Chromium against a real `kiosk serve`: the date in
each language's own words, and the waiting list and notice large enough for 10 m, with no service name cut off."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from kiosk.data.models import Office
from kiosk.domain.office.devices import create_device
from tests.support.browser import chromium, screenshot
from tests.support.server import ServerProcess, demo_tokens
from tests.support.tickets import take_ticket

HALL = {"width": 1920, "height": 1080}
FROM_AFAR_PX = 48  # on a 1080-line screen: what the back of a hall reads
# Weekday, day and month in words: never the bare 12/01 that a Chinese reader takes for the 1st of December.
DATES = {
    "vi": re.compile(r"^(Chủ Nhật|Thứ \d), \d{1,2} tháng \d{1,2}$"),
    "en": re.compile(r"^[A-Z][a-z]{2}, [A-Z][a-z]+ \d{1,2}$"),
    "zh": re.compile(r"^\d{1,2}月\d{1,2}日周[一二三四五六日]$"),
}
# Every text a visitor reads across the hall, its font size, and whether it shows whole inside its column.
MEASURE = """() => {
  const side = document.querySelector('.hall-side').getBoundingClientRect();
  const cut = (el) => el.scrollWidth > el.clientWidth + 1;
  return [...document.querySelectorAll('.waiting th, .waiting td, .hall-notice')].map((el) => {
    const box = el.getBoundingClientRect();
    const inSide = el.closest('.hall-side') === null || (box.bottom <= side.bottom + 1 && box.right <= side.right + 1);
    return {text: el.innerText.trim(), size: parseFloat(getComputedStyle(el).fontSize), whole: !cut(el) && inSide};
  });
}"""


# A busy hall: every counter calls, some twice, so the recent calls are full beside the waiting list.
SERVICES = ["passport-first"] * 4 + ["passport-reissue", "passport-child", "border-pass", "foreigners", "foreigners"]
CALLS = [1, 2, 3, 4, 5, 6, 1, 2]


@pytest.mark.parametrize("language", ["vi", "en", "zh"])
def test_the_hall_reads_from_ten_metres_in_each_language(start_server: Callable[..., ServerProcess],
                                                          instance: Path, session: Session, language: str) -> None:
    server = start_server()
    tokens = demo_tokens(instance)
    for service in SERVICES:
        take_ticket(server.url, tokens["kiosk-lobby"], service, timeout=10)
    staff = create_device(session, session.query(Office).one(), "staff", "test-staff", datetime.now(UTC)).token
    session.commit()
    for counter in CALLS:
        answer = requests.post(f"{server.url}/api/v1/counters/{counter}/call-next", timeout=10,
                               headers={"Authorization": f"Bearer {staff}"})
        assert answer.ok, answer.text
    with chromium() as browser:
        page = browser.new_page(viewport=HALL)
        page.goto(f"{server.url}/display?device={tokens['display-hall']}&lang={language}")
        expect(page.locator("body[data-stream=up]")).to_be_attached()
        expect(page.locator("#clock .clock-time")).to_have_text(re.compile(r"^\d\d:\d\d$"))
        expect(page.locator("#recent-calls li")).to_have_count(len(CALLS))
        screenshot(page, "display", f"waiting-{language}")
        date = page.locator("#clock .clock-date").inner_text()
        assert DATES[language].match(date), date
        assert_read_from_afar(page)


def assert_read_from_afar(page: Page) -> None:
    measured = page.evaluate(MEASURE)
    assert len(measured) == 6 * 3 + 1  # six services (letter, name, count) and the notice
    small = [m for m in measured if m["size"] < FROM_AFAR_PX]
    assert small == [], small
    cut = [m["text"] for m in measured if not m["whole"]]
    assert cut == [], cut
    assert page.evaluate("document.documentElement.scrollHeight") <= HALL["height"]
