from sqlmodel import Session

from guiyan_eventing.unit_of_work import SqlUnitOfWork

from .repository import RegistryRepository


class RegistryUnitOfWork(SqlUnitOfWork):
    registry: RegistryRepository

    def _open(self, session: Session) -> None:
        self.registry = RegistryRepository(session)
