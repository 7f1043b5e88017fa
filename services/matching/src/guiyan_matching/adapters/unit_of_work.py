from sqlmodel import Session

from guiyan_eventing.unit_of_work import SqlUnitOfWork

from .repository import MatchingRepository
from .stats import CityFigures


class MatchingUnitOfWork(SqlUnitOfWork):
    matching: MatchingRepository
    figures: CityFigures  # the dashboard's counts

    def _open(self, session: Session) -> None:
        self.matching = MatchingRepository(session)
        self.figures = CityFigures(session)
