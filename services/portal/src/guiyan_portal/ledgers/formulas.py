"""A cell that starts like a formula is data: a spreadsheet must never evaluate text a person
typed into a project (=HYPERLINK(…), +cmd|…, -2+3, @SUM(…))."""

from __future__ import annotations

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def put_text(cell: Cell, text: str) -> None:
    """Text into `cell` as a string: openpyxl would store `=…` as a formula, so the type is
    set after, and Excel's quote prefix keeps it text when the cell is edited. Control
    characters (a name pasted with them) cannot be stored in a workbook at all: they are left
    out, rather than the whole workbook refused."""
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", text)
    if looks_like_formula(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True


def cell_text(value: object) -> object:
    """A cell as read: openpyxl gives a formula cell its formula's text (it never evaluates),
    kept as that text; an array or table formula object is taken as its text too."""
    text = getattr(value, "text", None)
    return text if isinstance(text, str) else value
