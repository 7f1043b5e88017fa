"""registry on a real nats-server, as the portal reaches it: the portal's identity may ask
every new question of people, stations, contacts and tasks, registry's may answer them, and
the events about people land in registry's stream. An erasure sent twice with one key is
answered alike, and the stream then holds the erasure for the other services."""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path

import pytest
from sqlmodel import select

from guiyan_contracts.models import User, UserFields
from guiyan_contracts.people import (
    ErasePerson,
    GetPerson,
    ListStations,
    Person,
    PersonErasure,
    RegisterPerson,
    RegisterStation,
    Station,
    StationList,
)
from guiyan_contracts.registry import STREAM, RegisterUser
from guiyan_eventing import rpc
from guiyan_eventing.bus import BusSettings, connect
from guiyan_eventing.identities import HARNESS, PORTAL, seed_file
from guiyan_eventing.outbox import OutboxMessage
from guiyan_registry.config import RegistrySettings
from guiyan_registry.entrypoints.app import build

from .people_records import person_fields
from .test_store import STATION


async def published(service) -> None:
    """Until the relay has every event of the outbox acknowledged by the stream."""
    for _ in range(200):
        with service.uow() as uow:
            if not uow.session.exec(select(OutboxMessage).where(
                    OutboxMessage.published_at == None)).first():  # noqa: E711
                return
        await asyncio.sleep(0.05)
    raise AssertionError("the outbox was not published")


async def last_on_stream(nats_url: str, identities: Path, subject: str) -> dict:
    connection = await connect(BusSettings(nats_url=nats_url,
                                           nats_seed_file=seed_file(identities, HARNESS)),
                               HARNESS)
    try:
        message = await connection.jetstream().get_last_msg(STREAM, subject)
        return json.loads(message.data)
    finally:
        await connection.close()


async def test_the_portal_registers_reads_and_erases_a_person_through_the_bus(
        nats_url: str, nats_identities: Path, database_url: str) -> None:
    service = build(RegistrySettings(nats_url=nats_url, database_url=database_url,
                                     nats_seed_file=seed_file(nats_identities, "registry")))
    portal = rpc.broker(BusSettings(nats_url=nats_url,
                                    nats_seed_file=seed_file(nats_identities, PORTAL)), PORTAL)
    person_id, station = f"p-{uuid.uuid4().hex[:10]}", f"s-{uuid.uuid4().hex[:10]}"
    async with service.app(), portal:
        await portal.start()
        await rpc.call(portal, RegisterUser(tenant_id="heze", user_id="staff-1", user=UserFields(
            name="赵专员", role="staff")), User)
        await rpc.call(portal, RegisterStation(tenant_id="heze", station_id=station,
                                               station=STATION), Station)
        stations = await rpc.call(portal, ListStations(tenant_id="heze", q="杭州"), StationList)
        assert [s.id for s in stations.stations] == [station]
        await rpc.call(portal, RegisterPerson(
            tenant_id="heze", person_id=person_id, registered_by="staff-1",
            person=person_fields(station_id=station)), Person)
        person = await rpc.call(portal, GetPerson(tenant_id="heze", person_id=person_id,
                                                  read_by="staff-1"), Person)
        assert person.station_id == station
        await published(service)
        registered = await last_on_stream(nats_url, nats_identities,
                                          "guiyan.registry.person.registered.v1")
        assert registered["person"]["id"] == person_id and "name" not in registered["person"]
        erase = ErasePerson(tenant_id="heze", person_id=person_id, erased_by="admin",
                            idempotency_key=f"erase-{person_id}")
        first = await rpc.call(portal, erase, PersonErasure)
        assert await rpc.call(portal, erase, PersonErasure) == first
        with pytest.raises(rpc.RemoteError) as refused:
            await rpc.call(portal, GetPerson(tenant_id="heze", person_id=person_id,
                                             read_by="staff-1"), Person)
        assert refused.value.body.kind == "not_found"
        await published(service)
        erased = await last_on_stream(nats_url, nats_identities, "guiyan.registry.person.erased.v1")
        assert erased["person_id"] == person_id
