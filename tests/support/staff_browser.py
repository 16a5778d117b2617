"""A staff tablet in the browser: its size, and signing in as one of the demo office's accounts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page

from tests.support.server import ServerProcess

TABLET = {"width": 1280, "height": 800}


def sign_in(browser: Browser, server: ServerProcess, instance: Path, username: str, start: str, **context: Any
            ) -> Page:
    """A tablet of its own (a browser context: its own cookies) signed in as one of the demo accounts; `context`
    adds options to the browser context (bypass_csp for the accessibility check)."""
    password = json.loads((instance / "demo_accounts.json").read_text())[username]["password"]
    page = browser.new_context(viewport=TABLET, has_touch=True, **context).new_page()
    page.goto(f"{server.url}{start}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("form.login-form button[type=submit]").tap()
    page.wait_for_url(f"{server.url}{start}")
    return page
