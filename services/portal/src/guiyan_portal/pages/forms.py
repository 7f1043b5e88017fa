"""From an HTML form to a contract's fields and back, and each field error to the form field
that shows it.

A form sends text; a contract takes numbers strictly. A number that reads as one is converted
here, and anything else is passed on as the text it is, so that the contract's own validation
names the field. Money is entered as the page shows it: 万元 in Chinese, yuan in English.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from fastapi import Request
from fastapi.datastructures import FormData
from pydantic import BaseModel, ValidationError

from guiyan_contracts.envelope import FieldError

from ..i18n import request_locale
from ..presentation.fields import field_error

WAN = 10_000
M = TypeVar("M", bound=BaseModel)


def number(text: str, default: float | None = None) -> float | str | None:
    """The form's text as a number, `default` when blank, the text itself when unreadable."""
    text = text.strip().replace(",", "")
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        return text
    return value if math.isfinite(value) else text


def count(text: str, default: int | None = None) -> int | str | None:
    value = number(text, default)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def money(text: str, unit: str, default: float | None = None) -> float | str | None:
    """In yuan, to the fen: 2.01 万 is 20,100 yuan, not 20,099.999…"""
    value = number(text, default)
    return round(value * WAN, 2) if isinstance(value, float) and unit == "wan" else value


def plain(value: float) -> str:
    """A number as a form shows it again: whole, with no exponent and no trailing zeros, so
    that a form saved unchanged stores what it showed."""
    return f"{value:.6f}".rstrip("0").rstrip(".")


def money_text(yuan: float, unit: str) -> str:
    return plain(yuan / WAN if unit == "wan" else yuan)


def first(form: FormData, key: str) -> str:
    value = form.get(key)
    return value if isinstance(value, str) else ""


def every(form: FormData, key: str) -> list[str]:
    return [v for v in form.getlist(key) if isinstance(v, str) and v]


def validated(model: type[M], fields: dict[str, Any]) -> tuple[M | None, list[FieldError]]:
    try:
        return model.model_validate(fields), []
    except ValidationError as error:
        return None, [FieldError(loc=list(e["loc"]), msg=e["msg"], type=e["type"])
                      for e in error.errors(include_url=False, include_input=False)]


def by_field(request: Request, errors: Iterable[FieldError],
             field_of: Callable[[list[str]], str]) -> dict[str, str]:
    """The first message for each form field, in the page's language. `field_of` names the form
    field that shows a contract field's error, given the names on its path (none for an error of
    the model as a whole)."""
    locale = request_locale(request)
    shown: dict[str, str] = {}
    for error in errors:
        names = [part for part in error.loc if isinstance(part, str)
                 and part not in ("body", "project", "park")]
        shown.setdefault(field_of(names), field_error(error, locale))
    return shown
