"""The office's rating scale, the reasons a citizen may tap, and the times the pad and the cases keep."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiosk.config import ConfigError

# Best first. Vietnam's one-stop offices rate on four levels, China's 好差评 on five; "satisfied" is second in both,
# and anything after it opens a complaint case.
SCALES: dict[int, tuple[str, ...]] = {
    4: ("very_satisfied", "satisfied", "not_satisfied", "dissatisfied"),
    5: ("very_satisfied", "satisfied", "fairly_satisfied", "not_satisfied", "very_dissatisfied"),
}
SATISFIED_LEVELS = 2  # the first two of either scale
REASONS = ("long_wait", "unclear", "attitude", "documents", "asked_again", "slow_service", "facilities")
VISITS = (1, 2, 3)  # first time, second time, third time or more
LONGEST_COMMENT = 300  # the citizen's short text; the form's maxlength says the same
LONGEST_NOTE = 1000  # a supervisor's call-back note or outcome


@dataclass(frozen=True)
class RatingSettings:
    levels: tuple[str, ...]
    reasons: tuple[str, ...]
    case_due_working_days: int
    pad_offer_s: int
    pad_thanks_s: int

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> RatingSettings:
        """The [rating] settings, checked at start-up: a scale of 4 or 5, reasons this product can name."""
        rating = config["rating"]
        if rating["levels"] not in SCALES:
            raise ConfigError(f"rating.levels must be 4 or 5, got {rating['levels']!r}")
        unknown = [reason for reason in rating["reasons"] if reason not in REASONS]
        if unknown:
            raise ConfigError(f"rating.reasons: unknown {', '.join(map(str, unknown))}; known: {', '.join(REASONS)}")
        return cls(SCALES[rating["levels"]], tuple(rating["reasons"]), rating["case_due_working_days"],
                   rating["pad_offer_s"], rating["pad_thanks_s"])

    def satisfied(self, level: str) -> bool:
        return self.levels.index(level) < SATISFIED_LEVELS
