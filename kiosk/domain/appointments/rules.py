"""The office's booking rules (`[appointments]` in the config), read once at start-up and handed to the rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

LateRule = Literal["walk_in", "refuse"]


@dataclass(frozen=True)
class BookingRules:
    early: timedelta  # check-in opens this long before the slot
    late: timedelta  # and closes this long after it began
    late_rule: LateRule
    slot_min: int
    places: int
    walk_in_share: float
    horizon_days: int
    per_phone_per_day: int
    per_address_per_day: int
    calendar: dict[str, dict[str, Any]] = field(default_factory=dict)  # per service code, from the office file
    closed_days: frozenset[date] = frozenset()

    @classmethod
    def from_config(cls, section: dict[str, Any]) -> BookingRules:
        late_rule = section["late_rule"]
        if late_rule not in ("walk_in", "refuse"):
            raise ValueError(f"appointments.late_rule must be walk_in or refuse, got {late_rule!r}")
        return cls(
            early=timedelta(minutes=section["check_in_early_min"]),
            late=timedelta(minutes=section["check_in_late_min"]),
            late_rule=late_rule,
            slot_min=section["slot_min"],
            places=section["places"],
            walk_in_share=float(section["walk_in_share"]),
            horizon_days=section["horizon_days"],
            per_phone_per_day=section["per_phone_per_day"],
            per_address_per_day=section["per_address_per_day"],
            calendar=dict(section["calendar"]),
            closed_days=frozenset(date.fromisoformat(day) for day in section["closed_days"]),
        )
