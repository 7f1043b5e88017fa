from sqlmodel import Session

from guiyan_eventing.unit_of_work import SqlUnitOfWork

from .follow_ups import FollowUpRepository
from .ledgers import LedgerRepository
from .people import PeopleRepository
from .repository import RegistryRepository
from .stations import StationRepository
from .traces import TraceRepository


class RegistryUnitOfWork(SqlUnitOfWork):
    registry: RegistryRepository
    ledgers: LedgerRepository
    stations: StationRepository
    people: PeopleRepository
    follow_ups: FollowUpRepository
    traces: TraceRepository

    def _open(self, session: Session) -> None:
        self.registry = RegistryRepository(session)
        self.ledgers = LedgerRepository(session)
        self.stations = StationRepository(session)
        self.people = PeopleRepository(session)
        self.follow_ups = FollowUpRepository(session)
        self.traces = TraceRepository(session)
