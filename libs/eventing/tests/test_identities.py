"""Identities on the bus: seeds kept private and stable, and a server configuration that lists
each identity with no more than its own permissions."""

from __future__ import annotations

import stat
import subprocess

from guiyan_eventing.identities import (
    HARNESS,
    SYSTEM,
    authorization,
    issue_identities,
    permissions,
    seed_file,
)
from guiyan_eventing.natsd import nats_server_binary


def test_seeds_are_readable_by_their_owner_only_and_survive_a_second_issue(tmp_path) -> None:
    first = issue_identities(tmp_path)
    again = issue_identities(tmp_path)
    assert first == again and set(first) == set(SYSTEM)
    for identity in SYSTEM:
        mode = stat.S_IMODE(seed_file(tmp_path, identity).stat().st_mode)
        assert mode == 0o600, identity
    assert len(set(first.values())) == len(SYSTEM)  # one key each


def test_the_server_takes_the_configuration_it_is_given(tmp_path) -> None:
    config = tmp_path / "nats.conf"
    config.write_text('listen: "127.0.0.1:4999"\n' + authorization(issue_identities(tmp_path)))
    checked = subprocess.run([nats_server_binary(), "-c", str(config), "-t"],
                             capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_service_may_publish_only_its_own_events_and_answer_only_its_own_requests() -> None:
    notification = permissions("notification")
    assert not any(s.startswith("guiyan.registry") or s.startswith("guiyan.matching")
                   for s in notification.publish)
    assert "guiyan.registry.>" in permissions("registry").publish
    assert not any(s.startswith("guiyan.cmd") for s in permissions("matching").publish)
    assert set(permissions("matching").subscribe) == {
        "guiyan.cmd.matching.>", "guiyan.query.matching.>", "_INBOX.matching.>"}
    assert "guiyan.cmd.>" in permissions("portal").publish
    assert permissions(HARNESS).publish == (">",) and HARNESS not in SYSTEM
