"""Numbers that come in as text (a form field, a URL, a header) and go to the database.

Only ASCII digits count ("²" passes str.isdigit() but int() refuses it), and only what fits an INTEGER column:
a larger id would make the database driver fail instead of finding nothing.
"""

from __future__ import annotations

LARGEST = 2**31 - 1  # PostgreSQL's INTEGER; SQLite's driver takes up to 2**63 - 1


def whole_number(typed: str) -> int | None:
    """The number typed, or None when it is not one a row could have."""
    typed = typed.strip()
    if not (typed.isascii() and typed.isdigit()) or len(typed) > len(str(LARGEST)):
        return None
    number = int(typed)
    return number if number <= LARGEST else None

