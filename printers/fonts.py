"""The Unicode font the ticket is drawn with (Noto Sans CJK covers Vietnamese, Chinese and English)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

# Inside Debian's NotoSansCJK-*.ttc the faces are JP, KR, SC, TC, HK: SC draws the Chinese the way the
# Chinese counterpart's citizens read it; all of them draw Vietnamese the same.
SIMPLIFIED_CHINESE_FACE = 2

FreeType = ImageFont.FreeTypeFont


class FontMissingError(Exception):
    """The configured ticket font is not there; printing cannot work without it."""


def check_font(path: str | Path) -> Path:
    """The font file, or a start-up error that says what to install."""
    font = Path(path)
    if not font.is_file():
        raise FontMissingError(
            f"ticket font {font} not found: install Debian's fonts-noto-cjk "
            "(apt-get install fonts-noto-cjk) or set printer.font to a font covering Vietnamese and Chinese"
        )
    return font


def bold_variant(path: Path) -> Path:
    """NotoSansCJK-Bold.ttc next to NotoSansCJK-Regular.ttc; the regular face when there is none."""
    bold = path.with_name(path.name.replace("Regular", "Bold"))
    return bold if bold != path and bold.is_file() else path


@lru_cache(maxsize=64)
def font(path: str, size: int, bold: bool = False) -> FreeType:
    """A loaded face at a pixel size (cached: loading a 20 MB .ttc takes milliseconds each time)."""
    file = bold_variant(check_font(path)) if bold else check_font(path)
    if file.suffix.lower() == ".ttc":
        try:
            return ImageFont.truetype(str(file), size, index=SIMPLIFIED_CHINESE_FACE)
        except OSError:
            pass  # a collection with fewer faces: take its first
    return ImageFont.truetype(str(file), size)
