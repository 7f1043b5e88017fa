"""The portal will not serve with a secret anyone could guess, nor take a token for a city it
does not serve: such a city is never looked up as a file."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import jwt
import pytest

from guiyan_contracts.models import Role
from guiyan_portal.auth import mint_token, read_token
from guiyan_portal.config import DEV_SECRET, InsecureSettings, PortalSettings

SECRET = "s" * 32


@pytest.mark.parametrize(("secret", "host", "why"), [
    ("", "127.0.0.1", "at least 32 bytes"),
    ("x", "127.0.0.1", "at least 32 bytes"),
    ("y" * 31, "127.0.0.1", "at least 32 bytes"),
    (DEV_SECRET, "0.0.0.0", "development secret"),
    (DEV_SECRET, "portal.example.cn", "development secret"),
])
def test_a_guessable_secret_is_refused(secret: str, host: str, why: str) -> None:
    with pytest.raises(InsecureSettings, match=why):
        PortalSettings(auth_secret=secret, portal_host=host).refuse_insecure()


@pytest.mark.parametrize(("secret", "host"), [(DEV_SECRET, "127.0.0.1"), (DEV_SECRET, "::1"),
                                              (DEV_SECRET, "localhost"), (SECRET, "0.0.0.0")])
def test_the_development_secret_serves_loopback_and_a_long_one_serves_anywhere(secret, host):
    PortalSettings(auth_secret=secret, portal_host=host).refuse_insecure()


def test_the_secret_is_never_shown_with_the_settings() -> None:
    settings = PortalSettings(auth_secret=SECRET)
    for shown in (str(settings), repr(settings), settings.model_dump_json(), str(settings.model_dump())):
        assert SECRET not in shown
    assert settings.auth_secret.get_secret_value() == SECRET


def test_the_portal_process_will_not_start_with_an_empty_secret() -> None:
    started = subprocess.run([sys.executable, "-m", "guiyan_portal"], capture_output=True,
                             text=True, timeout=60, env={"AUTH_SECRET": "", "PATH": ""})
    assert started.returncode != 0
    assert "AUTH_SECRET must be at least 32 bytes" in started.stderr


@pytest.mark.parametrize("city", ["../../../../../../tmp/x", "atlantis", "HEZE", "", "heze/.."])
def test_a_token_for_a_city_not_served_here_is_refused_like_a_forged_one(city: str) -> None:
    token = mint_token(SECRET, "someone", city, Role.admin)
    with pytest.raises(jwt.InvalidTokenError):
        read_token(SECRET, token)


@pytest.mark.parametrize("claims", [
    {"sub": "a", "tenant": "heze", "role": "emperor"},
    {"sub": "a b", "tenant": "heze", "role": "admin"},
    {"sub": "a", "role": "admin"},
    {"sub": 5, "tenant": "heze", "role": "admin"},
])
def test_a_token_with_claims_we_never_mint_is_refused(claims: dict) -> None:
    token = jwt.encode({**claims, "exp": 4102444800}, SECRET, algorithm="HS256")
    with pytest.raises(jwt.InvalidTokenError):
        read_token(SECRET, token)


def test_a_token_of_ours_reads_back() -> None:
    caller = read_token(SECRET, mint_token(SECRET, "heze-staff", "heze", Role.staff,
                                           timedelta(minutes=1)))
    assert (caller.user_id, caller.tenant_id, caller.role) == ("heze-staff", "heze", Role.staff)
