"""The Jinja2 environments: notices as plain text, email as HTML with autoescape, and robots'
markdown with every interpolated value defused, so that a project named `[x](http://…)` is shown,
never followed."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from . import city_time

# Characters that would make a value into markdown structure (a link, an image, emphasis, code,
# HTML), each swapped for its full-width twin: a Chinese reader sees the same text.
MARKDOWN_DEFUSED = str.maketrans({"[": "［", "]": "］", "(": "（", ")": "）", "<": "＜", ">": "＞",
                                  "*": "＊", "`": "｀", "#": "＃", "|": "｜", "!": "！"})


def defuse_markdown(value: Any) -> Any:
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return " ".join(value.translate(MARKDOWN_DEFUSED).split())  # a newline could start a heading


def _optional(format_: Any) -> Any:
    """A filter that leaves a missing value missing: its fact is then left out."""
    return lambda value: None if value is None else format_(value)


def _environment(**options: Any) -> Environment:
    environment = Environment(loader=PackageLoader("guiyan_notification", "templates"),
                              undefined=StrictUndefined, keep_trailing_newline=False,
                              trim_blocks=True, lstrip_blocks=True, **options)
    environment.filters.update(
        time_zh=_optional(city_time.time_zh), time_en=_optional(city_time.time_en),
        date_zh=_optional(city_time.date_zh), date_en=_optional(city_time.date_en),
        yuan_zh=_optional(city_time.yuan_zh), yuan_en=_optional(city_time.yuan_en))
    return environment


TEXT = _environment(autoescape=False)
HTML = _environment(autoescape=select_autoescape(enabled_extensions=("html",)))
MARKDOWN = _environment(autoescape=False, finalize=defuse_markdown)
