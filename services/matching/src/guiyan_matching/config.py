import socket

from pydantic import Field

from guiyan_eventing.settings import ServiceSettings


class MatchingSettings(ServiceSettings):
    database_url: str = "sqlite:///var/matching.db"
    # Changes arriving within this window are planned together.
    plan_debounce_seconds: float = 1.0
    # How often a city's leader reads the changes that other replicas recorded; those recorded
    # by the leader itself are read at once (while a solve runs, only if none waits yet).
    plan_poll_seconds: float = Field(default=0.5, gt=0, le=60)
    # This replica's name on the leases it holds: a restarted replica takes its own leases
    # back at once, so replicas need names of their own (the host name is, in a container).
    replica_name: str = Field(default_factory=socket.gethostname, min_length=1, max_length=100)
    solver_time_limit_seconds: float = 5.0
    solver_workers: int = 2
    # Solves run this much nicer (Linux nice, 0-19) than the service's own work: under a burst
    # the replies, acks and commits come first, and the solver has what is left.
    solver_niceness: int = Field(default=10, ge=0, le=19)
    # Each what-if preview solves the city twice (as it is, and changed), this long each.
    preview_time_limit_seconds: float = Field(default=2.0, gt=0, le=60)
    # An offer not decided within its time to live expires; its park's managers are reminded
    # this long before.
    offer_ttl_seconds: float = 7 * 24 * 3600
    offer_reminder_seconds: float = 24 * 3600
    expiry_sweep_seconds: float = 5.0
    # hold: pending offers keep their park (the default). reoptimise: the plan may move them,
    # each move costing `move_penalty` score points (in Heze's policy a chain-role step is worth 10,000).
    plan_mode: str = Field(default="hold", pattern="^(hold|reoptimise)$")
    move_penalty: float = Field(default=2000.0, ge=0)
