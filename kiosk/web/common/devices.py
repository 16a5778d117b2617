"""The device a request comes from: a paired screen (its cookie) or an API client (its bearer token)."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.data.models import Device, DeviceRole


@dataclass(frozen=True)
class Caller:
    device_id: int
    office_id: int
    role: DeviceRole
    counter_number: int | None  # a staff tablet paired to one counter acts only there
    printer_url: str | None

    @classmethod
    def of(cls, device: Device) -> Caller:
        counter = device.counter.number if device.counter else None
        return cls(device.id, device.office_id, device.role, counter, device.printer_url)

    @property
    def actor(self) -> str:
        return f"device:{self.device_id}"

    def works_at(self, number: int) -> bool:
        return self.counter_number in (None, number)
