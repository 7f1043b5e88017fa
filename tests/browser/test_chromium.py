"""The set-up's install of Chromium and CJK fonts, on a faked system: which programs are on
PATH, and what each command run answers."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest

from .chromium import APT_OPTIONS, Unavailable, ensure_chromium

INSTALL = ["install", "-y", "--no-install-recommends"]


class FakeSystem:
    def __init__(self, on_path: set[str], has_cjk_font: bool = False,
                 sudo_works: bool = True, apt_fails_with: str | None = None) -> None:
        self.on_path = on_path
        self.has_cjk_font = has_cjk_font
        self.sudo_works = sudo_works
        self.apt_fails_with = apt_fails_with
        self.commands: list[list[str]] = []

    def which(self, program: str) -> str | None:
        return f"/usr/bin/{program}" if program in self.on_path else None

    def run(self, command: list[str], **_: Any) -> subprocess.CompletedProcess[str]:
        self.commands.append(command)
        if command[0] == "fc-list":
            return self.answer(command, 0, "Noto Sans CJK SC\n" if self.has_cjk_font else "")
        if command == ["sudo", "-n", "true"]:
            return self.answer(command, 0 if self.sudo_works else 1, "",
                               "" if self.sudo_works else "sudo: a password is required")
        if self.apt_fails_with:
            return self.answer(command, 100, "Reading package lists...\n", self.apt_fails_with)
        if "install" in command:
            self.on_path.add("chromium")
            self.has_cjk_font = True
        return self.answer(command, 0, "")

    @staticmethod
    def answer(command: list[str], code: int, out: str,
               err: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(command, code, out, err)

    def apt_commands(self) -> list[list[str]]:
        return [c for c in self.commands if "apt-get" in c]


def test_chromium_with_its_fonts_present_installs_nothing() -> None:
    system = FakeSystem({"chromium", "apt-get"}, has_cjk_font=True)
    assert ensure_chromium(system.which, system.run, 0) == ("/usr/bin/chromium", [])
    assert system.apt_commands() == []


def test_missing_chromium_is_installed_with_its_fonts_by_apt_get_as_root() -> None:
    system = FakeSystem({"apt-get"})
    assert ensure_chromium(system.which, system.run, 0) == ("/usr/bin/chromium", [])
    assert system.apt_commands() == [
        ["apt-get", *APT_OPTIONS, "update"],
        ["apt-get", *APT_OPTIONS, *INSTALL, "chromium", "fonts-noto-cjk"]]


def test_missing_fonts_alone_are_installed() -> None:
    system = FakeSystem({"chromium", "apt-get"})
    ensure_chromium(system.which, system.run, 0)
    assert system.apt_commands()[-1] == ["apt-get", *APT_OPTIONS, *INSTALL, "fonts-noto-cjk"]


def test_without_root_apt_get_runs_through_sudo_without_a_password() -> None:
    system = FakeSystem({"apt-get", "sudo"})
    ensure_chromium(system.which, system.run, 1000)
    assert system.apt_commands() == [
        ["sudo", "-n", "apt-get", *APT_OPTIONS, "update"],
        ["sudo", "-n", "apt-get", *APT_OPTIONS, *INSTALL, "chromium", "fonts-noto-cjk"]]


def test_without_root_or_a_working_sudo_chromium_is_unavailable_and_the_message_says_why() -> None:
    system = FakeSystem({"apt-get", "sudo"}, sudo_works=False)
    with pytest.raises(Unavailable, match=r"(?s)sudo -n. needs a password.*apt-get install chromium"):
        ensure_chromium(system.which, system.run, 1000)
    assert system.apt_commands() == []


def test_a_failed_apt_get_is_reported_with_its_command_and_output() -> None:
    system = FakeSystem({"apt-get"}, apt_fails_with="E: Could not resolve 'deb.debian.org'")
    with pytest.raises(Unavailable) as raised:
        ensure_chromium(system.which, system.run, 0)
    assert "apt-get -o DPkg::Lock::Timeout=300 update` exited with 100" in str(raised.value)
    assert "E: Could not resolve 'deb.debian.org'" in str(raised.value)


def test_without_apt_get_chromium_is_unavailable() -> None:
    system = FakeSystem(set())
    with pytest.raises(Unavailable, match="apt-get is not available"):
        ensure_chromium(system.which, system.run, 0)


def test_fonts_that_cannot_be_installed_only_warn_when_chromium_is_there() -> None:
    system = FakeSystem({"chromium", "apt-get"}, apt_fails_with="E: Unable to locate package")
    path, troubles = ensure_chromium(system.which, system.run, 0)
    assert path == "/usr/bin/chromium"
    assert len(troubles) == 1
    assert "fonts-noto-cjk could not be installed" in troubles[0]
