"""Draw once, send to all: a stream's message for a batch of events is rendered by the first stream of this
process to wake with that batch, and the same text goes to every other stream that shows the same thing.

A frame is known by what its streams share (`scope`: the API's JSON, a display's zone and language, a console's
counter and language), the office, and the batch (the events after a cursor up to the last one's id): streams of
one scope that saw the same events get the same text, drawn and read from the database once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable

from flask import current_app

from kiosk.domain.events.hub import StreamEvent
from kiosk.domain.hall.announcer import SingleFlight

Render = Callable[[list[StreamEvent]], str]  # a stream's message for a batch of events
Draw = Callable[[int, list[StreamEvent]], str]  # the same, knowing the cursor the batch came after
FrameKey = tuple[Hashable, int, int, int]  # scope, office, cursor, last event id
KEEP = 512  # every scope's latest few batches


class Frames:
    """The latest frames: the first stream to ask draws one while the others of its scope wait for it; once drawn,
    it is a dictionary look-up (2,000 streams ask for it within a few milliseconds)."""

    def __init__(self, keep: int = KEEP) -> None:
        self._drawing: SingleFlight[FrameKey, str] = SingleFlight(keep)
        self._drawn: dict[FrameKey, str] = {}
        self._keep = keep

    def frame(self, key: FrameKey, render: Render, batch: list[StreamEvent]) -> str:
        frame = self._drawn.get(key)
        if frame is None:
            frame = self._drawing.get(key, functools.partial(render, batch))
            if len(self._drawn) >= self._keep:
                self._drawn.clear()  # streams past it wake with the next batch: nothing older is asked again
            self._drawn[key] = frame
        return frame


def drawing(render: Render, scope: Hashable | None, office_id: int) -> Draw:
    """How a stream writes each batch: by itself, or (given a scope) once for every stream of the scope."""
    if scope is None:
        return lambda _cursor, batch: render(batch)
    shared = frames()
    return lambda cursor, batch: shared.frame((scope, office_id, cursor, batch[-1].id), render, batch)


def frames() -> Frames:
    """This process's frames (one per app)."""
    shared: Frames = current_app.extensions.setdefault("stream_frames", Frames())
    return shared
