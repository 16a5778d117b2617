"""Printer URLs, DLE EOT decoding, and each transport against something real: a socket, a file, a folder."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from PIL import Image

from printers import PrinterError, PrinterUrlError, open_printer, parse_url
from printers.spooler import print_ticket
from printers.status import decode_status
from printers.transports import CupsTransport, Payload
from tests.support.escpos_test_printer import EscposTestPrinter

JOB = Payload(b"\x1b@" + b"x" * 10_000 + b"\x1dV\x00", "job-1")


@pytest.mark.parametrize(
    ("url", "kind", "target", "options"),
    [
        ("tcp://192.168.1.50:9100", "tcp", "192.168.1.50:9100", {}),
        ("tcp://printer.local", "tcp", "printer.local:9100", {}),
        ("usb://04b8:0202", "usb", "04b8:0202", {}),
        ("usb://04B8:0E15?in_ep=0x81&out_ep=0x02", "usb", "04b8:0e15", {"in_ep": "0x81", "out_ep": "0x02"}),
        ("serial:///dev/ttyUSB0?baudrate=115200", "serial", "/dev/ttyUSB0", {"baudrate": "115200"}),
        ("file:///dev/usb/lp0", "file", "/dev/usb/lp0", {}),
        ("cups://TM-T20", "cups", "TM-T20", {}),
        ("preview", "preview", "", {}),
        ("tcp://192.168.1.51?status=off", "tcp", "192.168.1.51:9100", {"status": "off"}),
    ],
)
def test_printer_urls(url: str, kind: str, target: str, options: dict[str, str]) -> None:
    parsed = parse_url(url)
    assert (parsed.kind, parsed.target, parsed.options) == (kind, target, options)


@pytest.mark.parametrize("url", ["", "tcp://", "usb://4b8:202", "usb://epson", "serial://host/x", "lpt1", "cups://"])
def test_bad_printer_urls_say_what_is_accepted(url: str) -> None:
    with pytest.raises(PrinterUrlError, match="tcp://host:9100"):
        parse_url(url)


def test_a_printer_either_answers_its_status_or_says_it_does_not() -> None:
    with pytest.raises(PrinterUrlError, match="status must be on or off"):
        parse_url("tcp://192.168.1.50?status=maybe")


@pytest.mark.parametrize(
    ("answer", "state"),
    [
        (b"\x12\x12\x12", "ok"),
        (b"\x1a\x32\x72", "paper_out"),
        (b"\x1a\x16\x12", "cover_open"),
        (b"\x1a\x12\x12", "offline"),
        (b"\x12\x52\x12", "offline"),
        (b"\x12", "unknown"),
        (b"", "unknown"),
    ],
)
def test_dle_eot_answers(answer: bytes, state: str) -> None:
    assert decode_status(answer).state == state
    assert decode_status(b"\x12\x12\x1e").detail == "paper low"


def test_a_tcp_printer_is_checked_before_and_after_the_job() -> None:
    printer = EscposTestPrinter().start()
    try:
        assert print_ticket(open_printer(printer.url, folder=Path(), timeout_s=2), JOB).printer.state == "ok"
        assert printer.wait_for_jobs(1)[0].cut
        printer.mode = "paper_out"
        with pytest.raises(PrinterError) as failed:
            print_ticket(open_printer(printer.url, folder=Path(), timeout_s=2), JOB)
        assert failed.value.state == "paper_out" and len(printer.jobs) == 1  # nothing fed into an empty printer
    finally:
        printer.stop()


@pytest.mark.parametrize("mode", ["offline", "stall", "reset", "deaf", "hang"])
def test_a_broken_tcp_printer_fails_within_the_timeout(mode: str) -> None:
    printer = EscposTestPrinter(mode=mode).start()
    started = time.monotonic()
    try:
        with pytest.raises(PrinterError) as failed:
            print_ticket(open_printer(printer.url, folder=Path(), timeout_s=0.5), JOB)
    finally:
        printer.stop()
    assert failed.value.state == "offline"
    assert time.monotonic() - started < 1.5


def test_a_silent_printer_that_is_said_not_to_answer_gets_the_job() -> None:
    printer = EscposTestPrinter(mode="deaf").start()
    try:
        with pytest.raises(PrinterError, match="took"):  # it reads nothing: the job is cut off, not "printed"
            print_ticket(open_printer(f"{printer.url}?status=off", folder=Path(), timeout_s=0.5), JOB)
        printer.mode = "normal"
        printed = print_ticket(open_printer(f"{printer.url}?status=off", folder=Path(), timeout_s=2), JOB)
    finally:
        printer.stop()
    assert printed.status == "printed" and printer.wait_for_jobs(1)[0].cut


def test_a_device_file_gets_the_bytes_and_reports_no_status(tmp_path: Path) -> None:
    device = tmp_path / "lp0"
    device.touch()
    assert print_ticket(open_printer(f"file://{device}", folder=tmp_path, timeout_s=1), JOB).printer.state == "unknown"
    assert device.read_bytes() == JOB.data
    with pytest.raises(PrinterError, match="cannot open"):
        print_ticket(open_printer(f"file://{tmp_path}/missing/lp0", folder=tmp_path, timeout_s=1), JOB)


def test_preview_writes_the_bytes_and_the_picture(tmp_path: Path) -> None:
    picture = io.BytesIO()
    Image.new("1", (576, 10), 1).save(picture, "PNG")
    payload = Payload(JOB.data, "job-7", picture.getvalue())
    preview = open_printer("preview", folder=tmp_path / "printouts", timeout_s=1)
    assert print_ticket(preview, payload).printer.state == "ok"
    assert (tmp_path / "printouts" / "job-7.bin").read_bytes() == JOB.data
    assert Image.open(tmp_path / "printouts" / "job-7.png").size == (576, 10)


def test_cups_without_lp_is_a_clear_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(PrinterError, match="cups-client"):
        CupsTransport("TM-T20", 1).send(JOB)


def test_usb_and_serial_printers_that_are_not_there_fail_cleanly() -> None:
    for url in ("usb://04b8:0202", "serial:///dev/ttyNOPE0?baudrate=115200"):
        with pytest.raises(PrinterError) as failed:
            print_ticket(open_printer(url, folder=Path(), timeout_s=1), JOB)
        assert failed.value.state == "offline"
