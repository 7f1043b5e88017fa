"""Debian's Chromium, and CJK fonts so that screenshots show Chinese, installed with apt-get when
missing. Playwright's own browser download is never used: the tests must run where only the
distribution's mirror can be reached."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Sequence

BROWSER = "chromium"
CJK_FONTS = "fonts-noto-cjk"
# Another apt-get (an unattended upgrade, a parallel job) may hold dpkg's lock for a while.
APT_OPTIONS = ("-o", "DPkg::Lock::Timeout=300")
OUTPUT_TAIL_LINES = 20

Run = Callable[..., subprocess.CompletedProcess[str]]
Which = Callable[[str], str | None]


class Unavailable(Exception):
    """Chromium is missing and could not be installed; the message says why and what to do."""


def has_cjk_font(run: Run = subprocess.run) -> bool:
    try:
        listed = run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False)
    except FileNotFoundError:  # no fontconfig yet: Chromium's package brings it
        return False
    return bool(listed.stdout.strip())


def missing_packages(which: Which = shutil.which, run: Run = subprocess.run) -> list[str]:
    return [package for package, present in ((BROWSER, which(BROWSER) is not None),
                                             (CJK_FONTS, has_cjk_font(run)))
            if not present]


def as_root(which: Which, run: Run, effective_uid: int) -> list[str]:
    """The prefix that runs a command as root without asking anyone for a password."""
    if effective_uid == 0:
        return []
    if which("sudo") is None:
        raise Unavailable("not running as root, and sudo is not installed")
    probe = run(["sudo", "-n", "true"], capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        raise Unavailable(f"not running as root, and `sudo -n` needs a password: {probe.stderr.strip()}")
    return ["sudo", "-n"]


def apt_get(prefix: list[str], arguments: Sequence[str], run: Run) -> None:
    command = [*prefix, "apt-get", *APT_OPTIONS, *arguments]
    finished = run(command, capture_output=True, text=True, check=False,
                   env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    if finished.returncode != 0:
        output = (finished.stdout + finished.stderr).strip().splitlines()[-OUTPUT_TAIL_LINES:]
        raise Unavailable(f"`{' '.join(command)}` exited with {finished.returncode}:\n"
                          + "\n".join(output))


def install(packages: Sequence[str], which: Which = shutil.which, run: Run = subprocess.run,
            effective_uid: int | None = None) -> None:
    if which("apt-get") is None:
        raise Unavailable("apt-get is not available (the set-up knows only Debian and Ubuntu)")
    prefix = as_root(which, run, os.geteuid() if effective_uid is None else effective_uid)
    apt_get(prefix, ["update"], run)
    apt_get(prefix, ["install", "-y", "--no-install-recommends", *packages], run)


def ensure_chromium(which: Which = shutil.which, run: Run = subprocess.run,
                    effective_uid: int | None = None) -> tuple[str, list[str]]:
    """Chromium's path, and warnings (CJK fonts that could not be installed). Raises Unavailable
    when Chromium is missing and cannot be installed."""
    missing = missing_packages(which, run)
    warnings: list[str] = []
    if missing:
        try:
            install(missing, which, run, effective_uid)
        except Unavailable as why:
            if BROWSER in missing:
                raise Unavailable(
                    f"Chromium is not installed and installing it failed: {why}\n"
                    f"Install it as root: apt-get install {BROWSER} {CJK_FONTS}") from None
            warnings.append(f"{CJK_FONTS} could not be installed, so screenshots show no "
                            f"Chinese: {why}")
    path = which(BROWSER)
    if path is None:
        raise Unavailable(f"apt-get installed {', '.join(missing)}, yet `{BROWSER}` is not on PATH")
    return path, warnings
