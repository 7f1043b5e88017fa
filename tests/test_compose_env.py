"""`make env`: a private .env with every secret docker compose needs, whose public keys match
its seeds, which a second run leaves as it was and an upgrade completes without touching a
value already in use; and `.env.example` names every variable it writes."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

from guiyan_devstack.compose_env import assignments, completed, seed_variable
from guiyan_eventing.identities import SYSTEM, public_key
from guiyan_eventing.nats_config import public_key_variable, public_keys

ROOT = Path(__file__).resolve().parents[1]


def make_env(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "guiyan_devstack.compose_env", str(path)],
                          capture_output=True, text=True, timeout=60)


def test_a_new_env_is_private_complete_and_stable(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    assert make_env(env).returncode == 0
    assert stat.S_IMODE(env.stat().st_mode) == 0o600
    first = env.read_text()
    values = assignments(first)
    assert public_keys(values)  # the nats container would take them
    for identity in SYSTEM:
        assert values[public_key_variable(identity)] == public_key(values[seed_variable(identity)])
    assert len(values["AUTH_SECRET"]) >= 32
    again = make_env(env)
    assert env.read_text() == first and "nothing added" in again.stdout
    assert not any(value in again.stdout for value in values.values())  # no secret printed


def test_an_older_env_keeps_its_values_and_gets_what_it_lacks() -> None:
    older = completed("")
    kept = {name: value for name, value in assignments(older).items()
            if name != "POSTGRES_PASSWORD_NOTIFICATION" and not name.startswith("NATS_PUBLIC_KEY")}
    text = "# mine\nPORTAL_PORT=8080\n" + "".join(f"{k}={v}\n" for k, v in kept.items())
    upgraded = assignments(completed(text))
    assert {name: upgraded[name] for name in kept} == kept
    assert upgraded["PORTAL_PORT"] == "8080" and upgraded["POSTGRES_PASSWORD_NOTIFICATION"]
    assert public_keys(upgraded)


def test_a_broken_seed_is_refused_by_name(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("NATS_SEED_PORTAL=SUnotaseed\n")
    refused = make_env(env)
    assert refused.returncode != 0 and "NATS_SEED_PORTAL" in refused.stderr
    assert env.read_text() == "NATS_SEED_PORTAL=SUnotaseed\n"


def test_the_example_lists_every_variable_with_a_placeholder_only() -> None:
    example = assignments((ROOT / ".env.example").read_text())
    generated = assignments(completed(""))
    assert set(generated) <= set(example)
    assert not any(value and value in example.values() for value in generated.values())
