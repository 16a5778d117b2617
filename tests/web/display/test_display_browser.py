"""The hall display in Debian's Chromium against a real `kiosk serve`: live calls, the audio queue, a server
restart it survives on its own, and how it looks from across the hall with six counters busy."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
from playwright.sync_api import Browser, Page, expect
from sqlalchemy.orm import Session

from kiosk.data.models import Office
from kiosk.domain.office.devices import create_device
from kiosk.domain.queue import calls
from kiosk.domain.queue.settings import QueueSettings
from tests.support.browser import chromium, screenshot
from tests.support.server import ServerProcess, demo_tokens
from tests.support.tickets import take_ticket

HALL = {"width": 1920, "height": 1080}
# Tickets in the order they are issued, and the counter that will call each (see office.example.toml).
TICKETS = [("passport-first", "vi"), ("passport-first", "en"), ("passport-reissue", "zh"), ("passport-child", "vi"),
           ("border-pass", "vi"), ("passport-first", "vi"), ("passport-first", "vi"), ("foreigners", "en")]
FIRST_FIVE = [("A001", 1), ("A002", 2), ("B001", 3), ("C001", 4), ("E001", 5)]


class OfficeApi:
    """The office through its API, as tablets and kiosks use it."""

    def __init__(self, server: ServerProcess, kiosk: str, staff: str) -> None:
        self.server, self.kiosk, self.staff = server, kiosk, staff

    def post(self, path: str, token: str, body: dict[str, Any] | None = None) -> requests.Response:
        answer = requests.post(f"{self.server.url}/api/v1{path}", json=body, timeout=10,
                               headers={"Authorization": f"Bearer {token}"})
        assert answer.ok, answer.text
        return answer

    def call_next(self, counter: int) -> str:
        return str(self.post(f"/counters/{counter}/call-next", self.staff).json()["ticket"]["number"])


def office_with_tickets(server: ServerProcess, tokens: dict[str, str], session: Session,
                        tickets: list[tuple[str, str]]) -> OfficeApi:
    """The office's API with these (service, language) tickets taken at the kiosk, in order."""
    office = OfficeApi(server, tokens["kiosk-lobby"], staff_token(session))
    for service, language in tickets:
        take_ticket(server.url, office.kiosk, service, language=language, timeout=10)
    return office


def hall_page(browser: Browser, server: ServerProcess, tokens: dict[str, str], playback_rate: float) -> Page:
    """The hall display, its stream up, its announcements played `playback_rate` times faster than spoken."""
    page = browser.new_page(viewport=HALL)
    page.goto(f"{server.url}/display?device={tokens['display-hall']}")
    expect(page.locator("body[data-stream=up]")).to_be_attached()
    page.evaluate(f"document.getElementById('announcements').dataset.playbackRate = '{playback_rate}'")
    return page


def played(page: Page) -> list[dict[str, str]]:
    """The audio queue's log: each announcement played, in the order played."""
    return page.evaluate("""() => {
        const log = document.getElementById('announcements');
        return log.dataset.played.split(' ').filter(Boolean).map((id) => {
            const item = document.getElementById('announcement-' + id);
            return {ticket: item.dataset.ticket, counter: item.dataset.counter, state: item.dataset.state,
                    recall: item.hasAttribute('data-recall'), start: +item.dataset.startedAt,
                    end: +item.dataset.endedAt};
        });
    }""")


def wait_played(page: Page, count: int) -> list[dict[str, str]]:
    """Polled with evaluate: wait_for_function compiles its predicate with eval, which the page's
    Content-Security-Policy (rightly) refuses."""
    done = (f"() => document.getElementById('announcements').dataset.played.split(' ').filter(Boolean).length >= "
            f"{count} && !document.querySelector('#announcements [data-state=playing], "
            "#announcements [data-state=queued]')")
    deadline = time.monotonic() + 30
    while not page.evaluate(done):
        assert time.monotonic() < deadline, played(page)
        page.wait_for_timeout(50)
    return played(page)


def tiles(page: Page) -> dict[int, str]:
    shown = page.eval_on_selector_all(".counter-tile", "els => els.map(e => [+e.dataset.counter, "
                                      "e.querySelector('.counter-ticket').dataset.ticket])")
    return {counter: ticket for counter, ticket in shown}


def recent(page: Page) -> list[str]:
    return page.eval_on_selector_all("#recent-calls li", "els => els.map(e => e.dataset.ticket)")


def call_while_down(session: Session, settings: QueueSettings, counters: list[int]) -> None:
    """Calls made by another app process while this one is down: written straight to the shared database."""
    office = session.query(Office).one()
    for number in counters:
        calls.call_next(session, calls.get_counter(session, office, number, lock=True), datetime.now(UTC), settings)
    session.commit()


def staff_token(session: Session) -> str:
    token = create_device(session, session.query(Office).one(), "staff", "test-staff", datetime.now(UTC)).token
    session.commit()
    return token


