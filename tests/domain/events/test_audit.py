"""The audit log, filtered by kind, actor and day, and paged back by id."""

from __future__ import annotations

from datetime import timedelta

from kiosk.domain.events import audit
from kiosk.domain.queue import calls
from tests.support.domain import issue


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
