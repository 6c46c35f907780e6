"""Tables as downloads: CSV (UTF-8 with a byte-order mark, so spreadsheet programs read accents)
and XLSX (openpyxl, numbers kept as numbers). Text cells that a spreadsheet would run as a
formula (starting with =, +, -, @, tab or carriage return) are prefixed with an apostrophe."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from starlette.responses import Response

from skillpath.core.errors import NotFoundError

Cell = str | int | float | bool | date | datetime | None
FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class ExportTable:
    """A table to download: a title (the sheet's name), column headers and rows."""

    name: str
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Cell]]


def _safe_text(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(round(value, 6))
    if isinstance(value, int):
        return str(value)
    return _safe_text(value)


def csv_bytes(table: ExportTable) -> bytes:
    """The table as CSV text with a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_safe_text(h) for h in table.headers])
    for row in table.rows:
        writer.writerow([_csv_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx_cell(value: Cell) -> Cell:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, str):
        return _safe_text(value)
    return value


def xlsx_bytes(table: ExportTable) -> bytes:
    """The table as a one-sheet workbook with a bold, frozen header row."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = table.title[:31] or "Sheet"
    sheet.append([_safe_text(h) for h in table.headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([_xlsx_cell(value) for value in row])
    sheet.freeze_panes = "A2"
    for index, header in enumerate(table.headers, start=1):
        width = max([len(str(header))] + [len(_csv_cell(r[index - 1])) for r in table.rows[:200]])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(10, width + 2), 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(table: ExportTable, fmt: str) -> Response:
    """A response that downloads the table as CSV or XLSX (NotFoundError for other formats)."""
    if fmt not in FORMATS:
        raise NotFoundError(f"No export format {fmt!r} (use csv or xlsx).")
    filename = (_UNSAFE_NAME.sub("-", table.name).strip("-") or "export") + "." + fmt
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if fmt == "csv":
        return Response(csv_bytes(table), media_type="text/csv; charset=utf-8", headers=headers)
    return Response(xlsx_bytes(table), media_type=XLSX_TYPE, headers=headers)
