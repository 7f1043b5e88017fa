"""The password policy, one pair of tests per rule: a password that passes it, one that fails."""

from __future__ import annotations

from guiyan_registry.domain.passwords import is_the_username, password_errors, too_short


def test_a_password_of_ten_characters_is_long_enough() -> None:
    assert too_short("0123456789") is None


def test_a_password_of_nine_characters_is_too_short() -> None:
    assert too_short("012345678") == "a password needs at least 10 characters"


def test_a_password_other_than_the_username_is_allowed() -> None:
    assert is_the_username("peony-garden-1", "wang.fang") is None
    assert is_the_username("peony-garden-1", None) is None


def test_a_password_equal_to_the_username_in_any_case_is_refused() -> None:
    assert is_the_username("Wang.Fang.Heze", "wang.fang.heze") == "a password may not be the username"


def test_every_broken_rule_is_named_at_the_field() -> None:
    assert password_errors("long enough at last", "someone", ["password"]) == []
    assert [(e.loc, e.msg) for e in password_errors("wang", "wang", ["new_password"])] == [
        (["new_password"], "a password needs at least 10 characters"),
        (["new_password"], "a password may not be the username")]
