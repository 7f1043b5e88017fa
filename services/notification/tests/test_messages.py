"""What people are told keeps to their language: a deadline in the city's time, written as each
language writes dates."""

from __future__ import annotations

from datetime import UTC, datetime

from guiyan_notification.domain.messages import city_time


def test_a_deadline_is_in_the_city_s_time_as_each_language_writes_it() -> None:
    due = city_time(datetime(2026, 12, 1, 17, 30, tzinfo=UTC))
    assert (due.zh, due.en) == ("2026年12月2日 01:30", "Dec 2, 2026, 01:30 Beijing time")
