"""Text a service wrote in both languages (an explanation, a reason, a notification): the page
shows the reader's, never both joined."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def said(text: Any, locale: str, field: str | None = None) -> str:
    """`text` has `zh` and `en` (a `Bilingual`, a `ParkVerdict`, their JSON), or with `field` it
    has `<field>_zh` and `<field>_en` (`explanation`, `reason`, `title`, `body`). A missing text
    is an empty string."""
    key = f"{field}_{locale}" if field else locale
    value = text.get(key) if isinstance(text, Mapping) else getattr(text, key, None)
    return value or ""
