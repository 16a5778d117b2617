"""A QR code as inline SVG for a screen: sharp at any size, one small path, nothing fetched."""

from __future__ import annotations

import io

import qrcode
from flask_babel import gettext as _
from markupsafe import Markup, escape
from PIL import Image, ImageDraw, ImageFont


def qr_svg(url: str, label: str | None = None) -> Markup:
    """The ticket's QR (its status address: a random token, nothing personal) as inline SVG, one path; `label`
    names the picture for a screen reader (else "QR code").

    A fixed mask pattern: any mask decodes, and choosing the "best" of eight costs ~10 ms per ticket.
    """
    code = qrcode.QRCode(error_correction=qrcode.ERROR_CORRECT_M, mask_pattern=0, border=4)
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()
    path = "".join(f"M{x},{y}h1v1h-1z" for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark)
    size = len(matrix)
    named = escape(label or _("QR code"))
    return Markup(  # digits, our own URL's modules and the escaped label
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" shape-rendering="crispEdges" '
        f'role="img" aria-label="{named}"><rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path d="{path}" fill="#000"/></svg>'
    )


def qr_png(text: str, caption: str) -> bytes:
    """The QR as a PNG with its caption under it (a declaration's code, to keep in a phone's photos)."""
    code = qrcode.QRCode(error_correction=qrcode.ERROR_CORRECT_M, box_size=12, border=4)
    code.add_data(text)
    qr = code.make_image(fill_color="black", back_color="white").get_image().convert("RGB")
    font = ImageFont.load_default(size=56)
    sheet = Image.new("RGB", (qr.width, qr.height + 90), "white")
    sheet.paste(qr, (0, 0))
    ImageDraw.Draw(sheet).text((qr.width // 2, qr.height + 30), caption, fill="black", font=font, anchor="mt")
    out = io.BytesIO()
    sheet.save(out, format="PNG")
    return out.getvalue()
