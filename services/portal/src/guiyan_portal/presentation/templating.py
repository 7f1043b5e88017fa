"""The Jinja2 environment pages are rendered in, and what each page's template may call, bound to
the reader's language."""

from __future__ import annotations

import datetime as dt
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from starlette.requests import HTTPConnection

from guiyan_contracts.taxonomy import Taxonomy

from ..i18n import translations
from . import formats, names
from .bilingual import said
from .fields import field_error, field_label


def template_environment(templates_dir: Path | str) -> jinja2.Environment:
    """Every value is escaped unless it is `Markup` (as `money` gives); an undefined name is an
    error rather than an empty string, so a missing translation call cannot pass unseen."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(templates_dir), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def page_context(request: HTTPConnection, locale: str, taxonomy: Taxonomy | None) -> dict[str, Any]:
    """`_("…", name=value)` translates and fills %(name)s; `ngettext(singular, plural, n, …)`
    also fills %(num)s. The formatters take only the value: the locale is bound here."""
    catalogue = translations(locale)

    def gettext(message: str, **variables: Any) -> str:
        text = catalogue.gettext(message)
        return text % variables if variables else text

    def ngettext(singular: str, plural: str, count: int, **variables: Any) -> str:
        return catalogue.ngettext(singular, plural, count) % {"num": count, **variables}

    def money(yuan: float) -> Markup:
        return formats.money(yuan, locale)

    def date(day: dt.date) -> str:
        return formats.date(day, locale)

    def datetime(moment: dt.datetime) -> str:
        return formats.datetime(moment, locale)

    return {
        "request": request, "locale": locale, "_": gettext, "gettext": gettext, "ngettext": ngettext,
        "money": money, "area": partial(formats.area_m2, locale=locale),
        "land": partial(formats.land_mu, locale=locale), "date": date, "datetime": datetime,
        "percent": partial(formats.percent, locale=locale),
        "name": partial(names.name, taxonomy, locale=locale),
        "field_error": partial(field_error, locale=locale), "field_label": partial(field_label, locale=locale),
        "said": partial(said, locale=locale),
        "attempt_error": partial(names.attempt_error, locale=locale),
    }
