"""Times and dates on the staff's pages in each language's own order and words, on the office's clock."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask
from flask_babel import force_locale

from kiosk.web.common.local_dates import TODAY, local_day, local_moment, local_time

EARLY = datetime(2026, 12, 2, 0, 5, 9, tzinfo=UTC)  # 07:05:09 on Wednesday 2 December in Hanoi
HANOI = "Asia/Ho_Chi_Minh"


@pytest.mark.parametrize(("language", "moment", "today"), [
    ("vi", "07:05:09 2 thg 12, 2026", "Thứ 4, 2 tháng 12"),
    ("en", "Dec 2, 2026, 07:05:09", "Wed, December 2"),
    ("zh", "2026年12月2日 07:05:09", "12月2日周三"),
])
def test_each_language_writes_the_day_its_own_way(app: Flask, language: str, moment: str, today: str) -> None:
    with app.test_request_context(), force_locale(language):
        assert local_moment(EARLY, HANOI, seconds=True) == moment
        assert local_day(EARLY, HANOI, TODAY) == today
        assert local_time(EARLY, HANOI) == "07:05"  # the hall's clock: two-digit hours in every language
        assert local_time(None, HANOI) == "—"
