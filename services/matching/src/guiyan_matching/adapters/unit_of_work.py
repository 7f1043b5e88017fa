from sqlmodel import Session

from guiyan_eventing.unit_of_work import SqlUnitOfWork

from .repository import MatchingRepository


class MatchingUnitOfWork(SqlUnitOfWork):
    matching: MatchingRepository

    def _open(self, session: Session) -> None:
        self.matching = MatchingRepository(session)
