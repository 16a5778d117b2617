"""What must hold on every screen, checked in Debian's Chromium against a real `kiosk serve`: no serious or
critical accessibility fault (axe-core), every touch target a finger's size, an icon in every tab."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.support.axe import blocking_violations
from tests.support.browser import chromium, screenshot
from tests.support.server import ServerProcess
from tests.support.touch_targets import too_small
from tests.web.screen_tour import UNTOUCHED, every_screen


def test_no_screen_has_a_serious_accessibility_fault(start_server: Callable[..., ServerProcess],
                                                    instance: Path) -> None:
    server = start_server()
    found = {}
    with chromium() as browser:
        for name, page in every_screen(browser, server, instance, bypass_csp=True):
            page.wait_for_timeout(100)  # htmx settles its swap classes
            found[name] = blocking_violations(page)
    assert {name: faults for name, faults in found.items() if faults} == {}
    assert len(found) == 11


def test_every_target_is_a_fingers_size_and_every_tab_has_an_icon(start_server: Callable[..., ServerProcess],
                                                                  instance: Path) -> None:
    server = start_server()
    small, without_icon = {}, []
    with chromium() as browser:
        for name, page in every_screen(browser, server, instance):
            page.wait_for_timeout(100)
            screenshot(page, "screens", name)
            if name not in UNTOUCHED:
                small[name] = too_small(page)
            icon = page.locator("link[rel=icon]").get_attribute("href")
            answer = page.request.get(f"{server.url}{icon}") if icon else None
            if answer is None or not answer.ok or not answer.headers["content-type"].startswith("image/svg+xml"):
                without_icon.append(name)
    assert {name: targets for name, targets in small.items() if targets} == {}
    assert without_icon == []
