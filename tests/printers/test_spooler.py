"""The spooler over an in-memory job store: retries with back-off until the printer is back, outcomes stored,
nothing lost."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image

import printers.escpos_job
import printers.spooler
from printers import Spooler, SpoolSettings, render_ticket
from printers.status import PrinterStatus
from printers.transports import Payload
from tests.support.escpos_decode import decode
from tests.support.escpos_test_printer import EscposTestPrinter
from tests.support.job_store import START, MemoryStore
from tests.support.ticket_samples import FONT, contains_rows


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def spooler(store: MemoryStore, clock: Clock, tmp_path: Path) -> Spooler:
    settings = SpoolSettings(width=576, font_path=FONT, timeout_s=0.5, retry_after_s=(5, 30), folder=tmp_path)
    return Spooler(store, settings, clock)


def test_a_job_is_printed_once_and_marked_printed(tmp_path: Path) -> None:
    printer = EscposTestPrinter().start()
    store, clock = MemoryStore(printer.url), Clock()
    store.add(1)
    try:
        assert spooler(store, clock, tmp_path).run_once()
        assert printer.wait_for_jobs(1)[0].cut
    finally:
        printer.stop()
    assert store.jobs[1]["status"] == "printed" and store.outcomes[0].printer == PrinterStatus("ok")


def test_a_printer_out_of_paper_is_tried_again_with_growing_waits_and_never_given_up(tmp_path: Path) -> None:
    printer = EscposTestPrinter(mode="paper_out").start()
    store, clock = MemoryStore(printer.url), Clock()
    store.add(1)
    spool = spooler(store, clock, tmp_path)
    waits = []
    try:
        for _ in range(4):
            outcome = spool.run_once()
            assert outcome is not None and outcome.retry_at is not None
            waits.append((outcome.retry_at - clock.now).total_seconds())
            assert spool.run_once() is None  # not due yet
            clock.now = outcome.retry_at
    finally:
        printer.stop()
    assert waits == [5, 30, 30, 30]  # the last delay repeats: the ticket waits for its printer
    assert store.jobs[1]["status"] == "pending" and store.jobs[1]["attempts"] == 4
    assert store.jobs[1]["error"] == "out of paper" and store.outcomes[-1].printer.state == "paper_out"
    assert printer.jobs == []  # never fed into a printer without paper


def test_a_retry_after_the_printer_is_back_prints_the_job(tmp_path: Path) -> None:
    printer = EscposTestPrinter(mode="offline").start()
    store, clock = MemoryStore(printer.url), Clock()
    store.add(1)
    spool = spooler(store, clock, tmp_path)
    try:
        spool.run_once()
        assert store.outcomes[-1].printer.state == "offline"
        printer.mode = "normal"
        clock.now += timedelta(seconds=5)
        spool.run_once()
        assert printer.wait_for_jobs(1)
    finally:
        printer.stop()
    assert store.jobs[1]["status"] == "printed"


def test_a_crash_while_printing_costs_one_attempt_not_the_thread(tmp_path: Path) -> None:
    def broken(url: str, settings: SpoolSettings) -> object:
        raise RuntimeError("bug")

    store, clock = MemoryStore("tcp://127.0.0.1:1"), Clock()
    store.add(1)
    spool = Spooler(store, SpoolSettings(width=576, font_path=FONT, retry_after_s=(5,)), clock, broken)  # type: ignore[arg-type]
    assert spool.run_once()
    assert store.jobs[1]["status"] == "pending" and "bug" in str(store.jobs[1]["error"])


def test_the_thread_prints_as_soon_as_it_is_poked(tmp_path: Path) -> None:
    sent: list[Payload] = []

    class Recorder:
        def open(self) -> None: ...
        def status(self) -> PrinterStatus:
            return PrinterStatus("ok")
        def send(self, payload: Payload) -> None:
            sent.append(payload)
        def close(self) -> None: ...

    store, clock = MemoryStore("preview"), Clock()
    settings = SpoolSettings(width=576, font_path=FONT, poll_s=30, folder=tmp_path)
    spool = Spooler(store, settings, clock, lambda url, s: Recorder())
    spool.start()
    try:
        store.add(1)
        spool.poke()
        deadline = datetime.now() + timedelta(seconds=5)
        while not sent and datetime.now() < deadline:
            time.sleep(0.01)
    finally:
        spool.stop()
    assert len(sent) == 1 and sent[0].name.endswith("C012")


def test_an_image_job_draws_the_ticket_once_and_previews_what_it_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[str] = []

    def counted(*args: object) -> object:
        drawn.append("ticket")
        return render_ticket(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(printers.spooler, "render_ticket", counted)
    monkeypatch.setattr(printers.escpos_job, "render_ticket", counted)
    store, clock = MemoryStore("preview"), Clock()
    store.add(1)
    assert spooler(store, clock, tmp_path).run_once()
    assert store.jobs[1]["status"] == "printed" and drawn == ["ticket"]
    [job] = [path.name for path in tmp_path.glob("*.bin")]
    preview = tmp_path / job.replace(".bin", ".png")
    assert contains_rows(decode((tmp_path / job).read_bytes(), 576).image, Image.open(preview).convert("1"))
