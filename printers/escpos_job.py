"""ESC/POS bytes for one ticket, built with python-escpos' command layer on a `Dummy` printer.

Two modes. `image`: the whole ticket as raster images (`GS v 0`), then a cut; works on every printer and
script. `compact`: for profiles with native QR, the number and QR are native commands and only lines that
are not plain ASCII go as narrow image strips, so a 115200-baud serial printer takes about a second.
"""

from __future__ import annotations

from typing import Any

from escpos.capabilities import get_profile_class
from escpos.constants import QR_ECLEVEL_M
from escpos.printer import Dummy
from PIL import Image, ImageChops

from printers.layout import BASE_WIDTH, Number, Part, QrBlock, Text, TicketPrint, ticket_layout
from printers.ticket import number_band, render_ticket, scaled_font, text_band, wrap

# GS v 0 carries rows, not a byte length, but printers' receive buffers and python-escpos' `graphics` impl
# (a 16-bit length that silently wraps) both trip over blocks past 64 KiB: stay well under in every fragment.
MAX_FRAGMENT_BYTES = 65_535
MAX_FRAGMENT_ROWS = 512
MODES = ("image", "compact")
NATIVE_FONT_DOTS = 12  # Font A is 12x24 dots on Epson-compatible printers


class ProfileError(Exception):
    """The printer profile is unknown, or the paper is wider than the printer can print."""


def printer_profile(name: str, width: int) -> Any:
    """The named python-escpos profile, with its print width filled in when the database does not know it.

    python-escpos checks every image against `media.width.pixels` and prints a warning to stdout for each
    image when it is "Unknown"; a known width also makes a too-wide paper setting fail at start-up.
    """
    try:
        base = get_profile_class(name)
    except KeyError:
        raise ProfileError(f"unknown printer profile {name!r} (see python-escpos' capabilities database)") from None
    media = base.profile_data.get("media", {})
    known = media.get("width", {}).get("pixels")
    if isinstance(known, int) and width > known:
        raise ProfileError(f"printer.paper_width {width} is wider than profile {name!r} prints ({known} dots)")
    data = {**base.profile_data, "media": {**media, "width": {**media.get("width", {}), "pixels": width}}}
    return type(f"{base.__name__}{width}", (base,), {"profile_data": data})()


def supports_compact(profile: Any) -> bool:
    return bool(profile.supports("qrCode"))


def build_job(
    ticket: TicketPrint, *, width: int, font_path: str, profile: Any, mode: str = "image",
    rendered: Image.Image | None = None,
) -> bytes:
    """One ticket's bytes: `compact` needs native QR in the profile, else `image`, which reuses `rendered` if given."""
    if mode == "compact" and supports_compact(profile):
        return compact_job(ticket, width, font_path, profile)
    return image_job(render_ticket(ticket, width, font_path) if rendered is None else rendered, profile)


def image_job(image: Image.Image, profile: Any) -> bytes:
    """Initialise, the image in fragments, feed and cut."""
    printer = dummy(profile)
    printer.hw("INIT")
    send_image(printer, image)
    printer.cut()
    return bytes(printer.output)


def dummy(profile: Any) -> Dummy:
    """A byte collector; the profile is set afterwards because `Escpos(profile=...)` takes only names."""
    printer = Dummy()
    printer.profile = profile
    return printer


def send_image(printer: Dummy, image: Image.Image) -> None:
    """`GS v 0` blocks of at most MAX_FRAGMENT_ROWS rows and 64 KiB; never `center=True`, which pads tall
    images with black in python-escpos 3.1 (our images are already laid out at the paper's width)."""
    rows = max(1, min(MAX_FRAGMENT_ROWS, MAX_FRAGMENT_BYTES // ((image.width + 7) // 8)))
    for top in range(0, image.height, rows):
        fragment = image.crop((0, top, image.width, min(top + rows, image.height)))
        printer.image(fragment, impl="bitImageRaster", center=False, fragment_height=rows)


def compact_job(ticket: TicketPrint, width: int, font_path: str, profile: Any) -> bytes:
    """Native number and QR, ASCII lines as text, every other line as a strip just as wide as its ink."""
    printer = dummy(profile)
    printer.hw("INIT")
    printer.set(align="center")
    for part in ticket_layout(ticket):
        send_part(printer, part, width, font_path)
    printer.cut()
    return bytes(printer.output)


def send_part(printer: Dummy, part: Part, width: int, font_path: str) -> None:
    """One part of the layout the compact way; the rule is left out, a raster strip that says nothing."""
    if isinstance(part, Text):
        line(printer, part.text, width, scaled_font(font_path, part.size, width, bold=part.bold))
    elif isinstance(part, Number):
        native_number(printer, part.text, width, font_path)
    elif isinstance(part, QrBlock):
        native_qr(printer, part, width, font_path)


def native_qr(printer: Dummy, block: QrBlock, width: int, font_path: str) -> None:
    """The printer draws the QR itself, so the lines the image puts beside it follow below it."""
    printer.qr(block.url, ec=QR_ECLEVEL_M, size=max(3, round(6 * (width / BASE_WIDTH))), native=True)
    face = scaled_font(font_path, block.size, width)
    for text in block.lines:
        line(printer, text, width, face)


def native_number(printer: Dummy, number: str, width: int, font_path: str) -> None:
    """The printer's own font magnified: a few bytes instead of ~10 KB of raster; digits and A-Z are ASCII."""
    if not number.isascii():
        send_image(printer, number_band(number, width, font_path))
        return
    scale = max(1, min(6, int(width * 0.9) // (NATIVE_FONT_DOTS * len(number))))
    printer.set(bold=True, custom_size=True, width=scale, height=scale)
    printer.text(number + "\n")
    printer.set(bold=False, custom_size=True, width=1, height=1)


def line(printer: Dummy, text: str, width: int, face: Any) -> None:
    """ASCII as native text (wrapped to Font A's columns); anything else drawn by our font."""
    if text.isascii():
        for row in wrap_columns(text, width // NATIVE_FONT_DOTS):
            printer.text(row + "\n")
        return
    for row in wrap(text, face, width - 24):
        send_image(printer, ink_only(text_band(row, width, face, lines=1)))


def ink_only(band: Image.Image) -> Image.Image:
    """The band cut to its ink, width rounded to whole bytes; ESC a 1 centres it on the paper."""
    box = ImageChops.invert(band.convert("L")).getbbox()
    if box is None:
        return band
    left = box[0] // 8 * 8
    right = min(band.width, -(-box[2] // 8) * 8)
    return band.crop((left, 0, right, band.height))


def wrap_columns(text: str, columns: int) -> list[str]:
    rows: list[str] = []
    for word in text.split():
        if rows and len(rows[-1]) + 1 + len(word) <= columns:
            rows[-1] += " " + word
        else:
            rows.append(word)
    return rows or [""]
