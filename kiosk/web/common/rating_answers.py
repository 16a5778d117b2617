"""What the rating pad, the phone page and the supervisor's desk share about ratings: the office's scale (read
once at start-up), the words for levels, reasons and visits, the details as a form sends them, and refusals."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.blueprints import BlueprintSetupState
from flask_babel import lazy_gettext
from werkzeug.datastructures import MultiDict

from kiosk.domain.ratings import errors
from kiosk.domain.ratings.ratings import Details
from kiosk.domain.ratings.settings import LONGEST_COMMENT, LONGEST_NOTE, RatingSettings
from kiosk.web.common.db import runtime

LEVEL_WORDS = {
    "very_satisfied": lazy_gettext("Very satisfied"),
    "satisfied": lazy_gettext("Satisfied"),
    "fairly_satisfied": lazy_gettext("Fairly satisfied"),
    "not_satisfied": lazy_gettext("Not satisfied"),
    "dissatisfied": lazy_gettext("Dissatisfied"),
    "very_dissatisfied": lazy_gettext("Very dissatisfied"),
}
REASON_WORDS = {
    "long_wait": lazy_gettext("I waited too long"),
    "unclear": lazy_gettext("The guidance was unclear"),
    "attitude": lazy_gettext("The officer's manner"),
    "documents": lazy_gettext("My papers were sent back"),
    "asked_again": lazy_gettext("I was asked for papers again"),
    "slow_service": lazy_gettext("The service at the counter was slow"),
    "facilities": lazy_gettext("The hall (seats, heat, toilets)"),
}
VISIT_WORDS = {"1": lazy_gettext("First time"), "2": lazy_gettext("Second time"),
               "3": lazy_gettext("Third time or more")}
# Each refusal's status and words, for the pad, the phone page and the desk.
REFUSALS: dict[type[errors.RatingError], tuple[int, Any]] = {
    errors.AlreadyRatedError: (409, lazy_gettext("This ticket has already been rated. Thank you.")),
    errors.NotRateableError: (409, lazy_gettext("This ticket cannot be rated now.")),
    errors.UnknownLevelError: (422, lazy_gettext("Please choose one of the faces.")),
    errors.DetailsRefusedError: (409, lazy_gettext("Your answers have already been received.")),
    errors.CaseNotFoundError: (404, lazy_gettext("No such case.")),
    errors.CaseClosedError: (409, lazy_gettext("This case is closed already.")),
    errors.NoPhoneError: (409, lazy_gettext("The citizen left no phone number to call back on.")),
    errors.UnknownAssigneeError: (422, lazy_gettext("Choose a supervisor other than the officer rated.")),
    errors.NoteProblemError: (422, lazy_gettext("Write a few words, at most %(longest)s characters.",
                                                longest=LONGEST_NOTE)),
}
DETAIL_PROBLEMS = {
    "phone": lazy_gettext("Type a Vietnamese phone number: 10 digits starting with 0, for example 0912345678."),
    "comment": lazy_gettext("At most %(longest)s characters, please.", longest=LONGEST_COMMENT),
}


def set_up_ratings(state: BlueprintSetupState) -> None:
    """The [rating] settings, checked when the app starts (a wrong scale fails then, not at the first rating);
    each blueprint that shows ratings sets them up, the first one counts."""
    if "rating" not in state.app.extensions:
        state.app.extensions["rating"] = RatingSettings.from_config(state.app.extensions["kiosk"].config)


def rating_settings() -> RatingSettings:
    found: RatingSettings = current_app.extensions["rating"]
    return found


def details_from(form: MultiDict[str, str]) -> Details:
    return Details(reasons=form.getlist("reason"), visits=form.get("visits", ""), comment=form.get("comment", ""),
                   call_back=form.get("call_back") == "yes", phone=form.get("phone", ""))


def rating_refusal(exc: errors.RatingError) -> tuple[int, str]:
    if isinstance(exc, errors.DetailsProblemError):
        return 422, str(DETAIL_PROBLEMS.get(str(exc), lazy_gettext("Please check your answers.")))
    status, words = REFUSALS.get(type(exc), REFUSALS[errors.NotRateableError])
    return status, str(words)


def rating_words() -> dict[str, Any]:
    """The templates' words for ratings (a context processor of the screens that show them)."""
    return {"level_words": LEVEL_WORDS, "reason_words": REASON_WORDS, "visit_words": VISIT_WORDS,
            "longest_comment": LONGEST_COMMENT, "longest_note": LONGEST_NOTE,
            "retention_days": runtime().config["declarations"]["retention_days"]}
