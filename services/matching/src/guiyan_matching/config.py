from guiyan_eventing.settings import ServiceSettings


class MatchingSettings(ServiceSettings):
    database_url: str = "sqlite:///var/matching.db"
    # Changes arriving within this window are planned together.
    plan_debounce_seconds: float = 0.3
    solver_time_limit_seconds: float = 5.0
    solver_workers: int = 2
