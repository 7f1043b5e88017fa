"""What people are told keeps to their language: a deadline in the city's time, written as each
language writes dates, and a follow-up task that names nobody."""

from __future__ import annotations

from datetime import UTC, date, datetime

from guiyan_contracts.people import TaskAssigned
from guiyan_notification.domain.city_time import time_en, time_zh, yuan_en, yuan_zh
from guiyan_notification.domain.notices import task_assigned


def test_a_deadline_is_in_the_city_s_time_as_each_language_writes_it() -> None:
    moment = datetime(2026, 12, 1, 17, 30, tzinfo=UTC)
    assert (time_zh(moment), time_en(moment)) == ("2026年12月2日 01:30",
                                                  "Dec 2, 2026, 01:30 Beijing time")


def test_a_subsidy_is_written_in_wan_yuan_in_chinese_and_in_yuan_in_english() -> None:
    assert (yuan_zh(120_000), yuan_zh(8_000), yuan_en(120_000)) == ("12万元", "8,000元", "¥120,000")


def test_a_follow_up_task_says_when_it_is_due_and_names_nobody() -> None:
    event = TaskAssigned(producer="registry", tenant_id="heze", task_id="t1", person_id="p-9",
                         assignee_id="heze-staff", due_on=date(2026, 12, 20), assigned_by="a")
    told = task_assigned(event)
    assert "2026年12月20日" in told.zh.body and "Dec 20, 2026" in told.en.body
    assert all("p-9" not in text for text in (told.zh.title, told.en.title, told.zh.body,
                                              told.en.body, *map(str, told.zh.facts)))
