"""What a password must be: long enough, and not the username. One function per rule, so that
each refusal names its own reason; `password_errors` gives them all at once."""

from __future__ import annotations

from guiyan_contracts.envelope import FieldError

MIN_LENGTH = 10


def too_short(password: str) -> str | None:
    if len(password) < MIN_LENGTH:
        return f"a password needs at least {MIN_LENGTH} characters"
    return None


def is_the_username(password: str, username: str | None) -> str | None:
    if username is not None and password.casefold() == username.casefold():
        return "a password may not be the username"
    return None


def password_errors(password: str, username: str | None,
                    loc: list[str | int]) -> list[FieldError]:
    reasons = (too_short(password), is_the_username(password, username))
    return [FieldError(loc=loc, msg=reason) for reason in reasons if reason is not None]
