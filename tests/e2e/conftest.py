"""The whole system as separate processes on a nats-server of the tests' own, with the demo parks."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

import httpx
import pytest

from guiyan_contracts.models import Role
from guiyan_devstack import demo
from guiyan_devstack.stack import Stack
from guiyan_eventing.bus import connect
from guiyan_eventing.identities import HARNESS
from guiyan_portal.auth import mint_token

from ..system import running_stack

EXTRA_CITIES = ("jining",)  # configured through CITIES_DIR, as ops add a city


def extra_cities(root: Path) -> Path:
    """Each extra city gets Heze's taxonomy and policy under its own name."""
    for kind, package in (("taxonomies", "guiyan_contracts.taxonomies"),
                          ("policies", "guiyan_matching.policies")):
        heze = files(package).joinpath("heze.toml").read_text("utf-8")
        (root / kind).mkdir(parents=True)
        for city in EXTRA_CITIES:
            (root / kind / f"{city}.toml").write_text(heze.replace('city = "heze"',
                                                                   f'city = "{city}"'))
    return root


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory,
          postgres_database: Callable[[], str] | None) -> Iterator[Stack]:
    cities = extra_cities(tmp_path_factory.mktemp("cities"))
    with running_stack(tmp_path_factory.mktemp("stack"), postgres_database,
                       {"PLAN_DEBOUNCE_SECONDS": "0.1", "ACK_WAIT_SECONDS": "5",
                        "DIGEST_SECONDS": "0", "CHANNEL_PRIVATE_ADDRESSES": "true",
                        "CITIES_DIR": str(cities)}) as running:
        yield running


@pytest.fixture(scope="session")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A system of its own, of two cities, for tests that write freely (the access matrix,
    fuzzing) and must not move the parks other tests count on."""
    cities = extra_cities(tmp_path_factory.mktemp("scratch-cities"))
    with running_stack(tmp_path_factory.mktemp("scratch"), None, {
            "PLAN_DEBOUNCE_SECONDS": "0.1", "PREVIEW_TIME_LIMIT_SECONDS": "0.2",
            "CHANNEL_PRIVATE_ADDRESSES": "true", "CITIES_DIR": str(cities)}) as running:
        yield running


@pytest.fixture(scope="session")
def tokens(stack: Stack) -> dict[str, Any]:
    return demo.tokens(stack.config.auth_secret)


class Api:
    """The portal as one role sees it."""

    def __init__(self, base_url: str, token: str) -> None:
        self.client = httpx.Client(base_url=base_url, timeout=30,
                                   headers={"Authorization": f"Bearer {token}"})

    def get(self, path: str, **params: Any) -> Any:
        response = self.client.get(path, params=params)
        assert response.status_code == 200, response.text
        return response.json()

    def items(self, path: str, **params: Any) -> list[Any]:
        """Every item of a list, a page at a time."""
        found: list[Any] = []
        while True:
            page = self.get(path, **params, offset=len(found))
            found += page["items"]
            if not page["items"] or len(found) >= page["total"]:
                return found

    def post(self, path: str, body: dict[str, Any] | None = None, expect: int = 200) -> Any:
        response = self.client.post(path, json=body or {})
        assert response.status_code == expect, response.text
        return response.json()


@pytest.fixture(scope="session")
def in_city(stack: Stack) -> Callable[[str, Role], Api]:
    """The portal as a user of another city sees it."""
    def api(city: str, role: Role) -> Api:
        token = mint_token(stack.config.auth_secret, f"{city}-{role.value}", city, role)
        return Api(stack.portal_url, token)

    return api


@pytest.fixture(scope="session")
def as_role(stack: Stack, tokens: dict[str, Any]) -> Callable[[str], Api]:
    def api(role: str) -> Api:
        token = tokens["managers"][role] if role in tokens["managers"] else tokens[role]
        return Api(stack.portal_url, token)

    return api


def publish(stack: Stack, subject: str, bodies: list[bytes]) -> None:
    """Raw messages into a stream, as a forger or a broken producer would send them."""
    async def send() -> None:
        connection = await connect(stack.bus(HARNESS), HARNESS)
        js = connection.jetstream()
        for body in bodies:
            await js.publish(subject, body)
        await connection.close()

    asyncio.run(send())


def eventually(check: Callable[[], Any], timeout: float = 30.0, every: float = 0.1) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"not met within {timeout}s: {check}")
        time.sleep(every)


def station_of(admin: Api, city: str) -> str:
    """A service station of `city`'s own, for its projects to come from: the demo's stations are
    Heze's, and a station's id is one across cities. Registered again, it changes nothing."""
    station_id = f"{city}-hangzhou"
    admin.post("/api/v1/stations", {"id": station_id, "name": "杭州站", "level": "city",
                                    "host_city": "杭州", "host_province": "zhejiang",
                                    "head_name": "孔德华"}, expect=201)
    return station_id


def project(**overrides: Any) -> dict[str, Any]:
    """A small floor-space project that the demo incubator and parks can take, recommended by
    the demo's Hangzhou station."""
    return {"name": "尧舜汉服设计工作室", "founder": "张海燕", "source": "hangzhou",
            "hometown_county": "caoxian", "sector": "textiles_apparel", "chain": "hanfu",
            "link": "design_pattern", "floor_m2": 200, "investment_yuan": 1_000_000, "jobs": 8,
            "registered_on": "2026-06-01", **overrides}


def station(**overrides: Any) -> dict[str, Any]:
    """A city-level service station among natives working in Hangzhou."""
    return {"name": "测试杭州站", "level": "city", "host_city": "杭州", "host_province": "zhejiang",
            "head_name": "孙站长", "head_phone": "13900000001", **overrides}


def person(**overrides: Any) -> dict[str, Any]:
    """A native of Caoxian running a Hanfu design firm in Hangzhou, who agreed to be contacted."""
    return {"name": "刘在外", "phone": "13800000001", "status": "away",
            "hometown_county": "caoxian", "current_province": "zhejiang", "current_city": "杭州",
            "sector": "textiles_apparel", "chain": "hanfu", "link": "design_pattern",
            "role": "entrepreneur", "enterprise": "杭州汉韵服饰有限公司",
            "enterprise_scale": "medium", "influence": "notable", "contact_consent": True,
            "consent_on": "2026-01-05", "consent_source": "written", **overrides}
