from sqlmodel import Session

from guiyan_eventing.unit_of_work import SqlUnitOfWork

from .ledgers import LedgerRepository
from .repository import RegistryRepository


class RegistryUnitOfWork(SqlUnitOfWork):
    registry: RegistryRepository
    ledgers: LedgerRepository

    def _open(self, session: Session) -> None:
        self.registry = RegistryRepository(session)
        self.ledgers = LedgerRepository(session)
