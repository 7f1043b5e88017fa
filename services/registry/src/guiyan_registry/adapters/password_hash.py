"""Passwords are kept only as argon2id hashes (pwdlib's recommended parameters): slow to guess
from a stolen database, each salted on its own."""

from __future__ import annotations

from functools import cache

from pwdlib import PasswordHash

HASHER = PasswordHash.recommended()


@cache
def unknown_user_hash() -> str:
    """Verified against when a username is unknown, so that an unknown username costs the same
    time as a known one with a wrong password: the timing does not tell which usernames exist."""
    return HASHER.hash("no user has this password")


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """Whether `password` is the one hashed; with no hash, the same work is done, and False."""
    if password_hash is None:
        HASHER.verify(password, unknown_user_hash())
        return False
    return HASHER.verify(password, password_hash)
