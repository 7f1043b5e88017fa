from sqlmodel import Session, col, select

from guiyan_eventing.unit_of_work import SqlUnitOfWork

from .orm import Channel, Preference, Recipient


class NotificationUnitOfWork(SqlUnitOfWork):
    """notification's tables are few and simple: handlers use the session directly. What telling
    reads for every event (its recipients, the city's channels, a user's preference) is read once
    a transaction: a batch holds a plan's offers, a hundred at a time, to a few dozen managers."""

    def _open(self, session: Session) -> None:
        self._recipients: dict[str, Recipient] = {}
        # Only requests change these, each in a transaction of its own.
        self._channels: dict[str, list[Channel]] = {}
        self._preferences: dict[tuple[str, str], Preference | None] = {}

    def recipient(self, user_id: str) -> Recipient | None:
        """The user as recorded. The session's identity map holds rows weakly, so each event
        would read its recipients again; a user recorded later in the batch is found then, as
        only those found are kept (a later update merges into the kept row)."""
        if user_id not in self._recipients:
            found = self.session.get(Recipient, user_id)
            if found is None:
                return None
            self._recipients[user_id] = found
        return self._recipients[user_id]

    def channels(self, city: str) -> list[Channel]:
        """The city's enabled channels."""
        if city not in self._channels:
            self._channels[city] = list(self.session.exec(
                select(Channel).where(Channel.tenant_id == city).where(col(Channel.enabled))))
        return self._channels[city]

    def preference(self, user_id: str, kind: str) -> Preference | None:
        """The media the user chose for the kind, or None where they chose nothing."""
        key = (user_id, kind)
        if key not in self._preferences:
            self._preferences[key] = self.session.get(Preference, key)
        return self._preferences[key]
