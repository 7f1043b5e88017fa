"""An in-memory unit of work for the handlers of stations, people, contacts and tasks: the
repositories' methods those handlers use, over dicts, and the events emitted in a list."""

from __future__ import annotations

from collections.abc import Collection

from guiyan_contracts.envelope import Event
from guiyan_contracts.models import User
from guiyan_contracts.people import Contact, Person, PersonalDataRead, Station, Task


class FakeRegistry:
    def __init__(self, users: dict[str, User], park_ids: set[str]) -> None:
        self._users, self._park_ids = users, park_ids

    def users(self, tenant_id: str) -> dict[str, User]:
        return {i: u for i, u in self._users.items() if u.tenant_id == tenant_id}

    def park_ids(self, tenant_id: str, among: Collection[str] | None = None) -> set[str]:
        return self._park_ids if among is None else self._park_ids & set(among)


class Records:
    """Records of one kind by id, each of a city."""

    def __init__(self) -> None:
        self.by_id: dict[str, Station | Person | Contact | Task] = {}

    def put(self, record) -> None:
        self.by_id[record.id] = record

    def get(self, tenant_id: str, record_id: str):
        record = self.by_id.get(record_id)
        return record if record is not None and record.tenant_id == tenant_id else None

    def taken(self, record_id: str) -> bool:
        return record_id in self.by_id


class FakeStations(Records):
    add = replace = Records.put

    def named(self, tenant_id: str, name: str) -> str | None:
        return next((s.id for s in self.by_id.values()
                     if s.tenant_id == tenant_id and s.name == name), None)

    def ids(self, tenant_id: str, among: Collection[str] | None = None) -> set[str]:
        found = {s.id for s in self.by_id.values() if s.tenant_id == tenant_id}
        return found if among is None else found & set(among)


class FakePeople(Records):
    add = replace = Records.put

    def __init__(self) -> None:
        super().__init__()
        self.reads: list[PersonalDataRead] = []

    def many(self, tenant_id: str, person_ids: list[str]) -> list[Person]:
        return [p for i in person_ids if (p := self.get(tenant_id, i)) is not None]

    def log_read(self, read: PersonalDataRead) -> None:
        self.reads.append(read)


class FakeFollowUps:
    def __init__(self) -> None:
        self.contacts, self.tasks = Records(), Records()
        self.add_contact, self.contact = self.contacts.put, self.contacts.get
        self.contact_taken = self.contacts.taken
        self.add_task = self.replace_task = self.tasks.put
        self.task, self.task_taken = self.tasks.get, self.tasks.taken


class FakeUnitOfWork:
    def __init__(self, users: dict[str, User], park_ids: set[str] = frozenset()) -> None:
        self.registry = FakeRegistry(users, set(park_ids))
        self.stations = FakeStations()
        self.people = FakePeople()
        self.follow_ups = FakeFollowUps()
        self.events: list[Event] = []

    def emit(self, event: Event) -> None:
        self.events.append(event)
