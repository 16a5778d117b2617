"""Where a link may send a browser after a page: only to a path on this site."""

from __future__ import annotations

from urllib.parse import urlsplit


def local_path(target: str) -> str:
    """`target` when it is a path on this site, else "".

    Browsers read `//host`, `/\\host` and `/<tab>/host` as another site (they drop tabs and newlines, and treat a
    backslash as a slash), so a local path starts with one slash and holds no backslash, space or control character.
    """
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return ""
    if any(ord(char) <= 32 or ord(char) == 127 for char in target):
        return ""
    parts = urlsplit(target)
    return "" if parts.scheme or parts.netloc else target
