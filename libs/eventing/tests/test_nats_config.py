"""The nats container's configuration, rendered from public keys in the environment: the server
takes it, a process whose seed comes from its environment (NATS_SEED) gets in as its identity,
and a key missing, mistyped or swapped for a seed stops the server before it starts."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import nats
import pytest
from nats.errors import NoServersError
from pydantic import ValidationError

from guiyan_eventing.bus import BusSettings, connect
from guiyan_eventing.identities import OPS, SYSTEM, new_seed, public_key
from guiyan_eventing.nats_config import (
    MissingIdentity,
    is_user_public_key,
    main,
    public_key_variable,
    public_keys,
    render,
)
from guiyan_eventing.natsd import free_port, nats_server_binary, port_is_open


@pytest.fixture(scope="module")
def seeds() -> dict[str, str]:
    return {identity: new_seed() for identity in SYSTEM}


def environment_of(seeds: dict[str, str]) -> dict[str, str]:
    return {public_key_variable(identity): public_key(seed) for identity, seed in seeds.items()}


def eventually_open(port: int, process: subprocess.Popen[bytes]) -> None:
    for _ in range(200):
        if port_is_open(port):
            return
        assert process.poll() is None, "nats-server exited"
        time.sleep(0.05)
    raise AssertionError(f"nats-server did not listen on {port}")


def test_every_missing_or_malformed_key_is_named(seeds: dict[str, str]) -> None:
    environment = environment_of(seeds)
    del environment["NATS_PUBLIC_KEY_PORTAL"]
    environment["NATS_PUBLIC_KEY_OPS"] = seeds[OPS]  # a seed pasted where its key belongs
    key = environment["NATS_PUBLIC_KEY_MATCHING"]
    environment["NATS_PUBLIC_KEY_MATCHING"] = key[:-1] + ("A" if key[-1] != "A" else "B")
    with pytest.raises(MissingIdentity) as refused:
        public_keys(environment)
    assert all(name in str(refused.value) for name in (
        "NATS_PUBLIC_KEY_PORTAL", "NATS_PUBLIC_KEY_OPS", "NATS_PUBLIC_KEY_MATCHING"))
    assert "NATS_PUBLIC_KEY_REGISTRY" not in str(refused.value)
    assert seeds[OPS] not in str(refused.value)
    assert not is_user_public_key("") and not is_user_public_key("not base32!")


def test_without_its_keys_the_entrypoint_writes_nothing_and_says_why(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base, out = tmp_path / "base.conf", tmp_path / "nats.conf"
    base.write_text('listen: "127.0.0.1:4999"\n')
    assert main([str(base), str(out)], environment={}) == 1
    assert not out.exists()
    assert "NATS_PUBLIC_KEY_REGISTRY" in capsys.readouterr().err
    assert main([str(tmp_path / "absent.conf"), str(out)], environment={}) == 1
    assert main([str(base)], environment={}) == 2


async def test_a_process_with_its_seed_in_the_environment_gets_in_and_no_one_else(
        tmp_path: Path, seeds: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    port = free_port()
    base, rendered = tmp_path / "base.conf", tmp_path / "nats.conf"
    base.write_text(f'listen: "127.0.0.1:{port}"\n')
    assert main([str(base), str(rendered)], environment=environment_of(seeds)) == 0
    checked = subprocess.run([nats_server_binary(), "-c", str(rendered), "-t"],
                             capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert not any(seed in rendered.read_text() for seed in seeds.values())

    process = subprocess.Popen([nats_server_binary(), "-c", str(rendered)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        eventually_open(port, process)
        monkeypatch.delenv("NATS_SEED_FILE", raising=False)
        monkeypatch.setenv("NATS_SEED", seeds["registry"])
        settings = BusSettings(nats_url=f"nats://127.0.0.1:{port}")
        assert "SU" not in repr(settings)  # the seed stays out of logs and tracebacks
        connection = await connect(settings, "registry")
        await connection.publish("guiyan.registry.heze.test", b"{}")
        await connection.flush()
        await connection.close()

        stranger = BusSettings(nats_url=settings.nats_url, nats_seed=new_seed())
        for refused in (connect(stranger, "registry", allow_reconnect=False),
                        nats.connect(settings.nats_url, allow_reconnect=False)):
            with pytest.raises((NoServersError, nats.errors.Error)):
                await refused
    finally:
        process.terminate()
        process.wait(10)


def test_a_seed_is_given_one_way_only(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="NATS_SEED_FILE or NATS_SEED"):
        BusSettings(nats_seed_file=tmp_path / "ops.nk", nats_seed=new_seed())
    with pytest.raises(ValidationError, match="NATS_SEED is empty"):
        BusSettings(nats_seed_file=None, nats_seed=" ")


CLUSTER_BASE = ('cluster { authorization { user: route, password: "${NATS_ROUTE_PASSWORD}" }\n'
                '  routes: ["nats-route://route:${NATS_ROUTE_PASSWORD}@nats-2:6222"] }\n')


def test_a_cluster_node_gets_its_route_password_in_its_routes_and_authorization() -> None:
    seeds = {identity: new_seed() for identity in SYSTEM}
    password = "a" * 48
    rendered = render(CLUSTER_BASE, {**environment_of(seeds), "NATS_ROUTE_PASSWORD": password})
    assert "${" not in rendered
    assert f'password: "{password}"' in rendered
    assert f"nats-route://route:{password}@nats-2:6222" in rendered


@pytest.mark.parametrize("password", [None, "", "short", "x" * 40 + "@evil:1/"])
def test_a_cluster_node_without_a_sound_route_password_does_not_start(password) -> None:
    environment = environment_of({identity: new_seed() for identity in SYSTEM})
    if password is not None:
        environment["NATS_ROUTE_PASSWORD"] = password
    with pytest.raises(MissingIdentity, match="NATS_ROUTE_PASSWORD"):
        render(CLUSTER_BASE, environment)
