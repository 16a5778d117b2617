"""The audit log's words: every kind of event the office records has a name and a sentence in vi, en and zh, with
none of the payload's keys left in it; a kind the desk does not know still shows its details."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy.orm import Session

from kiosk.data.models import Event, Office
from kiosk.domain.events.audit import audit_names
from kiosk.web.admin.audit_wording import KIND_NAMES, SENTENCES, details, kind_choices, what_happened, who

# An event's kind is written `area.what` ("ticket.called"); a model's key ("ticket.id") is not one.
KIND_IN_SOURCE = re.compile(r'"([a-z]+\.[a-z_]+)"')
TICKET = {"ticket_id": 7, "number": "A001", "service": "passport-first", "status": "waiting", "counter": 2,
          "priority": False, "language": "en", "recall_count": 1}
BOOKING = {"appointment_id": 5, "service": "passport-first", "slot": "2026-11-24T02:00:00+00:00", "status": "booked"}
SAMPLES: dict[str, dict[str, Any]] = {
    "ticket.issued": {**TICKET, "counter": None, "priority": True},
    "ticket.called": {**TICKET, "out_of_order": True, "reason": "Appointment"},
    "ticket.recalled": TICKET,
    "ticket.serving": TICKET,
    "ticket.done": TICKET,
    "ticket.no_show": TICKET,
    "ticket.requeued": {**TICKET, "counter": None},
    "ticket.transferred": {**TICKET, "service": "passport-lost", "from_counter": 2, "note": ""},
    "ticket.cancelled": TICKET,
    "ticket.priority_approved": {**TICKET, "asked": "urgent"},
    "ticket.priority_refused": {**TICKET, "asked": "elderly"},
    "counter.state": {"counter": 3, "state": "paused"},
    "counter.saved": {"counter": 3, "zone": "hall", "services": []},  # filled with real ids below
    "service.saved": {"service": "foreigners", "prefix": "F", "active": False, "daily_cap": None},
    "staff.login": {"username": "officer1", "address": "10.0.0.7", "role": "officer"},
    "staff.login_failed": {"username": "officer9", "address": "10.0.0.7"},
    "staff.logout": {"username": "officer1"},
    "staff.account": {"username": "officer2", "role": "officer", "active": True, "password_changed": True},
    "device.revoked": {"device_id": 1, "name": "kiosk-lobby", "role": "kiosk"},
    "database.restored": {"backup": "office-2026-11-22.sqlite3"},
    "print.status": {"job_id": 1, "ticket_id": 7, "number": "A001", "print_status": "pending", "attempts": 2,
                     "error": None, "device_id": 1, "printer_state": "offline", "printer_detail": None},
    "printer.state": {"device_id": 1, "state": "paper_out", "detail": None},
    "print.expired": {"count": 1},
    "declaration.opened": {"declaration_id": 3, "ticket_id": 7, "number": "A001", "counter": 2},
    "checkin.refused": {"reason": "not_today"},
    "rating.given": {"rating_id": 4, "source": "pad"},
    "rating.details": {"rating_id": 4},
    "case.opened": {"case_id": 2, "due_at": "2026-11-24T09:00:00+00:00"},
    "case.assigned": {"case_id": 2, "assignee": "head"},
    "case.called_back": {"case_id": 2},
    "case.closed": {"case_id": 2, "late": True},
    "appointment.booked": BOOKING,
    "appointment.cancelled": BOOKING,
    "appointment.no_show": BOOKING,
    "appointment.holder_checked": {"ticket_id": 7, "number": "A001", "matches": False},
    "calendar.changed": {"service": "passport-first", "kept": 2},
    "calendar.day": {"day": "2027-02-10", "kind": "closed", "kept": 0},
    "calendar.day_removed": {"day": "2027-02-10", "kind": "extra"},
}


def recorded_kinds() -> set[str]:
    """Every kind the domain and the runtime write, read from the source of the modules that write events."""
    sources = [path.read_text() for path in [*Path("kiosk/domain").rglob("*.py"), *Path("kiosk/runtime").rglob("*.py")]]
    writers = [text for text in sources if "record_event(" in text or "Event(id=" in text]
    return {kind for text in writers for kind in KIND_IN_SOURCE.findall(text) if not kind.endswith(".id")}


def test_every_kind_the_office_records_has_a_name_and_a_sentence() -> None:
    assert recorded_kinds() - KIND_NAMES.keys() == set()
    assert KIND_NAMES.keys() == SENTENCES.keys() == SAMPLES.keys()


@pytest.mark.parametrize("language", ["vi", "en", "zh"])
def test_each_event_is_a_sentence_in_the_desks_language(app: Flask, session: Session, office: Office,
                                                        language: str) -> None:
    names = audit_names(session, office)
    samples = {**SAMPLES, "counter.saved": {**SAMPLES["counter.saved"], "services": sorted(names.service_codes)}}
    with app.test_request_context(), force_locale(language):
        said = {kind: what_happened(Event(kind=kind, payload=payload), names) for kind, payload in samples.items()}
        choices = kind_choices(list(SAMPLES))
        unknown = what_happened(Event(kind="hall.moved", payload={"zone": "upstairs"}), names)
        someone = who("device:999", names), who(None, names)
    keys = {key for payload in samples.values() for key in payload if "_" in key}
    assert [kind for kind, words in said.items() if words == details(samples[kind])] == []  # no fallback
    assert [words for words in said.values() if any(key in words for key in keys)] == []
    stop = "。" if language == "zh" else "."
    assert [words for words in said.values() if not words.endswith(stop)] == []
    assert all("." not in name for _kind, name in choices)
    assert unknown == "zone upstairs" and someone[0] == "999"
