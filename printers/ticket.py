"""The ticket as one 1-bit image: every script drawn by our font, so no printer code page can garble it."""

from __future__ import annotations

from dataclasses import dataclass

import qrcode
from PIL import Image, ImageDraw

from printers.fonts import FreeType, font

BASE_WIDTH = 576  # 80 mm paper at 203 dpi; 512 and 384 scale every size down
MARGIN = 12
INK_THRESHOLD = 150  # grey below this becomes a black dot: strokes stay solid without anti-alias fringes


@dataclass(frozen=True)
class TicketPrint:
    """Everything printed on one ticket, already translated; nothing personal."""

    office_name: str
    service_name: str
    number: str
    issued_at: str
    ahead_line: str
    wait_line: str
    qr_url: str
    priority_label: str | None
    citizen_line: str
    vietnamese_line: str | None
    footer: str | None = None


def render_ticket(ticket: TicketPrint, width: int, font_path: str) -> Image.Image:
    """The whole ticket (about 70 mm on 80 mm paper) as a 1-bit image `width` dots wide."""
    return stack(ticket_bands(ticket, width, font_path), width)


def ticket_bands(ticket: TicketPrint, width: int, font_path: str) -> list[Image.Image]:
    """The ticket's bands top to bottom; the compact job sends some of them natively instead."""
    s = width / BASE_WIDTH
    bands = [
        text_band(ticket.office_name, width, font(font_path, px(22, s), bold=True), lines=2),
        text_band(ticket.service_name, width, font(font_path, px(24, s)), lines=2),
        rule(width, s),
        number_band(ticket.number, width, font_path),
    ]
    if ticket.priority_label:
        bands.append(text_band(ticket.priority_label, width, font(font_path, px(24, s), bold=True), invert=True))
    bands.append(qr_block(ticket, width, font_path))
    small = font(font_path, px(20, s))
    bands.append(text_band(ticket.citizen_line, width, small, lines=2))
    if ticket.vietnamese_line:
        bands.append(text_band(ticket.vietnamese_line, width, small, lines=2))
    if ticket.footer:
        bands.append(text_band(ticket.footer, width, font(font_path, px(18, s)), lines=1))
    return bands


def number_band(number: str, width: int, font_path: str) -> Image.Image:
    """The number as big as fits (about 14 mm tall): it is read at arm's length and from a seat."""
    s = width / BASE_WIDTH
    size = px(150, s)
    face = font(font_path, size, bold=True)
    while face.getlength(number) > width * 0.92 and size > 40:
        size -= 8
        face = font(font_path, size, bold=True)
    left, top, right, bottom = (int(v) for v in face.getbbox(number))
    canvas = Image.new("L", (width, bottom - top + px(12, s)), 255)
    ImageDraw.Draw(canvas).text(((width - (right - left)) // 2 - left, px(6, s) - top), number, font=face, fill=0)
    return to_1bit(canvas)


def qr_block(ticket: TicketPrint, width: int, font_path: str) -> Image.Image:
    """QR on the left, date and wait on its right: side by side keeps the ticket short."""
    s = width / BASE_WIDTH
    code = qr_image(ticket.qr_url, box=max(2, round(4 * s)))
    text_width = width - code.width - MARGIN
    face = font(font_path, px(21, s))
    lines = [ticket.issued_at, *wrap(ticket.ahead_line, face, text_width), *wrap(ticket.wait_line, face, text_width)]
    height = max(code.height, line_height(face) * len(lines))
    canvas = Image.new("L", (width, height), 255)
    canvas.paste(code.convert("L"), (0, (height - code.height) // 2))
    draw = ImageDraw.Draw(canvas)
    top = (height - line_height(face) * len(lines)) // 2
    for i, line in enumerate(lines):
        draw.text((code.width, top + i * line_height(face)), line, font=face, fill=0)
    return to_1bit(canvas)


def qr_image(url: str, box: int) -> Image.Image:
    """The status URL as a QR code, error correction M (a smudged or creased ticket still scans)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box, border=3)
    code.add_data(url)
    code.make(fit=True)
    return code.make_image(fill_color="black", back_color="white").get_image().convert("1")


def text_band(text: str, width: int, face: FreeType, *, lines: int = 3, invert: bool = False) -> Image.Image:
    """Centred lines, wrapped to the paper (Chinese wraps between characters)."""
    wrapped = wrap(text, face, width - 2 * MARGIN)[:lines]
    step = line_height(face)
    canvas = Image.new("L", (width, step * len(wrapped) + 4), 0 if invert else 255)
    draw = ImageDraw.Draw(canvas)
    for i, line in enumerate(wrapped):
        draw.text(((width - face.getlength(line)) / 2, 2 + i * step), line, font=face, fill=255 if invert else 0)
    return to_1bit(canvas)


def wrap(text: str, face: FreeType, max_width: float) -> list[str]:
    """Greedy wrap at spaces; a run without spaces (Chinese) breaks between characters."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if face.getlength(candidate) <= max_width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        for char in word:
            if face.getlength(current + char) > max_width and current:
                lines.append(current)
                current = ""
            current += char
    return [*lines, current] if current else lines


def rule(width: int, s: float) -> Image.Image:
    canvas = Image.new("1", (width, px(12, s)), 1)
    ImageDraw.Draw(canvas).rectangle((MARGIN, px(5, s), width - MARGIN, px(6, s)), fill=0)
    return canvas


def stack(bands: list[Image.Image], width: int) -> Image.Image:
    ticket = Image.new("1", (width, sum(b.height for b in bands)), 1)
    top = 0
    for band in bands:
        ticket.paste(band, (0, top))
        top += band.height
    return ticket


def line_height(face: FreeType) -> int:
    ascent, descent = face.getmetrics()
    return int((ascent + descent) * 0.88)  # Noto's line gap is generous; paper is not


def to_1bit(canvas: Image.Image) -> Image.Image:
    return canvas.point(lambda v: 255 if v >= INK_THRESHOLD else 0, mode="1")


def px(size: float, scale: float) -> int:
    return max(1, round(size * scale))
