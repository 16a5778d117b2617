"""Keyed hashes of what identifies a booker (ID number, phone, address): HMAC-SHA256 with the app's secret, so
the table can refuse a second booking by the same person without holding their numbers, and a copy of it is no
list of ID numbers (12 digits are too few to hide behind a plain hash)."""

from __future__ import annotations

import hashlib
import hmac


def keyed(secret: str, kind: str, value: str) -> str:
    return hmac.new(secret.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
