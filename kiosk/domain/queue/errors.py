"""What can go wrong in the queue, as values the web layer turns into translated messages."""

from __future__ import annotations


class QueueError(Exception):
    """Base of every refusal the queue gives; never a bug."""


class UnknownServiceError(QueueError):
    """No active service with that code in this office."""


class OfficeClosedError(QueueError):
    """The office does not issue tickets at this hour."""


class DailyCapError(QueueError):
    """The service has given all the tickets it gives in a day."""


class TicketNotFoundError(QueueError):
    """No such ticket in this office (another office's ticket counts as none)."""


class CounterNotFoundError(QueueError):
    """No such counter in this office."""


class CounterClosedError(QueueError):
    """The counter is paused or closed, so it cannot call."""


class NoCurrentTicketError(QueueError):
    """The counter has nobody at it to act on."""


class WrongStateError(QueueError):
    """The ticket is not in a state that allows the action (someone else acted first)."""


class CounterChangedError(QueueError):
    """The counter's ticket is not the one the officer's screen showed: someone acted meanwhile."""


class RequeueLimitError(QueueError):
    """The ticket has already been put back in the queue as often as the office allows."""


class UnknownCounterStateError(QueueError):
    """A counter is open, paused or closed; nothing else."""


class NoteTooLongError(QueueError):
    """An officer's reason or note is longer than the log keeps."""
