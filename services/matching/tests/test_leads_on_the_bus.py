"""matching against a real nats-server: registry's person events reach it through its durable
consumer, `LeadsComputed` goes out through its outbox, the leads query is answered on the bus,
and an erasure leaves nothing of the person in its database."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy import inspect, text

from guiyan_contracts.matching import GetParkLeads, LeadsComputed, ParkLeads
from guiyan_contracts.people import PersonErased, PersonRegistered
from guiyan_contracts.registry import ParkRegistered
from guiyan_eventing import rpc
from guiyan_eventing.runtime import Service
from guiyan_eventing.schema import Tables
from guiyan_eventing.settings import ServiceSettings
from guiyan_eventing.unit_of_work import SqlUnitOfWork
from guiyan_matching.config import MatchingSettings
from guiyan_matching.entrypoints.app import build

from .test_people_and_leads import facts, hanfu_park


async def eventually(check, timeout: float = 20.0):
    deadline = asyncio.get_running_loop().time() + timeout
    while not (result := check()):
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)
    return result


def dump(service) -> str:
    with service.uow() as uow:
        tables = inspect(uow.session.get_bind()).get_table_names()
        return "\n".join(str(row) for table in tables
                         for row in uow.session.execute(text(f'SELECT * FROM "{table}"')))


async def test_leads_follow_people_on_the_bus_and_an_erasure_leaves_nothing(nats_url, tmp_path
                                                                             ) -> None:
    tag = uuid.uuid4().hex[:8]  # this test's own park and people, whatever else the stream holds
    park_id, keen, shy = f"park-{tag}", f"keen-{tag}", f"shy-{tag}"
    matching = build(MatchingSettings(nats_url=nats_url,
                                      database_url=f"sqlite:///{tmp_path / 'matching.db'}"))
    registry = Service("registry-stand-in", ServiceSettings(
        nats_url=nats_url, database_url=f"sqlite:///{tmp_path / 'registry.db'}"), Tables([]), SqlUnitOfWork)
    heard: list[ParkLeads] = []

    async def on_leads(message) -> None:
        leads = LeadsComputed.model_validate_json(message.data).leads
        if leads.park_id == park_id:
            heard.append(leads)

    async def publish(*events) -> None:
        with registry.uow() as uow:
            for event in events:
                uow.emit(event)
            uow.commit()
        await registry.relay.publish_pending()

    async with matching.app(), registry.app():
        await registry.broker.connection.subscribe(LeadsComputed.SUBJECT, cb=on_leads)
        await publish(
            ParkRegistered(producer="registry", tenant_id="heze", park=hanfu_park(park_id)),
            PersonRegistered(producer="registry", tenant_id="heze", person=facts(keen)),
            PersonRegistered(producer="registry", tenant_id="heze",
                             person=facts(shy, enterprise_scale="large", contact_consent=False)))
        await eventually(lambda: heard and [lead.person_id for lead in heard[-1].links[0].leads]
                         == [keen])
        assert heard[-1].links[0].link == "design_pattern"

        answered = await rpc.call(registry.broker, GetParkLeads(tenant_id="heze", park_id=park_id),
                                  ParkLeads)
        assert [lead.person_id for lead in answered.links[0].leads] == [keen]
        assert shy not in answered.model_dump_json()

        await publish(PersonErased(producer="registry", tenant_id="heze", person_id=keen),
                      PersonErased(producer="registry", tenant_id="heze", person_id=shy))
        await eventually(lambda: heard[-1].links[0].leads == [])
        await eventually(lambda: keen not in dump(matching) and shy not in dump(matching))