def test_calls_are_shown_and_announced_in_order_and_survive_a_restart(
    start_server: Callable[..., ServerProcess], instance: Path, session: Session, settings: QueueSettings
) -> None:
    server = start_server()
    tokens = demo_tokens(instance)
    office = office_with_tickets(server, tokens, session, TICKETS)
    with chromium() as browser:
        # Announcements run eight times faster here: the order and the gaps are what is tested, not the voice.
        page = hall_page(browser, server, tokens, playback_rate=8)

        assert [office.call_next(counter) for _, counter in FIRST_FIVE] == [number for number, _ in FIRST_FIVE]
        expect(page.locator("#recent-calls li")).to_have_count(5)
        assert recent(page) == [number for number, _ in reversed(FIRST_FIVE)]
        assert tiles(page) == {1: "A001", 2: "A002", 3: "B001", 4: "C001", 5: "E001", 6: ""}
        announced = wait_played(page, 5)
        assert [(a["ticket"], int(a["counter"])) for a in announced] == FIRST_FIVE
        assert all(a["state"] == "played" for a in announced)
        assert all(later["start"] >= earlier["end"] for earlier, later in zip(announced, announced[1:], strict=False))

        office.post("/counters/5/recall", office.staff)
        again = wait_played(page, 6)[-1]
        assert (again["ticket"], again["recall"]) == ("E001", True)

        server.kill()
        expect(page.locator("#stream-health")).to_be_visible(timeout=10_000)
        call_while_down(session, settings, [1, 2])
        start_server(port=server.port)
        expect(page.locator("#stream-health")).to_be_hidden(timeout=20_000)
        expect(page.locator(".counter-tile[data-counter='2'] .counter-ticket")).to_have_text("A004")
        assert recent(page)[:2] == ["A004", "A003"]
        assert [a["ticket"] for a in wait_played(page, 8)][6:] == ["A003", "A004"]

        office.call_next(6)  # now all six counters are busy
        expect(page.locator(".counter-tile[data-counter='6'].is-flashing")).to_be_attached()
        screenshot(page, "display", "six-counters-busy")
        assert_readable_from_afar(page)
        assert len(wait_played(page, 9)) == 9


def assert_readable_from_afar(page: Page) -> None:
    """The called number is at least 12 % of the screen's height, and nothing overflows its box."""
    sizes = page.eval_on_selector_all(".counter-ticket", "els => els.map(e => [parseFloat(getComputedStyle(e)"
                                      ".fontSize), e.scrollWidth <= e.clientWidth + 1, e.getBoundingClientRect().right"
                                      " <= e.parentElement.getBoundingClientRect().right])")
    assert all(size >= 0.12 * HALL["height"] and fits and inside for size, fits, inside in sizes), sizes
    assert page.evaluate("document.documentElement.scrollHeight") <= HALL["height"]


def test_a_blocked_sound_is_shown_on_screen(start_server: Callable[..., ServerProcess], instance: Path,
                                           session: Session) -> None:
    server = start_server()
    tokens = demo_tokens(instance)
    office = OfficeApi(server, tokens["kiosk-lobby"], staff_token(session))
    take_ticket(server.url, office.kiosk, timeout=10)
    office.call_next(1)  # a call just before the display starts: it is announced on arrival
    with chromium(autoplay=False) as browser:
        page = browser.new_page(viewport=HALL)
        # Nothing may touch the page first: Playwright's evaluate counts as a user gesture, which unblocks sound.
        page.goto(f"{server.url}/display?device={tokens['display-hall']}")
        page.wait_for_timeout(2000)  # the call arrives and is refused sound meanwhile, untouched by the test
        expect(page.locator("#sound-blocked")).to_be_visible()
        expect(page.locator("#announcements li[data-state=blocked]")).to_have_count(1)
        screenshot(page, "display", "sound-blocked")


def test_calls_that_bunch_are_said_briefly_back_to_back_and_stale_ones_are_dropped(
    start_server: Callable[..., ServerProcess], instance: Path, session: Session
) -> None:
    server = start_server()
    tokens = demo_tokens(instance)
    office = office_with_tickets(server, tokens, session, TICKETS[:5])
    with chromium() as browser:
        page = hall_page(browser, server, tokens, playback_rate=2)
        for _, counter in FIRST_FIVE:  # every counter calls at once, as at the start of a day
            office.call_next(counter)
        office.post("/counters/3/no-show", office.staff)  # B001 gone before its call was said
        office.post("/counters/2/recall", office.staff)  # A002 called again: said once, in the recall's place
        expect(page.locator("#announcements li[data-state=queued]").first).to_be_visible()
        screenshot(page, "display", "calls-waiting-to-be-said")
        announced = wait_played(page, 4)
        assert [(a["ticket"], a["recall"]) for a in announced] == [
            ("A001", False), ("C001", False), ("E001", False), ("A002", True)]
        assert all(a["state"] == "played" for a in announced)
        assert all(later["start"] >= earlier["end"] for earlier, later in zip(announced, announced[1:], strict=False))
        dropped = page.eval_on_selector_all("#announcements li[data-state=dropped]", "els => els.map(e => "
                                            "[e.dataset.ticket, e.hasAttribute('data-recall')])")
        assert sorted(dropped) == [["A002", False], ["B001", False]]
        deliveries = page.eval_on_selector_all("#announcements li[data-delivery]", "els => els.map(e => "
                                               "e.dataset.delivery)")
        assert deliveries == ["first", "next", "next", "next"]  # one chime for the lot
        expect(page.locator("#announcements li[data-state=playing], #announcements li[data-state=queued]")
               ).to_have_count(0)  # nothing left on the caption once all is said
