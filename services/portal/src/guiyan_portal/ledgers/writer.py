"""Workbooks as people read them: Chinese headers in a frozen, bold first row, columns wide
enough for their content, money as numbers in yuan with thousands separators, dates as dates,
and text never taken for a formula."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from fastapi.responses import Response
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .columns import Kind
from .formulas import put_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS: dict[str, str] = {"money": "#,##0", "number": "#,##0.##", "count": "#,##0",
                           "date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm",
                           "percent": "0.0%", "fine_percent": "0.00%"}
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")


@dataclass(frozen=True)
class Heading:
    header: str
    kind: Kind | str  # a column kind, or "datetime", "percent", "fine_percent"
    width: int


def new_workbook() -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    return workbook


def add_sheet(workbook: Workbook, title: str, headings: Sequence[Heading],
              rows: Iterable[Sequence[Any]]) -> Worksheet:
    sheet = workbook.create_sheet(title)
    for index, heading in enumerate(headings, start=1):
        cell = sheet.cell(row=1, column=index, value=heading.header)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = max(
            heading.width, 2 * len(heading.header) + 2)
    for row_number, values in enumerate(rows, start=2):
        for index, (heading, value) in enumerate(zip(headings, values, strict=True), start=1):
            put_cell(sheet.cell(row=row_number, column=index), heading.kind, value)
    sheet.freeze_panes = "A2"
    return sheet


def put_cell(cell: Any, kind: str, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, str):
        put_text(cell, value)
        return
    if isinstance(value, datetime):
        value = value.replace(tzinfo=None)  # Excel has no time zones: shown as written
    cell.value = value
    if number_format := FORMATS.get(kind if not isinstance(value, date | datetime) or
                                    kind in ("date", "datetime") else "date"):
        cell.number_format = number_format


def saved(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def attachment(workbook: Workbook, filename: str) -> Response:
    """The workbook as a download named `filename`, in any language."""
    return Response(saved(workbook), media_type=XLSX, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"})
