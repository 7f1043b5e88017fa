"""The `guiyan-portal` command: help that exits 0, and a `token` that the portal reads back."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from importlib.metadata import entry_points

import jwt
import pytest

from guiyan_contracts.envelope import utc_now
from guiyan_contracts.models import Role
from guiyan_portal.auth import read_token
from guiyan_portal.entrypoints import cli

from .fakes import SECRET


def test_the_console_script_is_the_command() -> None:
    (script,) = entry_points(group="console_scripts", name="guiyan-portal")
    assert script.load() is cli.main


def test_help_names_the_commands_and_exits_0() -> None:
    # As the Dockerfile and `make run` start it: `python -m guiyan_portal`.
    shown = subprocess.run([sys.executable, "-m", "guiyan_portal", "--help"],
                           capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    assert "serve" in shown.stdout and "token" in shown.stdout


def test_token_help_names_every_option_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["token", "--help"])
    assert exited.value.code == 0
    shown = capsys.readouterr().out
    assert all(option in shown for option in ("--user", "--role", "--city", "--ttl"))


def test_a_token_names_the_user_city_and_role_and_lasts_its_ttl(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("AUTH_SECRET", SECRET)
    cli.main(["token", "--user", "mgr-caoxian-hanfu-park", "--role", "park_manager",
              "--city", "heze", "--ttl", "15m"])
    printed = capsys.readouterr().out.strip()
    caller = read_token(SECRET, printed)
    assert (caller.user_id, caller.tenant_id, caller.role) == (
        "mgr-caoxian-hanfu-park", "heze", Role.park_manager)
    expires = jwt.decode(printed, SECRET, algorithms=["HS256"])["exp"]
    assert abs(expires - (utc_now() + timedelta(minutes=15)).timestamp()) < 60


@pytest.mark.parametrize("arguments", [
    ["--user", "a b", "--role", "admin", "--city", "heze"],
    ["--user", "heze-admin", "--role", "emperor", "--city", "heze"],
    ["--user", "heze-admin", "--role", "admin", "--city", "atlantis"],
    ["--user", "heze-admin", "--role", "admin", "--city", "heze", "--ttl", "forever"],
    ["--user", "heze-admin", "--role", "admin"],
])
def test_a_token_the_portal_would_refuse_is_never_printed(
        arguments: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["token", *arguments])
    assert exited.value.code == 2
    assert capsys.readouterr().out == ""


def test_no_token_is_signed_with_a_secret_the_portal_would_not_serve_with(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("AUTH_SECRET", "short")
    with pytest.raises(SystemExit, match="AUTH_SECRET must be at least 32 bytes"):
        cli.main(["token", "--user", "heze-admin", "--role", "admin", "--city", "heze"])
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("command", [["serve"], []])
def test_serve_is_the_command_when_none_is_given(monkeypatch: pytest.MonkeyPatch,
                                                 command: list[str]) -> None:
    monkeypatch.setenv("AUTH_SECRET", "")  # refused before it would serve
    with pytest.raises(SystemExit, match="guiyan-portal will not start"):
        cli.main(command)
