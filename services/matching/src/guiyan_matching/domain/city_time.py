"""The city's time: days, months and budget years are the city's, not UTC's."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

# Heze keeps China Standard Time, UTC+8 all year (no daylight saving).
CITY_UTC_OFFSET_HOURS = 8
CITY_TIME = timezone(timedelta(hours=CITY_UTC_OFFSET_HOURS))


def city_day(moment: datetime) -> date:
    """The day it is in the city at `moment`."""
    return moment.astimezone(CITY_TIME).date()
