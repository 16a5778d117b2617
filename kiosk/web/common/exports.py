"""A table as the desk shows it, and the same table as a file to download: CSV (UTF-8 with a byte-order mark, so
a spreadsheet opens Vietnamese and Chinese right) or XLSX (openpyxl)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import Response
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

Cell = str | int | float | date | datetime | None
FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@dataclass(frozen=True)
class Table:
    name: str  # the file's name, e.g. report-service
    title: str
    columns: list[str]
    rows: list[list[Cell]]


def download(table: Table, file_format: str) -> Response:
    """The table as an attachment, or 404 for a format the desk does not offer."""
    body = _csv(table) if file_format == "csv" else _xlsx(table)
    response = Response(body, mimetype=FORMATS[file_format])
    response.headers["Content-Disposition"] = f'attachment; filename="{table.name}.{file_format}"'
    return response


def _csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.columns)
    writer.writerows([_text(cell) for cell in row] for row in table.rows)
    return ("\ufeff" + out.getvalue()).encode()


def _text(cell: Cell) -> Any:
    if isinstance(cell, datetime | date):
        return cell.isoformat()
    return "" if cell is None else cell


def _xlsx(table: Table) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has its first sheet
    sheet.title = re.sub(r"[][:*?/\\]", " ", table.title)[:31]  # what Excel allows in a sheet's name
    sheet.append(table.columns)
    for row in table.rows:
        sheet.append([cell.replace(tzinfo=None) if isinstance(cell, datetime) else cell for cell in row])
    for index, column in enumerate(table.columns, start=1):
        width = max([len(str(column)), *(len(str(row[index - 1] or "")) for row in table.rows[:200])])
        sheet.column_dimensions[get_column_letter(index)].width = min(60, width + 2)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
