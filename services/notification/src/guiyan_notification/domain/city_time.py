"""Moments and days as a reader in the city writes them, in each language."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

CITY_TIME = ZoneInfo("Asia/Shanghai")  # what a reader in the city goes by
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def time_zh(moment: datetime) -> str:
    local = moment.astimezone(CITY_TIME)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def time_en(moment: datetime) -> str:
    local = moment.astimezone(CITY_TIME)
    return f"{MONTHS[local.month - 1]} {local.day}, {local.year}, {local:%H:%M} Beijing time"


def date_zh(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def date_en(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def yuan_zh(amount: float) -> str:
    """As a city's documents write a subsidy: 万元 from ten thousand up."""
    if amount >= 10_000:
        return f"{amount / 10_000:,.4g}万元"
    return f"{amount:,.0f}元"


def yuan_en(amount: float) -> str:
    return f"¥{amount:,.0f}"
