from collections.abc import Callable

from sqlmodel import Session

from guiyan_eventing.unit_of_work import SqlUnitOfWork

from .city_planning import CityPlanning
from .leads import LeadsStore
from .people import PeopleRepository
from .plan_queue import PlanQueue
from .repository import MatchingRepository
from .stats import CityFigures


class MatchingUnitOfWork(SqlUnitOfWork):
    matching: MatchingRepository
    figures: CityFigures  # the dashboard's counts
    people: PeopleRepository  # the people leads are made of
    leads: LeadsStore
    plan_queue: PlanQueue  # the changes waiting to be planned
    city_planning: CityPlanning  # each city's term and solve under way

    def _open(self, session: Session) -> None:
        self.matching = MatchingRepository(session)
        self.figures = CityFigures(session)
        self.people = PeopleRepository(session)
        self.leads = LeadsStore(session)
        self.plan_queue = PlanQueue(session)
        self.city_planning = CityPlanning(session)
        self.leads_due: set[tuple[str, str]] = set()  # (city, park): leads to compute again
        self._before_commit: dict[str, Callable[[], None]] = {}

    def before_commit(self, name: str, work: Callable[[], None]) -> None:
        """`work` runs once as the transaction commits, however many times it is asked for
        under `name`: what each event of a batch makes due (a park's leads) is done once."""
        self._before_commit.setdefault(name, work)

    def commit(self) -> None:
        while self._before_commit:
            self._before_commit.pop(next(iter(self._before_commit)))()
        super().commit()
