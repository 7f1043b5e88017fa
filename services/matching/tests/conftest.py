"""matching's store tests: a real database per test (SQLite, and PostgreSQL when configured),
and small parks and projects to fill it with."""

from __future__ import annotations

from datetime import UTC, date, datetime
from importlib.resources import files

import pytest
from pydantic import BaseModel
from sqlmodel import select

from guiyan_contracts.models import Park, Project
from guiyan_contracts.registry import ParkRegistered
from guiyan_contracts.taxonomy import configured_cities, load_taxonomy
from guiyan_eventing.db import make_engine
from guiyan_eventing.request_transaction import answer_in_transaction
from guiyan_eventing.schema import Tables
from guiyan_matching.adapters.orm import TABLES, ProposalRow
from guiyan_matching.adapters.policies import load_policy
from guiyan_matching.adapters.unit_of_work import MatchingUnitOfWork
from guiyan_matching.service_layer import handlers

NOW = datetime(2026, 11, 1, tzinfo=UTC)


def park(park_id: str, floor_m2: float, county: str = "caoxian") -> Park:
    return Park(id=park_id, tenant_id="heze", created_at=NOW, name=f"园区{park_id}",
                kind="return_home_park", county=county, sectors=["textiles_apparel"],
                floor_m2=floor_m2, manager_ids=[f"mgr-{park_id}"])


def project(project_id: str, floor_m2: float = 200) -> Project:
    return Project(id=project_id, tenant_id="heze", submitted_by="staff", submitted_at=NOW,
                   name=f"项目{project_id}", founder="张", source="杭州站", hometown_county="caoxian",
                   sector="textiles_apparel", chain="hanfu", link="design_pattern",
                   floor_m2=floor_m2, investment_yuan=1e6, jobs=8,
                   registered_on=date(2026, 3, 1))


@pytest.fixture
def uow(database_url: str):
    engine = make_engine(database_url)
    Tables(TABLES).prepare(engine)
    yield lambda: MatchingUnitOfWork(engine)
    engine.dispose()


def record(uow, *events) -> None:
    for event in events:
        with uow() as unit:
            if isinstance(event, ParkRegistered):
                handlers.record_park(event, unit)
            else:
                handlers.record_project(event, unit)
            unit.commit()


def answer(uow, handler, request):
    """`handler(request, unit)` as the running service answers a request."""
    return answer_in_transaction(request, uow, handler, BaseModel)


def live_proposals(uow) -> list[ProposalRow]:
    with uow() as unit:
        return [ProposalRow.model_validate(r.model_dump()) for r in unit.session.exec(select(ProposalRow))
                if r.status in ("offered", "accepted")]


@pytest.fixture
def jining(tmp_path, monkeypatch):
    """A second city, configured as ops add one: Heze's taxonomy and policy under `CITIES_DIR`."""
    for kind, package in (("taxonomies", "guiyan_contracts.taxonomies"),
                          ("policies", "guiyan_matching.policies")):
        heze = files(package).joinpath("heze.toml").read_text("utf-8")
        (tmp_path / kind).mkdir()
        (tmp_path / kind / "jining.toml").write_text(heze.replace('city = "heze"', 'city = "jining"'))
    monkeypatch.setenv("CITIES_DIR", str(tmp_path))
    caches = (configured_cities, load_taxonomy, load_policy)
    for cached in caches:
        cached.cache_clear()
    yield "jining"
    monkeypatch.delenv("CITIES_DIR")
    for cached in caches:
        cached.cache_clear()
