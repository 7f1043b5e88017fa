"""Days as the city counts them: today in the city's time, and a number of months back."""

from __future__ import annotations

import calendar
from datetime import date
from zoneinfo import ZoneInfo

from guiyan_contracts.envelope import utc_now

from .presentation.formats import CITY_TIME_ZONE


def city_today() -> date:
    return utc_now().astimezone(ZoneInfo(CITY_TIME_ZONE)).date()


def months_before(day: date, months: int) -> date:
    """The same day `months` months earlier; the month's last day when it has no such day
    (six months before 31 August is 29 or 28 February)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return day.replace(year=year, month=month + 1,
                       day=min(day.day, calendar.monthrange(year, month + 1)[1]))
