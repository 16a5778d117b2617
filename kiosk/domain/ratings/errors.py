"""Why a rating or a case step was refused, as values the web layer says in the reader's language."""

from __future__ import annotations


class RatingError(Exception):
    """Base of every refusal about ratings and cases; never a bug."""


class NotRateableError(RatingError):
    """The ticket is not done, its day is over, or (on a pad) it is no longer the one the pad offers."""


class AlreadyRatedError(RatingError):
    """A ticket is rated once; the rating is final."""


class UnknownLevelError(RatingError):
    """A level that is not on the office's scale."""


class DetailsRefusedError(RatingError):
    """The rating's details were given already, or its day is over."""


class DetailsProblemError(RatingError):
    """One of the details is not acceptable; the error's text names the field (phone, comment, visits, reasons)."""


class CaseNotFoundError(RatingError):
    """No such case in this office (or one about the viewer's own service, which they may not see)."""


class CaseClosedError(RatingError):
    """The case is closed; its outcome stands."""


class NoPhoneError(RatingError):
    """The citizen left no number to be called back on."""


class UnknownAssigneeError(RatingError):
    """Cases go to an active supervisor of the office, never to the officer rated."""


class NoteProblemError(RatingError):
    """A call-back note or an outcome must be written, within LONGEST_NOTE characters."""
