"""The ticket image and its ESC/POS bytes: size, length, QR, fragments, both modes."""

from __future__ import annotations

import dataclasses

import pytest

from printers import build_job, printer_profile, render_ticket
from printers.escpos_job import MAX_FRAGMENT_BYTES, ProfileError
from printers.ticket import number_band
from tests.support.escpos_decode import decode, read_qr
from tests.support.ticket_samples import FONT, SAMPLES, URL, contains_rows, save_artifact


@pytest.mark.parametrize("language", ["vi", "zh", "en"])
def test_the_ticket_is_one_short_1bit_image_with_a_readable_qr(language: str) -> None:
    image = render_ticket(SAMPLES[language], 576, FONT)
    save_artifact(image, f"rendered-{language}")
    assert image.mode == "1" and image.width == 576
    assert image.height <= 71 * 8  # about 70 mm at 8 dots per mm
    assert read_qr(image) == [URL]
    assert contains_rows(image, number_band(SAMPLES[language].number, 576, FONT))


@pytest.mark.parametrize("width", [576, 512, 384])
def test_every_paper_width_keeps_the_number_and_the_qr(width: int) -> None:
    image = render_ticket(SAMPLES["en"], width, FONT)
    assert image.width == width
    assert read_qr(image) == [URL]
    band = number_band("B1000", width, FONT)
    assert band.getbbox() is not None and contains_rows(image, band)


def test_the_image_job_is_under_40_kb_in_fragments_under_64_kib_and_cut() -> None:
    data = build_job(SAMPLES["vi"], width=576, font_path=FONT, profile=printer_profile("default", 576))
    assert len(data) <= 40 * 1024
    receipt = decode(data, 576)
    assert receipt.cut and receipt.rasters >= 1
    assert all(len(block) <= MAX_FRAGMENT_BYTES for block in data.split(b"\x1dv0")[1:])
    assert read_qr(receipt.image) == [URL]


def test_a_tall_image_goes_in_several_fragments_without_black_padding() -> None:
    from PIL import Image

    from printers.escpos_job import image_job

    tall = Image.new("1", (576, 2000), 1)  # 144 KB of white: python-escpos' center=True would pad it black
    receipt = decode(image_job(tall, printer_profile("default", 576)), 576)
    assert receipt.rasters == 4
    assert receipt.image.convert("L").getextrema() == (255, 255)


@pytest.mark.parametrize("language", ["vi", "zh", "en"])
def test_compact_mode_sends_number_and_qr_natively_under_16_kb(language: str) -> None:
    ticket = SAMPLES[language]
    data = build_job(ticket, width=576, font_path=FONT, profile=printer_profile("TM-T20II", 576), mode="compact")
    assert len(data) <= 16 * 1024
    receipt = decode(data, 576)
    save_artifact(receipt.image, f"compact-{language}")
    assert ticket.number in receipt.texts
    assert receipt.qr_payloads == [URL] and receipt.qr_levels == [49]  # error correction M
    assert read_qr(receipt.image) == [URL]


def test_compact_mode_sends_the_layout_s_lines_in_its_order_and_no_rule() -> None:
    ticket = dataclasses.replace(SAMPLES["en"], priority_label="Priority: elderly", footer="Hotline: 0238 3844 222",
                                 vietnamese_line=None)  # all ASCII: every line goes as native text
    data = build_job(ticket, width=576, font_path=FONT, profile=printer_profile("TM-T20II", 576), mode="compact")
    receipt = decode(data, 576)
    expected = [ticket.office_name, ticket.service_name, ticket.number, ticket.priority_label, ticket.issued_at,
                ticket.ahead_line, ticket.wait_line, ticket.citizen_line, ticket.footer]
    assert " ".join(receipt.texts) == " ".join(str(text) for text in expected)
    assert receipt.rasters == 0 and receipt.qr_payloads == [URL]


def test_compact_mode_falls_back_to_the_image_without_native_qr() -> None:
    profile = printer_profile("simple", 384)
    data = build_job(SAMPLES["en"], width=384, font_path=FONT, profile=profile, mode="compact")
    assert decode(data, 384).qr_payloads == []


def test_paper_wider_than_the_profile_prints_is_refused() -> None:
    with pytest.raises(ProfileError, match="512"):
        printer_profile("TM-T88V", 576)
    with pytest.raises(ProfileError, match="unknown printer profile"):
        printer_profile("no-such-printer", 576)
