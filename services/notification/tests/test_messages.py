"""What people are told keeps to their language: a deadline in the city's time, written as each
language writes dates."""

from __future__ import annotations

from datetime import UTC, date, datetime

from guiyan_contracts.people import TaskAssigned
from guiyan_notification.domain.messages import city_time, task_assigned


def test_a_deadline_is_in_the_city_s_time_as_each_language_writes_it() -> None:
    due = city_time(datetime(2026, 12, 1, 17, 30, tzinfo=UTC))
    assert (due.zh, due.en) == ("2026年12月2日 01:30", "Dec 2, 2026, 01:30 Beijing time")


def test_a_follow_up_task_says_when_it_is_due_and_names_nobody() -> None:
    event = TaskAssigned(producer="registry", tenant_id="heze", task_id="t1", person_id="p-9",
                         assignee_id="heze-staff", due_on=date(2026, 12, 20), assigned_by="a")
    message = task_assigned(event)
    assert "2026年12月20日" in message.body_zh and "Dec 20, 2026" in message.body_en
    assert all("p-9" not in text for text in (message.title_zh, message.title_en,
                                              message.body_zh, message.body_en))
