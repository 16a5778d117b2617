"""A report as the tables the page shows and the exports write: the same rows, so a file adds up like the page.
Durations in minutes, shares in per cent, both to one decimal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext

from kiosk.domain.statistics.kpis import Report
from kiosk.domain.statistics.over_the_day import DayShape, wait_bins
from kiosk.domain.statistics.tally import Tally
from kiosk.web.common.exports import Cell, Table
from kiosk.web.common.staff_wording import PRIORITY_NAMES

SPLIT_NAMES = {"service": lazy_gettext("By service"), "counter": lazy_gettext("By counter"),
               "officer": lazy_gettext("By officer"), "source": lazy_gettext("By source"),
               "priority": lazy_gettext("By priority"), "day": lazy_gettext("By day")}
SOURCE_NAMES = {"walk_in": lazy_gettext("Walk-in"), "appointment": lazy_gettext("Appointment"),
                "phone": lazy_gettext("Declared on a phone")}
WEEKDAY_NAMES = (lazy_gettext("Mon"), lazy_gettext("Tue"), lazy_gettext("Wed"), lazy_gettext("Thu"),
                 lazy_gettext("Fri"), lazy_gettext("Sat"), lazy_gettext("Sun"))


@dataclass(frozen=True)
class Names:
    """What the groups' keys stand for, in words."""

    services: dict[int, str]
    counters: dict[int, int]
    officers: dict[int, str]


def minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


def percent(share: float | None) -> float | None:
    return None if share is None else round(100 * share, 1)


def summary(report: Report) -> Table:
    """Each figure of the period with its definition, as the field defines it."""
    t = report.total
    rows: list[list[Cell]] = [
        [_("Tickets issued"), t.issued, _("Every ticket taken: each is one arrival.")],
        [_("Served"), t.served, _("Tickets finished at a counter.")],
        [_("Mean wait (min)"), minutes(t.mean_wait_s), _("Wait = call − arrival, over every ticket called. An "
          "appointment waits from its slot; a transfer keeps its arrival; a no-show put back in the queue waits "
          "again from then to its last call.")],
        [_("Median wait (min)"), minutes(report.median_wait_s), _("Half of those called waited less.")],
        [_("90th percentile wait (min)"), minutes(report.p90_wait_s),
         _("Nine in ten of those called waited this long or less.")],
        [_("Mean walk-up (min)"), minutes(t.mean_walk_up_s), _("Walk-up = start − call.")],
        [_("Mean service (min)"), minutes(t.mean_service_s), _("Service = done − start.")],
        [_("Mean visit (min)"), minutes(t.mean_visit_s), _("Total visit = done − the ticket's issue.")],
        [_("Service level (%)"), percent(t.service_level),
         _("Share of the served who were called within their service's target wait.")],
        [_("No-show (%)"), percent(t.no_show_rate), _("Called but never came, over arrivals.")],
        [_("Left before being called (%)"), percent(t.cancelled_rate), _("Cancelled while waiting, over arrivals.")],
        [_("Transfers"), t.transferred, _("Tickets sent on to another service.")],
        [_("Priority (%)"), percent(t.priority_share), _("Tickets with a priority, over arrivals.")],
        [_("Green channel (%)"), percent(t.green_channel_share), _("Urgent tickets, over arrivals.")],
        [_("Appointments kept"), report.appointments_kept, _("Appointments of the period checked in.")],
        [_("Appointments missed"), report.appointments_missed,
         _("Appointments of the period not checked in by their slot.")],
    ]
    return Table("report-summary", _("Summary"), [_("Figure"), _("Value"), _("Definition")], rows)


def split(report: Report, by: str, names: Names) -> Table:
    """One row per service, counter, officer, source, priority or day."""
    groups = report.splits[by]
    officers = by == "officer"
    rows = [[_key_name(by, key, names), *_figures(groups[key]), *([_hours(groups[key])] if officers else [])]
            for key in sorted(groups, key=_order)]
    columns = [str(SPLIT_NAMES[by]), _("Tickets issued"), _("Served"), _("Mean wait (min)"), _("Service level (%)"),
               _("No-show (%)"), _("Left before being called (%)"), _("Transfers"), _("Priority (%)"),
               _("Mean walk-up (min)"), _("Mean service (min)"), _("Mean visit (min)"),
               *([_("Signed in but idle (h)")] if officers else [])]
    return Table(f"report-{by}", str(SPLIT_NAMES[by]), columns, rows)


def arrivals(shape: DayShape) -> Table:
    """Arrivals on a mean working day, by weekday and hour."""
    hours = sorted({hour for _day, hour in shape.arrivals})
    rows: list[list[Cell]] = [
        [str(WEEKDAY_NAMES[day]), *(round(shape.arrivals.get((day, hour), 0.0), 1) for hour in hours)]
        for day in sorted({day for day, _hour in shape.arrivals})]
    return Table("report-arrivals", _("Arrivals per hour"), [_("Day"), *(f"{h:02d}:00" for h in hours)], rows)


def waiting(shape: DayShape) -> Table:
    rows: list[list[Cell]] = [[f"{m // 60:02d}:{m % 60:02d}", people] for m, people in shape.waiting.items()]
    return Table("report-waiting", _("People waiting"), [_("Time"), _("People waiting")], rows)


def waits(report: Report) -> Table:
    rows: list[list[Cell]] = [[f"{low}–{high}" if high is not None else f"≥ {low}", count]
                              for low, high, count in wait_bins(report.waits)]
    return Table("report-waits", _("Wait distribution"), [_("Wait (min)"), _("Tickets called")], rows)


def _figures(t: Tally) -> list[Cell]:
    return [t.issued, t.served, minutes(t.mean_wait_s), percent(t.service_level), percent(t.no_show_rate),
            percent(t.cancelled_rate), t.transferred, percent(t.priority_share), minutes(t.mean_walk_up_s),
            minutes(t.mean_service_s), minutes(t.mean_visit_s)]


def _hours(t: Tally) -> float | None:
    """An officer's time signed in but serving nobody, in hours."""
    return None if t.idle_s is None else round(t.idle_s / 3600, 1)


def _key_name(by: str, key: Any, names: Names) -> Cell:
    if key is None:
        return _("None") if by == "priority" else "—"
    if by == "service":
        return names.services.get(key, "—")
    if by == "counter":
        return names.counters.get(key, "—")
    if by == "officer":
        return names.officers.get(key, "—")
    if by == "source":
        return str(SOURCE_NAMES.get(key, key))
    if by == "priority":
        return str(PRIORITY_NAMES.get(key, key))
    return key if isinstance(key, date) else str(key)  # a day stays a date: a spreadsheet sorts it as one


def _order(key: Any) -> tuple[int, Any]:
    """Groups in their natural order, the group without a key (not called, no priority) first."""
    return (0, "") if key is None else (1, key)
