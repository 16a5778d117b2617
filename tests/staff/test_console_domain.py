"""The console's and the desk's domain: stale screens, waiting lists, scanning, declaration openings, priority
decisions, the day's figures, devices, the audit log and settings that count at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from kiosk.data.models import Device, Event, Service
from kiosk.domain.declarations import opening
from kiosk.domain.events import audit
from kiosk.domain.office import day
from kiosk.domain.office import settings as office_settings
from kiosk.domain.office.accounts import SettingsError
from kiosk.domain.office.devices import create_device, mark_seen
from kiosk.domain.office.settings import CounterForm, ServiceForm
from kiosk.domain.queue import at_counter, calls, priority, tickets, waiting_list
from kiosk.domain.queue.errors import CounterChangedError, TicketNotFoundError, WrongStateError
from tests.staff.staff_support import declared_ticket
from tests.test_queue_domain import issue


def test_an_action_on_a_screen_that_is_out_of_date_is_refused(session, office, settings, morning) -> None:
    first = issue(session, office, settings, morning)
    counter = calls.get_counter(session, office, 1)
    at_counter.expect_current(session, counter, None)  # nobody at the counter, as the screen shows
    calls.call_next(session, counter, morning, settings)
    with pytest.raises(CounterChangedError):
        at_counter.expect_current(session, counter, None)  # a second tap of "call next"
    at_counter.expect_current(session, counter, first.id)


def test_the_waiting_list_shows_approved_priority_first_then_arrival(session, office, settings, morning) -> None:
    early = issue(session, office, settings, morning)
    urgent = issue(session, office, settings, morning + timedelta(minutes=1), priority="urgent")
    elderly = issue(session, office, settings, morning + timedelta(minutes=2), priority="elderly")
    issue(session, office, settings, morning, "passport-reissue")
    lines = waiting_list.waiting_at(session, calls.get_counter(session, office, 1), morning + timedelta(minutes=3))
    assert [(line.service.code, line.total) for line in lines] == [("passport-first", 3), ("passport-reissue", 1)]
    assert [t.number for t in lines[0].tickets] == [elderly.number, early.number, urgent.number]


def test_a_scan_finds_the_ticket_by_its_qr_address_or_number(session, office, settings, morning) -> None:
    ticket = issue(session, office, settings, morning)
    url = f"http://office.example/t/{ticket.token}"
    assert tickets.find_scanned(session, office, url + "\n", morning).id == ticket.id
    assert tickets.find_scanned(session, office, " a001 ", morning).id == ticket.id
    with pytest.raises(TicketNotFoundError):
        tickets.find_scanned(session, office, "A999", morning)
    with pytest.raises(TicketNotFoundError):
        tickets.find_scanned(session, office, "A001", morning + timedelta(days=1))  # numbers are per day


def test_opening_a_declaration_is_in_the_audit_log(session, office, config, settings, morning) -> None:
    ticket = declared_ticket(session, office, config, settings, morning)
    declaration = opening.open_declaration(session, ticket, morning, "staff:officer1", 3)
    assert declaration is not None and declaration.fields["surname"] == "NGUYỄN"
    session.commit()
    event = session.scalars(select(Event).where(Event.kind == "declaration.opened")).one()
    assert (event.actor, event.payload["number"], event.payload["counter"]) == ("staff:officer1", ticket.number, 3)
    assert "NGUYỄN" not in str(event.payload)  # the log says who looked, not what they saw
    assert opening.open_declaration(session, issue(session, office, settings, morning), morning, "x", 1) is None


def test_an_approved_priority_goes_first_and_a_refused_one_keeps_its_place(session, office, settings, morning) -> None:
    normal = issue(session, office, settings, morning)
    urgent = issue(session, office, settings, morning + timedelta(minutes=1), priority="urgent")
    other = issue(session, office, settings, morning + timedelta(minutes=2), priority="urgent")
    assert [t.id for t in priority.pending_priorities(session, office, morning)] == [urgent.id, other.id]
    priority.decide_priority(session, office, urgent.id, True, morning, "staff:boss")
    priority.decide_priority(session, office, other.id, False, morning, "staff:boss")
    session.commit()
    assert priority.pending_priorities(session, office, morning) == [] and other.priority is None
    with pytest.raises(WrongStateError):
        priority.decide_priority(session, office, urgent.id, True, morning, "staff:boss")
    now = morning + timedelta(minutes=3)
    order = [calls.call_next(session, calls.get_counter(session, office, n), now, settings) for n in (1, 2, 1)]
    assert [t.id for t in order if t] == [urgent.id, normal.id, other.id]
    kinds = session.scalars(select(Event.kind).where(Event.kind.like("ticket.priority%"))).all()
    assert sorted(kinds) == ["ticket.priority_approved", "ticket.priority_refused"]


def test_the_day_at_a_glance(session, office, settings, morning) -> None:
    for _ in range(3):
        issue(session, office, settings, morning)
    counter = calls.get_counter(session, office, 1)
    calls.call_next(session, counter, morning + timedelta(minutes=10), settings)
    calls.call_next(session, counter, morning + timedelta(minutes=20), settings)
    figures = day.day_figures(session, office, morning + timedelta(minutes=20))
    assert (figures.issued, figures.waiting, figures.at_counters, figures.done) == (3, 1, 1, 1)
    assert figures.average_wait_min == 15.0


def test_a_device_is_connected_while_it_has_been_seen_lately(session, office, morning) -> None:
    display = create_device(session, office, "display", "display-hall", morning).device
    create_device(session, office, "kiosk", "kiosk-lobby", morning)
    mark_seen(session, display.id, morning)
    session.commit()
    session.expire_all()
    states = {s.device.name: s.connected for s in day.device_states(session, office, morning)}
    assert states == {"display-hall": True, "kiosk-lobby": False}
    later = morning + day.CONNECTED_WITHIN + timedelta(seconds=1)
    assert not any(s.connected for s in day.device_states(session, office, later))
    assert session.get_one(Device, display.id).last_seen_at == morning


def test_the_audit_log_filters_by_kind_actor_and_day(session, office, settings, morning) -> None:
    issue(session, office, settings, morning, actor="device:1")
    issue(session, office, settings, morning + timedelta(days=1), actor="device:2")
    calls.set_counter_state(session, calls.get_counter(session, office, 1), "paused", morning, "staff:officer1")
    session.commit()
    log = audit.audit_log
    assert [e.kind for e in log(session, office, audit.AuditFilter(actor="officer1"))] == ["counter.state"]
    assert len(log(session, office, audit.AuditFilter(kind="ticket.issued"))) == 2
    today = log(session, office, audit.AuditFilter(day=morning.date()))
    assert {e.actor for e in today} == {"device:1", "staff:officer1"}
    newest = log(session, office, audit.AuditFilter())[0]
    assert all(e.id < newest.id for e in log(session, office, audit.AuditFilter(before_id=newest.id)))


def test_services_and_counters_are_checked_and_count_at_once(session, office, settings, morning) -> None:
    with pytest.raises(SettingsError) as refused:
        office_settings.save_service(session, office, None, ServiceForm("Bad code", "A", {}), morning, "x")
    assert set(refused.value.problems) == {"code", "prefix", "name_vi"}
    service = office_settings.save_service(
        session, office, None, ServiceForm("apec", "G", {"vi": "Thẻ ABTC", "en": "APEC card"}, "50"), morning, "x")
    session.commit()
    counter = calls.get_counter(session, office, 1)
    with pytest.raises(SettingsError) as refused:
        office_settings.save_counter(session, office, counter.id, CounterForm("2", "", {service.id: "11"}), morning,
                                     "x")
    assert set(refused.value.problems) == {"number", "zone", f"weight_{service.id}"}
    session.rollback()
    office_settings.save_counter(session, office, counter.id, CounterForm("1", "hall", {service.id: "1,5"}), morning,
                                 "x")
    session.commit()
    ticket = issue(session, office, settings, morning, "apec")
    assert ticket.number == "G001" and service.daily_cap == 50
    assert calls.call_next(session, calls.get_counter(session, office, 1), morning, settings).id == ticket.id
    assert [cs.weight for cs in counter.services] == [1.5]
    assert session.scalars(select(Service.code).where(Service.prefix == "G")).one() == "apec"
