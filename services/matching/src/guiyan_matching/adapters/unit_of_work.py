from sqlmodel import Session

from guiyan_eventing.unit_of_work import SqlUnitOfWork

from .leads import LeadsStore
from .people import PeopleRepository
from .repository import MatchingRepository
from .stats import CityFigures


class MatchingUnitOfWork(SqlUnitOfWork):
    matching: MatchingRepository
    figures: CityFigures  # the dashboard's counts
    people: PeopleRepository  # the people leads are made of
    leads: LeadsStore

    def _open(self, session: Session) -> None:
        self.matching = MatchingRepository(session)
        self.figures = CityFigures(session)
        self.people = PeopleRepository(session)
        self.leads = LeadsStore(session)
