"""Reading the console's and the desk's pages: the ticket at the counter and what a button's answer says."""

from __future__ import annotations

import re


def shown_ticket(html: str) -> str:
    """The console's current ticket number, as its data attribute says."""
    return re.search(r'id="console"[^>]*data-ticket="([^"]*)"', html, re.S).group(1)  # type: ignore[union-attr]


def shown_id(html: str) -> str:
    """The id of the ticket the console shows, which its buttons post back as `shown` (empty: nobody)."""
    return re.search(r'name="shown" value="(\d*)"', html).group(1)  # type: ignore[union-attr]


def outcome(html: str) -> str:
    return " ".join(re.findall(r'class="message is-(?:ok|error)" role="(?:status|alert)">([^<]*)<', html))
