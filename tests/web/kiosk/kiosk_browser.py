"""Helpers for the kiosk's browser tests: a touch portrait page, its requests, and measuring what a finger meets."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Page

from tests.support.browser import screenshot
from tests.support.touch_targets import too_small, touch_targets

VIEWPORT = {"width": 1080, "height": 1920}
# Counts beeps: the idle warning makes one through WebAudio.
COUNT_BEEPS = """
window.__beeps = 0;
const Original = window.AudioContext;
window.AudioContext = class extends Original {
  createOscillator() { window.__beeps += 1; return super.createOscillator(); }
};
"""
# Every visible text on screen: what an eye meets (what a finger meets is tests/support/touch_targets.py).
TEXTS = """() => {
  const visible = (el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && !el.closest('[hidden]'); };
  return [...document.querySelectorAll('body *')].filter((el) => visible(el) &&
      [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
    .map((el) => ({what: el.innerText.trim().slice(0, 40), size: parseFloat(getComputedStyle(el).fontSize)}));
}"""


@contextmanager
def kiosk_page(browser: Browser, url: str, token: str, **options: Any) -> Iterator[tuple[Page, list[str]]]:
    """A fresh kiosk (its own cookies) opened paired to the demo kiosk; yields the page and every URL it asked for.
    `options` adds browser context options (bypass_csp for the accessibility check)."""
    context = browser.new_context(has_touch=True, viewport=VIEWPORT, device_scale_factor=1, **options)
    context.add_init_script(COUNT_BEEPS)
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    page = context.new_page()
    page.goto(f"{url}/kiosk?device={token}")
    page.locator("#welcome").wait_for()
    try:
        yield page, requested
    finally:
        context.close()


def assert_local_only(requested: list[str], *secrets: str) -> None:
    """Nothing leaves 127.0.0.1, and nothing the citizen typed is in any address."""
    assert requested
    hosts = {urlsplit(url).hostname for url in requested if not url.startswith("data:")}
    assert hosts == {"127.0.0.1"}, hosts
    for url in requested:
        assert not any(secret in url for secret in secrets), url


def assert_fit_for_fingers(page: Page) -> None:
    """Every target >= 48x48 CSS px, primary buttons >= 64 px high, text >= 24 px."""
    targets = touch_targets(page)
    assert targets, "nothing to touch on this screen"
    small = too_small(page) + [t for t in targets if t["primary"] and t["h"] < 64]
    assert small == [], small
    tiny = [t for t in page.evaluate(TEXTS) if t["size"] < 24]
    assert tiny == [], tiny


def shoot(page: Page, language: str, name: str) -> None:
    page.wait_for_timeout(50)  # let htmx settle its swap classes
    screenshot(page, f"kiosk/{language}", name)
    assert_fit_for_fingers(page)


def type_on_keyboard(page: Page, text: str) -> None:
    """Tap the on-screen keys one by one; a tone is a key of its own after the vowel's letter."""
    for key in text:
        page.locator(f"#keyboard button.key[data-key='{key}'], #keyboard button.key[data-tone='{key}']").first.tap()


def fill_step(page: Page, values: dict[str, str]) -> None:
    for key, value in values.items():
        field = page.locator(f"#wizard [name={key}]")
        if field.first.get_attribute("type") == "radio":
            page.locator(f"#wizard label.choice:has(input[name={key}][value={value}])").tap()
        else:
            field.fill(value)


def next_step(page: Page, step: str) -> None:
    page.locator("#wizard button[value=next]").tap()
    page.locator(f"#wizard[data-step={step}]").wait_for()
