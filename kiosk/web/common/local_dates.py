"""Times and dates on the office's clock, written the way the reader's language writes them (Babel's CLDR data):
`2 tháng 12` in Vietnamese, `12月2日` in Chinese, `December 2` in English, never a bare 12/02 that one reader takes
for the 12th of February. Hours are 24-hour everywhere, like the hall's clock."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_skeleton, format_time
from flask_babel import get_locale

# The time as the hall's clock and the office's hours write it (07:30) in every language (CLDR's Vietnamese would
# write 7:30); the days as CLDR skeletons, which Babel orders and spells for the language.
CLOCK = "HH:mm"
CLOCK_SECONDS = "HH:mm:ss"
DAY = "yMMMd"
DAY_IN_YEAR = "MMMd"
TODAY = "MMMMEEEEd"  # the hall display's date: weekday, day and month in words


def local_time(value: datetime | None, timezone: str, seconds: bool = False) -> str:
    """A stored time as the office's clock shows it (14:05)."""
    if value is None:
        return "—"
    return format_time(value, CLOCK_SECONDS if seconds else CLOCK, tzinfo=ZoneInfo(timezone), locale=_locale())


def local_day(value: date | datetime, timezone: str | None = None, skeleton: str = DAY) -> str:
    """A day in the reader's words (12 thg 1, 2026 · 2026年1月12日 · Jan 12, 2026)."""
    zone = ZoneInfo(timezone) if timezone and isinstance(value, datetime) else None
    return format_skeleton(skeleton, value, tzinfo=zone, locale=_locale())


def local_moment(value: datetime | None, timezone: str, seconds: bool = False, year: bool = True) -> str:
    """Day and time joined as the language joins them (Vietnamese puts the time first)."""
    if value is None:
        return "—"
    glue = str(_locale().datetime_formats["medium"])
    day_words = local_day(value, timezone, DAY if year else DAY_IN_YEAR)
    return glue.replace("{0}", local_time(value, timezone, seconds)).replace("{1}", day_words)


def _locale() -> Locale:
    return Locale.parse(str(get_locale()))
