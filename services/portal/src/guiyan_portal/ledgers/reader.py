"""A ledger file (.xlsx, or .csv in UTF-8 or GBK) read into rows of cells by field.

Ledgers are kept by hand: the header row may sit below a title, columns come in any order
(matched by their headers, others ignored), blank rows come between, a county is merged down
the rows it covers, and other sheets (notes, totals) sit beside the projects. The sheet taken
is the one whose header row names the most of our columns."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from .columns import PROJECTS, Column, Layout, blank
from .formulas import cell_text

# The header row is looked for among a sheet's first rows, below any title lines.
HEADER_SEARCH_ROWS = 20


class UnreadableLedger(ValueError):
    """The file is not a spreadsheet we read, or no sheet in it has our columns."""


@dataclass(frozen=True)
class LedgerRow:
    number: int  # the row's number in the sheet, as a person sees it (the header row is above)
    cells: dict[str, Any]  # field → the cell's value, blank cells included


@dataclass(frozen=True)
class Ledger:
    rows: list[LedgerRow]
    columns: list[Column]  # the columns found, in the sheet's order


def read_ledger(filename: str, content: bytes, layout: Layout = PROJECTS) -> Ledger:
    if filename.lower().endswith(".csv"):
        return _from_grid(csv.reader(io.StringIO(_decoded(content))), layout)
    try:
        workbook = load_workbook(io.BytesIO(content), data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a file that is not xlsx
        raise UnreadableLedger(f"not an .xlsx workbook: {error}") from None
    found = [_from_grid(_cells(sheet), layout) for sheet in workbook.worksheets]
    best = max(found, key=lambda ledger: len(ledger.columns), default=None)
    if best is None or not best.columns:
        raise UnreadableLedger("no sheet has a header row naming the ledger's columns")
    return best


def _decoded(content: bytes) -> str:
    """UTF-8 (with or without its mark), else GBK as Excel saves CSV on a Chinese Windows
    (read as GB18030, which holds all of GBK)."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return content.decode("gb18030")
        except UnicodeDecodeError:
            raise UnreadableLedger("the CSV file is neither UTF-8 nor GBK") from None


def _cells(sheet: Worksheet) -> list[list[Any]]:
    """The sheet's values, each merged range's value in every cell it covers (of a row not
    blank: a blank row inside a merged county stays blank)."""
    grid = [[cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    filled = [i for i, row in enumerate(grid) if any(not blank(value) for value in row)]
    for merged in sheet.merged_cells.ranges:
        top = grid[merged.min_row - 1][merged.min_col - 1]
        for row in filled:
            if not merged.min_row - 1 <= row < merged.max_row:
                continue
            for col in range(merged.min_col - 1, merged.max_col):
                if col < len(grid[row]):
                    grid[row][col] = top
    return grid


def _from_grid(grid: Iterable[Sequence[Any]], layout: Layout) -> Ledger:
    rows = list(grid)
    header_at, columns = _header(rows, layout)
    if header_at is None:
        return Ledger(rows=[], columns=[])
    found = []
    for offset, values in enumerate(rows[header_at + 1:], start=header_at + 2):
        cells = {column.field: values[index] if index < len(values) else None
                 for index, column in columns.items()}
        if not all(blank(value) for value in cells.values()):
            found.append(LedgerRow(number=offset, cells=cells))
    return Ledger(rows=found, columns=list(columns.values()))


def _header(rows: list[Sequence[Any]], layout: Layout) -> tuple[int | None, dict[int, Column]]:
    best: tuple[int | None, dict[int, Column]] = (None, {})
    for at, values in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns: dict[int, Column] = {}
        for index, value in enumerate(values):
            column = layout.column_for(value)
            if column is not None and column not in columns.values():
                columns[index] = column
        if len(columns) > len(best[1]):
            best = (at, columns)
    return best if len(best[1]) >= 2 else (None, {})
