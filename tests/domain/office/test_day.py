"""The desk's day at a glance: figures of the day, and which devices are connected."""

from __future__ import annotations

from datetime import timedelta

from kiosk.data.models import Device
from kiosk.domain.office import day
from kiosk.domain.office.devices import create_device, mark_seen
from kiosk.domain.queue import calls
from tests.support.domain import issue


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
    mark_seen(session, [display.id], morning)
    session.commit()
    session.expire_all()
    states = {s.device.name: s.connected for s in day.device_states(session, office, morning)}
    assert states == {"display-hall": True, "kiosk-lobby": False}
    later = morning + day.CONNECTED_WITHIN + timedelta(seconds=1)
    assert not any(s.connected for s in day.device_states(session, office, later))
    assert session.get_one(Device, display.id).last_seen_at == morning
