"""The ticket as one 1-bit image: every script drawn by our font, so no printer code page can garble it."""

from __future__ import annotations

from functools import lru_cache

import qrcode
from PIL import Image, ImageDraw

from printers.fonts import FreeType, font
from printers.layout import BASE_WIDTH, Number, Part, QrBlock, Rule, Text, TicketPrint, ticket_layout

MARGIN = 12
INK_THRESHOLD = 150  # grey below this becomes a black dot: strokes stay solid without anti-alias fringes


def render_ticket(ticket: TicketPrint, width: int, font_path: str) -> Image.Image:
    """The whole ticket (about 70 mm on 80 mm paper) as a 1-bit image `width` dots wide."""
    return stack([band(part, width, font_path) for part in ticket_layout(ticket)], width)


def band(part: Part, width: int, font_path: str) -> Image.Image:
    """One part of the layout drawn as a band across the whole paper."""
    if isinstance(part, Text):
        face = scaled_font(font_path, part.size, width, bold=part.bold)
        return text_band(part.text, width, face, lines=part.lines, invert=part.inverted)
    if isinstance(part, Rule):
        return rule(width, width / BASE_WIDTH)
    if isinstance(part, Number):
        return number_band(part.text, width, font_path)
    return qr_block(part, width, font_path)


def scaled_font(font_path: str, size: int, width: int, *, bold: bool = False) -> FreeType:
    """A face `size` pixels on 576-dot paper, scaled to paper `width` dots wide (the compact job uses it too)."""
    return font(font_path, px(size, width / BASE_WIDTH), bold=bold)


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


def qr_block(block: QrBlock, width: int, font_path: str) -> Image.Image:
    """QR on the left, date and wait on its right: side by side keeps the ticket short."""
    code = qr_image(block.url, box=max(2, round(4 * (width / BASE_WIDTH))))
    text_width = width - code.width - MARGIN
    face = scaled_font(font_path, block.size, width)
    lines = [row for text in block.lines for row in wrap(text, face, text_width)]
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


@lru_cache(maxsize=256)
def text_band(text: str, width: int, face: FreeType, *, lines: int = 3, invert: bool = False) -> Image.Image:
    """Centred lines, wrapped to the paper (Chinese wraps between characters). Kept: the office's and the
    service's names and the notes below the QR are the same on every ticket, and drawing them is most of a
    ticket's drawing. Callers paste or crop the band, never draw on it."""
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
