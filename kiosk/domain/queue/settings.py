"""The office's queue settings (`[queue]` in the config), read once at start-up and handed to the rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from kiosk.domain.queue.call_policy import CallPolicy


@dataclass(frozen=True)
class QueueSettings:
    call: CallPolicy
    auto_approved: frozenset[str]
    max_requeues: int
    estimate_sample: int  # finished tickets whose service time makes the estimate
    default_service_s: int  # the service time assumed before any ticket of the service is done

    @classmethod
    def from_config(cls, queue: dict[str, Any]) -> QueueSettings:
        return cls(
            call=CallPolicy(queue["priority_ratio"], timedelta(minutes=queue["max_normal_wait_min"])),
            auto_approved=frozenset(queue["auto_approved_priorities"]),
            max_requeues=queue["max_requeues"],
            estimate_sample=queue["estimate_sample"],
            default_service_s=queue["default_service_min"] * 60,
        )
