"""Counts and sums of a group of tickets that add up across groups and days; the field's figures are read off
them. The same fields are the columns of a closed day's `report_group` rows."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass
class Tally:
    issued: int = 0
    served: int = 0
    no_show: int = 0
    cancelled: int = 0
    transferred: int = 0
    priority: int = 0
    green_channel: int = 0
    appointments: int = 0
    waits: int = 0
    wait_s: float = 0.0
    served_waits: int = 0
    within_target: int = 0
    walk_ups: int = 0
    walk_up_s: float = 0.0
    services: int = 0
    service_s: float = 0.0
    visits: int = 0
    visit_s: float = 0.0
    signed_in_s: float = 0.0  # an officer's time signed in (their group only)

    def add(self, other: Tally) -> None:
        for name in FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def mean_wait_s(self) -> float | None:
        return _mean(self.wait_s, self.waits)

    @property
    def mean_walk_up_s(self) -> float | None:
        return _mean(self.walk_up_s, self.walk_ups)

    @property
    def mean_service_s(self) -> float | None:
        return _mean(self.service_s, self.services)

    @property
    def mean_visit_s(self) -> float | None:
        return _mean(self.visit_s, self.visits)

    @property
    def service_level(self) -> float | None:
        return _mean(self.within_target, self.served_waits)

    @property
    def no_show_rate(self) -> float | None:
        return _mean(self.no_show, self.issued)

    @property
    def cancelled_rate(self) -> float | None:
        return _mean(self.cancelled, self.issued)

    @property
    def priority_share(self) -> float | None:
        return _mean(self.priority, self.issued)

    @property
    def green_channel_share(self) -> float | None:
        return _mean(self.green_channel, self.issued)

    @property
    def idle_s(self) -> float | None:
        """An officer's time signed in but serving nobody: signed-in time − service time (None: never signed in)."""
        return max(0.0, self.signed_in_s - self.service_s) if self.signed_in_s else None


FIELDS = tuple(each.name for each in fields(Tally))


def _mean(total: float, count: int) -> float | None:
    return total / count if count else None
