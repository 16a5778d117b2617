"""Services and counters edited at the desk: checked, and counting at once for the next ticket and call."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kiosk.data.models import Service
from kiosk.domain.office import settings as office_settings
from kiosk.domain.office.accounts import SettingsError
from kiosk.domain.office.settings import CounterForm, ServiceForm
from kiosk.domain.queue import calls
from tests.support.domain import issue


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
