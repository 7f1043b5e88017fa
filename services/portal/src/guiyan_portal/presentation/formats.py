"""Amounts, areas and dates as a reader of each language expects them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from markupsafe import Markup

from ..i18n import BABEL_LOCALES

WAN = 10_000  # 万
YI = 100_000_000  # 亿
MILLION = 1_000_000
CITY_TIME_ZONE = "Asia/Shanghai"


def number(value: float, locale: str, pattern: str = "#,##0.##") -> str:
    return format_decimal(value, format=pattern, locale=BABEL_LOCALES[locale])


def percent(share: float, locale: str) -> str:
    """A share (0.2) as the reader writes it, to a tenth: 20.0%."""
    return format_percent(share, format="#,##0.0%", locale=BABEL_LOCALES[locale])


def money(yuan: float, locale: str) -> Markup:
    """Chinese readers count in 万元 (亿元 from one 亿), English readers in yuan (millions from
    one million); the exact amount in whole yuan is the hover title either way."""
    if locale == "zh":
        exact = f"{number(yuan, locale, '#,##0')} 元"
        if abs(yuan) >= YI:
            shown = f"{number(yuan / YI, locale, '#,##0.00')}亿元"
        elif abs(yuan) >= WAN:
            shown = f"{number(yuan / WAN, locale, '#,##0.0')}万元"
        else:
            shown = f"{number(yuan, locale, '#,##0')}元"
    else:
        exact = f"¥{number(yuan, locale, '#,##0')}"
        shown = (f"¥{number(yuan / MILLION, locale, '#,##0.00')} million" if abs(yuan) >= MILLION
                 else exact)
    return Markup('<span title="{}">{}</span>').format(exact, shown)


def area_m2(value: float, locale: str) -> str:
    return f"{number(value, locale)} m²"


def land_mu(value: float, locale: str) -> str:
    """亩 (mu, 1/15 hectare), the unit land is allotted in."""
    return f"{number(value, locale)} 亩" if locale == "zh" else f"{number(value, locale)} mu"


def date(day: dt.date, locale: str) -> str:
    """zh: 2026年12月2日; en: Dec 2, 2026."""
    return format_date(day, format="long" if locale == "zh" else "medium", locale=BABEL_LOCALES[locale])


def datetime(moment: dt.datetime, locale: str, tz: str = CITY_TIME_ZONE) -> str:
    """In the city's time zone, to the minute; a moment without a zone is UTC, as stored."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    local = moment.astimezone(ZoneInfo(tz))
    return f"{date(local.date(), locale)} {local:%H:%M}"
