"""URL converters of every route."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter, Map

from kiosk.domain.whole_numbers import LARGEST


class RowNumber(IntegerConverter):
    """`<int:...>` in every route: an id too large for a row finds nothing (404), as an unknown one does."""

    def __init__(self, url_map: Map, fixed_digits: int = 0, min: int | None = None, max: int | None = LARGEST,
                 signed: bool = False) -> None:
        super().__init__(url_map, fixed_digits, min, max, signed)
