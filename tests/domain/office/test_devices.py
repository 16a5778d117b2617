"""Revoking a device: every device in use under the name stops, each revocation is in the log, and a stream that
holds the device open can tell from its events alone."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.data.models import Event, Office
from kiosk.domain.events.hub import StreamEvent
from kiosk.domain.office.devices import (
    DeviceNotFoundError,
    create_device,
    device_for_token,
    devices_in_use,
    mark_seen,
    revoke,
    revoked_in,
)


def test_revoking_stops_every_device_of_that_name(session: Session, office: Office, morning: datetime) -> None:
    old = create_device(session, office, "kiosk", "kiosk-lobby", morning)
    new = create_device(session, office, "kiosk", "kiosk-lobby", morning)  # a second token made for the same place
    display = create_device(session, office, "display", "display-hall", morning)

    revoked = revoke(session, office, "kiosk-lobby", morning, "staff:boss")
    assert [device.id for device in revoked] == [old.device.id, new.device.id]
    assert device_for_token(session, old.token) is None and device_for_token(session, new.token) is None
    assert [device.name for device in devices_in_use(session, office)] == ["display-hall"]
    assert mark_seen(session, [old.device.id, display.device.id], morning) == {display.device.id}
    logged = session.scalars(select(Event).where(Event.kind == "device.revoked").order_by(Event.id)).all()
    assert [(e.actor, e.payload["device_id"]) for e in logged] == [("staff:boss", old.device.id),
                                                                     ("staff:boss", new.device.id)]
    with pytest.raises(DeviceNotFoundError):
        revoke(session, office, "kiosk-lobby", morning, "staff:boss")  # once is enough
    with pytest.raises(DeviceNotFoundError):
        revoke(session, office, "kiosk-attic", morning, "staff:boss")


def test_a_stream_learns_of_its_device_s_revocation_from_its_events() -> None:
    batch = [StreamEvent(7, 1, "ticket.issued", {"number": "A001"}),
             StreamEvent(8, 1, "device.revoked", {"device_id": 3, "name": "display-hall", "role": "display"})]
    assert revoked_in(batch, 3) and not revoked_in(batch, 4) and not revoked_in(batch[:1], 3)
