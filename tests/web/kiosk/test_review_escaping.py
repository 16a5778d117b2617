"""What a citizen typed is shown as text, never run: a choice posted with markup or a % sign (the draft keeps
everything typed, valid or not) is escaped on the review, and never reaches the catalogue."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.support.htmx_client import paired_kiosk
from tests.support.kiosk_factories import TK01_STEPS

POSTED = "<img src=x onerror=alert(1)> 100% %(x)s"


def test_a_choice_posted_with_markup_is_shown_as_text_on_the_review(app: Flask, client: FlaskClient) -> None:
    kiosk = paired_kiosk(app, client)
    kiosk.html("/kiosk/declaration", kind="TK01")
    refused = kiosk.html("/kiosk/declaration/who", action="next", **{**TK01_STEPS["who"], "sex": POSTED})
    assert 'data-step="who"' in refused and "<img src=x" not in refused  # refused, and kept as typed
    review = kiosk.html("/kiosk/declaration/contact", action="next", then="review", **TK01_STEPS["contact"])
    assert 'data-step="review"' in review
    assert "<img src=x" not in review
    assert "&lt;img src=x onerror=alert(1)&gt; 100% %(x)s" in review
