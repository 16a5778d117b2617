"""Debian's Chromium driven by Playwright, as testing.md prescribes (never `playwright install`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps trying to reach the internet from a closed LAN.
FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@contextmanager
def chromium(autoplay: bool = True) -> Iterator[Browser]:
    """autoplay=False: a browser started without the hall display's flag, as a misconfigured display PC is."""
    flags = FLAGS if autoplay else [flag for flag in FLAGS if not flag.startswith("--autoplay-policy")]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=flags)
        try:
            yield browser
        finally:
            browser.close()


def screenshot(page: Page, part: str, name: str) -> Path:
    """Keep a screenshot under tests/artifacts/<part>/ to look at; the folder is ignored by git."""
    path = ARTIFACTS / part / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path
