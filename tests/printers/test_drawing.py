"""Tickets drawn by the worker's child process: the same paper as drawn in place, and a child that dies, hangs or
fails on one ticket never stops the tickets after it."""

from __future__ import annotations

import io
import os
import signal
from collections.abc import Iterator
from dataclasses import replace

import pytest
from PIL import Image

from printers.drawing import DrawingError, DrawingProcess
from printers.spooler import SpoolSettings, draw_ticket
from tests.support.escpos_decode import decode
from tests.support.ticket_samples import FONT, SAMPLES

SETTINGS = SpoolSettings(width=576, font_path=FONT)


@pytest.fixture
def drawing() -> Iterator[DrawingProcess]:
    process = DrawingProcess(timeout_s=2.0)
    yield process
    process.stop()


def child_pid(drawing: DrawingProcess) -> int:
    assert drawing.pid is not None
    return drawing.pid


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_the_child_draws_the_same_paper_as_the_worker_would(drawing: DrawingProcess, lang: str) -> None:
    picture, data = drawing(SAMPLES[lang], SETTINGS)
    here_picture, here_data = draw_ticket(SAMPLES[lang], SETTINGS)
    assert child_pid(drawing) != os.getpid()
    image, here_image = Image.open(io.BytesIO(picture)), Image.open(io.BytesIO(here_picture))
    assert (image.mode, image.size, image.tobytes()) == (here_image.mode, here_image.size, here_image.tobytes())
    assert data == here_data
    assert decode(data, 576).cut


def test_a_child_that_died_is_replaced_for_the_next_ticket(drawing: DrawingProcess) -> None:
    drawing(SAMPLES["vi"], SETTINGS)
    first = child_pid(drawing)
    os.kill(first, signal.SIGKILL)
    _, data = drawing(SAMPLES["vi"], SETTINGS)
    assert child_pid(drawing) != first and decode(data, 576).cut


def test_a_hung_child_is_a_drawing_error_and_the_next_ticket_gets_a_new_one(drawing: DrawingProcess) -> None:
    drawing(SAMPLES["vi"], SETTINGS)
    hung = child_pid(drawing)
    os.kill(hung, signal.SIGSTOP)
    with pytest.raises(DrawingError, match="no answer in 2 s"):
        drawing(SAMPLES["vi"], SETTINGS)
    _, data = drawing(SAMPLES["vi"], SETTINGS)
    assert child_pid(drawing) != hung and decode(data, 576).cut


def test_a_ticket_the_child_cannot_draw_is_an_error_and_the_child_goes_on(drawing: DrawingProcess) -> None:
    drawing(SAMPLES["vi"], SETTINGS)
    child = child_pid(drawing)
    with pytest.raises(DrawingError, match="no-such-font.ttf"):
        drawing(SAMPLES["vi"], replace(SETTINGS, font_path="/nowhere/no-such-font.ttf"))
    _, data = drawing(SAMPLES["vi"], SETTINGS)
    assert child_pid(drawing) == child and decode(data, 576).cut
