"""The display's own stream: the whole hall as HTML on every connect, then again after every change.

Each change is rendered once per process and zone and shared by every display streaming it, so fifty
displays cost one database read per call, not fifty.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, g, render_template, url_for
from flask_babel import get_locale

from kiosk.data.models import Office
from kiosk.domain.events.hub import StreamEvent
from kiosk.domain.hall.announcer import Announcer, SingleFlight
from kiosk.domain.hall.board import (
    SETTLING_KINDS,
    SHOWN_KINDS,
    Call,
    DisplaySettings,
    Hall,
    call_from_event,
    device_zone,
    hall_state,
    missed_calls,
    zone_counter_numbers,
)
from kiosk.web.common.db import runtime
from kiosk.web.common.sse import event_stream


@dataclass(frozen=True)
class Display:
    settings: DisplaySettings
    announcer: Announcer
    frames: SingleFlight[tuple[object, ...], str]  # messages shared by the displays of one zone and language
    calls: SingleFlight[tuple[int, int], Call | None]  # (office, event id): fifty displays ask for one call's sound


@dataclass(frozen=True)
class Screen:
    """One display as the stream sees it: its office, zone (and that zone's counters), language."""

    office_id: int
    zone: str | None
    counters: frozenset[int]
    language: str
    office_langs: tuple[str, ...]  # the languages its office announces in


def current_screen() -> Screen:
    with runtime().readonly_sessions() as session:
        zone = device_zone(session, g.device.device_id)
        office = session.get_one(Office, g.device.office_id)
        counters = frozenset(zone_counter_numbers(session, office, zone))
        office_langs = tuple(office.languages)
    return Screen(g.device.office_id, zone, counters, str(get_locale()), office_langs)


def hall_now(screen: Screen) -> Hall:
    rt = runtime()
    with rt.readonly_sessions() as session:
        office = session.get_one(Office, screen.office_id)
        return hall_state(session, office, screen.zone, rt.clock(), _display().settings)


def hall_stream(screen: Screen, resume_after: int | None) -> Iterator[str]:
    rt = runtime()
    cursor = rt.hub.head  # read before the snapshot: whatever comes after is sent again, never lost
    yield _snapshot(screen, cursor, resume_after)
    yield from event_stream(rt.hub, screen.office_id, cursor, lambda batch: _changes(screen, batch),
                            scope=("hall", screen))


def _snapshot(screen: Screen, cursor: int, resume_after: int | None) -> str:
    """The whole hall, and the calls a reconnecting display may have missed (it skips those it announced)."""
    rt, settings = runtime(), _display().settings
    now = rt.clock()
    with rt.readonly_sessions() as session:
        office = session.get_one(Office, screen.office_id)
        hall = hall_state(session, office, screen.zone, now, settings)
        missed = missed_calls(session, office, screen.zone, (resume_after or 0, cursor), now,
                              settings.replay_missed_calls_max_age_s)
    return _calls_message(screen, missed, now) + _hall_message(screen, hall, cursor)


def _changes(screen: Screen, batch: list[StreamEvent]) -> str:
    shown = [event for event in batch if event.kind in SHOWN_KINDS]
    if not shown:
        return ""
    now, frames = runtime().clock(), _display().frames
    calls = [call for e in shown if (call := call_from_event(e.id, e.kind, e.payload, now))]
    calls = [call for call in calls if call.counter in screen.counters]
    settled = [(e.id, str(e.payload.get("number"))) for e in shown if e.kind in SETTLING_KINDS]

    def render_calls() -> str:
        for call in calls:  # once per process: the sound is being made while the displays redraw
            _display().announcer.prepare(call, screen.office_langs)
            _display().calls.get((screen.office_id, call.event_id), functools.partial(_same, call))
        return _calls_message(screen, calls, now, settled)

    ids = (*(call.event_id for call in calls), *(event_id for event_id, _ in settled))
    said = frames.get((screen, "calls", *ids), render_calls) if ids else ""
    hall = frames.get((screen, "hall", batch[-1].id), lambda: _hall_message(screen, hall_now(screen), batch[-1].id))
    return said + hall


def _hall_message(screen: Screen, hall: Hall, event_id: int) -> str:
    html = render_template("display/_hall.html", hall=hall, screen=screen, settings=_display().settings)
    return sse_text("hall", html, event_id)


def _calls_message(screen: Screen, calls: list[Call], now: datetime, settled: Sequence[tuple[int, str]] = ()) -> str:
    """The calls for the audio queue, and the tickets settled since (their calls still waiting are dropped)."""
    if not calls and not settled:
        return ""
    announcer, langs = _display().announcer, screen.office_langs
    html = "".join(
        render_template("display/_announcement.html", call=call, lines=announcer.lines(call, langs),
                        age_s=max(0.0, (now - call.at).total_seconds()),
                        audio_url=url_for("display.call_audio", event_id=call.event_id)
                        if announcer.wav_possible(call, langs) else None)
        for call in calls
    ) + "".join(render_template("display/_settled.html", event_id=event_id, number=number)
                for event_id, number in settled)
    return sse_text("calls", html)


def sse_text(event: str, html: str, event_id: int | None = None) -> str:
    """One SSE message; every line of the HTML becomes a data line (the browser joins them back with newlines)."""
    data = "".join(f"data: {line}\n" for line in html.strip().splitlines())
    return (f"id: {event_id}\n" if event_id is not None else "") + f"event: {event}\n{data}\n"


def _same(call: Call) -> Call | None:
    return call


def _display() -> Display:
    display: Display = current_app.extensions["display"]
    return display
