"""Who hears of what and how, a pair of tests per rule: the case the rule allows, and the one it
stops."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from guiyan_contracts.notification import AttemptOutcome, Medium, NoticeKind
from guiyan_notification.domain.rate_limit import next_slot
from guiyan_notification.domain.retry import RetryPolicy
from guiyan_notification.domain.rules import channel_hears, is_digested, media_for

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def test_a_user_who_chose_nothing_hears_on_every_medium() -> None:
    assert media_for(NoticeKind.proposal_accepted, None, email_enabled=True) == set(Medium)


def test_a_user_who_chose_email_only_hears_of_a_decision_by_email_only() -> None:
    assert media_for(NoticeKind.proposal_accepted, ["email"], email_enabled=True) == {Medium.email}


def test_a_proposal_awaiting_a_decision_reaches_the_inbox_whatever_was_chosen() -> None:
    for kind in (NoticeKind.proposal_offered, NoticeKind.proposal_reminded):
        assert media_for(kind, [], email_enabled=True) == {Medium.inbox}


def test_a_decided_proposal_is_not_critical_and_can_be_left_out_of_the_inbox() -> None:
    assert media_for(NoticeKind.proposal_expired, [], email_enabled=True) == set()


def test_email_is_a_medium_where_it_is_configured() -> None:
    assert Medium.email in media_for(NoticeKind.task_assigned, ["email"], email_enabled=True)


def test_email_is_no_medium_where_it_is_not_configured() -> None:
    assert media_for(NoticeKind.task_assigned, ["email"], email_enabled=False) == set()


def test_a_channel_naming_no_kinds_hears_them_all() -> None:
    assert channel_hears(None, NoticeKind.proposal_withdrawn)


def test_a_channel_naming_its_kinds_hears_only_those() -> None:
    assert channel_hears(["proposal_offered"], NoticeKind.proposal_offered)
    assert not channel_hears(["proposal_offered"], NoticeKind.proposal_withdrawn)


def test_offers_within_the_window_are_digested() -> None:
    assert is_digested(NoticeKind.proposal_offered, 60)


def test_other_kinds_and_a_window_of_zero_are_not_digested() -> None:
    assert not is_digested(NoticeKind.proposal_rejected, 60)
    assert not is_digested(NoticeKind.proposal_offered, 0)


def test_a_retry_waits_longer_each_time_within_its_jitter_and_cap() -> None:
    policy, rng = RetryPolicy(max_attempts=10, base_seconds=5, cap_seconds=100), random.Random(7)
    for attempts, backoff in ((1, 5), (2, 10), (3, 20), (4, 40), (9, 100)):
        assert backoff * 0.5 <= policy.wait(attempts, rng=rng) <= backoff * 1.5


def test_a_retry_never_comes_sooner_than_the_receiver_asked() -> None:
    assert RetryPolicy(base_seconds=1).wait(1, retry_after=60, rng=random.Random(1)) == 60


def test_a_receiver_asking_for_days_is_tried_again_at_the_cap() -> None:
    policy = RetryPolicy(base_seconds=1, cap_seconds=900)
    assert policy.wait(1, retry_after=999_999, rng=random.Random(1)) == 900


def test_a_transient_failure_is_tried_again_until_the_attempts_are_used() -> None:
    policy = RetryPolicy(max_attempts=3)
    assert not policy.gives_up(AttemptOutcome.transient, 2)
    assert policy.gives_up(AttemptOutcome.transient, 3)


def test_a_permanent_failure_is_not_tried_again() -> None:
    assert RetryPolicy(max_attempts=3).gives_up(AttemptOutcome.permanent, 1)


def test_throttling_is_not_counted_against_the_attempts() -> None:
    assert not RetryPolicy(max_attempts=3).gives_up(AttemptOutcome.throttled, 0, made=5)


def test_a_robot_that_throttles_for_ever_is_given_up_on_in_the_end() -> None:
    assert RetryPolicy(max_attempts=3).gives_up(AttemptOutcome.throttled, 0, made=30)


def test_a_robot_under_its_limit_sends_now() -> None:
    starts = [NOW - timedelta(seconds=s) for s in range(19)]
    assert next_slot(starts, NOW, limit=20) is None


def test_a_robot_at_its_limit_waits_until_its_oldest_send_leaves_the_minute() -> None:
    starts = [NOW - timedelta(seconds=s) for s in range(30)]  # 30 in the last minute
    assert next_slot(starts, NOW, limit=20) == NOW - timedelta(seconds=19) + timedelta(minutes=1)
    older = [NOW - timedelta(seconds=61)] * 40
    assert next_slot(older, NOW, limit=20) is None
