"""Read an ESC/POS job back into the paper it would print: raster images, native QR codes, native text."""

from __future__ import annotations

from dataclasses import dataclass, field

import qrcode
import zxingcpp
from PIL import Image, ImageDraw, ImageFont, ImageOps

TEXT_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
LINE_DOTS = 24  # Font A line height
QR_LEVELS = {48: qrcode.constants.ERROR_CORRECT_L, 49: qrcode.constants.ERROR_CORRECT_M,
             50: qrcode.constants.ERROR_CORRECT_Q, 51: qrcode.constants.ERROR_CORRECT_H}


class IncompleteError(Exception):
    """The buffer ends inside a command; wait for more bytes."""


@dataclass
class Receipt:
    """What one connection printed."""

    width: int
    rows: list[Image.Image] = field(default_factory=list)
    qr_payloads: list[str] = field(default_factory=list)
    qr_levels: list[int] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    rasters: int = 0
    cut: bool = False
    data: bytes = b""
    last_byte_at: float = 0.0

    @property
    def image(self) -> Image.Image:
        paper = Image.new("1", (self.width, max(1, sum(r.height for r in self.rows))), 1)
        top = 0
        for row in self.rows:
            paper.paste(row, (0, top))
            top += row.height
        return paper


@dataclass
class State:
    align: int = 0
    size: tuple[int, int] = (1, 1)
    text: bytearray = field(default_factory=bytearray)
    qr: dict[str, int | bytes] = field(default_factory=dict)


def next_command(buf: bytes, i: int) -> tuple[bytes, int]:
    """The command (or one text byte) starting at i, and where the next one starts."""
    need = _length(buf, i)
    if i + need > len(buf):
        raise IncompleteError
    return buf[i:i + need], i + need


def _length(buf: bytes, i: int) -> int:
    def at(k: int) -> int:
        if i + k >= len(buf):
            raise IncompleteError
        return buf[i + k]

    lead = at(0)
    if lead == 0x10:  # DLE EOT n, DLE DC4 ...
        return 3
    if lead == 0x1B:
        return 2 if at(1) == ord("@") else 3
    if lead != 0x1D:
        return 1
    op = at(1)
    if op == ord("v"):  # GS v 0 m xL xH yL yH d...
        return 8 + (at(4) + at(5) * 256) * (at(6) + at(7) * 256)
    if op == ord("("):  # GS ( k / GS ( L pL pH ...
        return 5 + at(3) + at(4) * 256
    if op == ord("V"):
        return 4 if at(2) in (65, 66) else 3
    return 3  # GS ! n, GS L nL ... (only what our jobs send)


def decode(data: bytes, width: int) -> Receipt:
    receipt, state, i = Receipt(width, data=data), State(), 0
    while i < len(data):
        command, i = next_command(data, i)
        apply(command, state, receipt)
    flush_text(state, receipt)
    return receipt


def apply(command: bytes, state: State, receipt: Receipt) -> None:
    lead = command[0]
    if lead == 0x0A:
        flush_text(state, receipt, force=True)
    elif lead == 0x1B:
        escape(command, state, receipt)
    elif lead == 0x1D:
        group(command, state, receipt)
    elif lead >= 0x20:
        state.text.append(lead)


def escape(command: bytes, state: State, receipt: Receipt) -> None:
    op = command[1]
    if op == ord("@"):
        flush_text(state, receipt)
        state.align, state.size = 0, (1, 1)
    elif op == ord("!"):
        state.size = (2 if command[2] & 0x20 else 1, 2 if command[2] & 0x10 else 1)
    elif op == ord("a"):
        state.align = command[2] % 48 if command[2] >= 48 else command[2]
    elif op == ord("d"):
        flush_text(state, receipt)
        receipt.rows.append(Image.new("1", (receipt.width, LINE_DOTS * command[2]), 1))


def group(command: bytes, state: State, receipt: Receipt) -> None:
    op = command[1]
    if op == ord("v"):
        flush_text(state, receipt)
        receipt.rasters += 1
        place(raster(command), state, receipt)
    elif op == ord("!"):
        state.size = ((command[2] >> 4) + 1, (command[2] & 0x0F) + 1)
    elif op == ord("V"):
        flush_text(state, receipt)
        receipt.cut = True
    elif op == ord("(") and command[2] == ord("k"):
        qr_command(command, state, receipt)


def raster(command: bytes) -> Image.Image:
    """GS v 0: bit 7 is the leftmost dot and 1 is black; PIL's "1" mode has 1 as white, hence the invert."""
    width_bytes, height = command[4] + command[5] * 256, command[6] + command[7] * 256
    image = Image.frombytes("1", (width_bytes * 8, height), command[8:])
    return ImageOps.invert(image.convert("L")).convert("1")


def qr_command(command: bytes, state: State, receipt: Receipt) -> None:
    fn, body = command[6], command[7:]
    if fn == 67:
        state.qr["size"] = body[0]
    elif fn == 69:
        state.qr["level"] = body[0]
    elif fn == 80:
        state.qr["data"] = body[1:]  # after m = '0'
    elif fn == 81:
        payload = bytes(state.qr.get("data", b"")).decode()
        level = int(state.qr.get("level", 48))
        code = qrcode.QRCode(error_correction=QR_LEVELS[level], box_size=int(state.qr.get("size", 3)), border=0)
        code.add_data(payload)
        receipt.qr_payloads.append(payload)
        receipt.qr_levels.append(level)
        place(code.make_image().get_image().convert("1"), state, receipt)


def flush_text(state: State, receipt: Receipt, force: bool = False) -> None:
    if not state.text and not force:
        return
    text = state.text.decode("ascii", errors="replace")
    state.text.clear()
    receipt.texts.append(text)
    w, h = state.size
    face = ImageFont.truetype(TEXT_FONT, 20 * h)
    line = Image.new("L", (max(1, int(face.getlength(text) * w / h)) + 1, LINE_DOTS * h), 255)
    ImageDraw.Draw(line).text((0, 0), text, font=face, fill=0)
    place(line.resize((min(receipt.width, line.width), line.height)).convert("1"), state, receipt)


def place(image: Image.Image, state: State, receipt: Receipt) -> None:
    row = Image.new("1", (receipt.width, image.height), 1)
    x = {0: 0, 1: (receipt.width - image.width) // 2, 2: receipt.width - image.width}[state.align]
    row.paste(image, (max(0, x), 0))
    receipt.rows.append(row)


def read_qr(image: Image.Image) -> list[str]:
    """Every QR code a real decoder finds on the ticket (scaled 2x, white border: how zxing reads paper)."""
    big = image.convert("L").resize((image.width * 2, image.height * 2), Image.Resampling.NEAREST)
    framed = ImageOps.expand(big, border=40, fill=255)
    return [result.text for result in zxingcpp.read_barcodes(framed) if result.format == zxingcpp.BarcodeFormat.QRCode]
