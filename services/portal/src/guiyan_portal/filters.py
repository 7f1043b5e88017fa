"""What a list may be asked for in its query string, beyond paging.

A filter may be given several times or as one comma-separated value (`?status=offered,accepted`),
as a form or a link writes it; an empty value asks for nothing, as an empty form field sends it.
A value that is not one of the field's own is a 422 naming the field.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, TypeVar

from fastapi import Query
from fastapi.exceptions import RequestValidationError
from pydantic import BeforeValidator

E = TypeVar("E", bound=StrEnum)


def one_of(kind: type[E], field: str, given: list[str]) -> list[E]:
    """Each value of `given`, split at commas, as one of `kind`; duplicates once."""
    values = [value.strip() for each in given for value in each.split(",") if value.strip()]
    known = {member.value: member for member in kind}
    if unknown := [value for value in values if value not in known]:
        raise RequestValidationError([{
            "loc": ("query", field), "type": "enum",
            "msg": f"{', '.join(repr(v) for v in unknown)} is not one of "
                   f"{', '.join(known)}"}])
    return list(dict.fromkeys(known[value] for value in values))


def _written_as_a_day(value: object) -> object:
    """Pydantic would also read a number as seconds since 1970 (`?to=0`: 1970-01-01), which no
    reader of a day means: a day in a query string is written as the schema says."""
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        raise ValueError("a day is written YYYY-MM-DD")
    return value


Day = Annotated[date, BeforeValidator(_written_as_a_day)]


def given(value: str | None) -> str | None:
    """An empty value as none."""
    return value.strip() or None if value is not None else None


def Statuses(kind: type[StrEnum]) -> Any:
    return Annotated[list[str], Query(
        description=f"Only these: {', '.join(kind)}; repeated, or separated by commas")]


Search = Annotated[str | None, Query(max_length=100, description=(
    "A part of the name to look for, in any case"))]
Code = Annotated[str | None, Query(max_length=64, description="A code of the city's taxonomy")]
Station = Annotated[str | None, Query(max_length=100, description=(
    "The service station, as entered (杭州站)"))]
