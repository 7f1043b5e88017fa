"""What names a person, for their erasure to find, and a logged filter without it."""

from __future__ import annotations

import json
from dataclasses import dataclass

# A logged filter that named only the erased person: the log keeps that it was filtered by.
ERASED = "(erased)"


@dataclass(frozen=True)
class PersonTrace:
    person_id: str
    name: str
    phone: str | None

    def texts(self) -> list[str]:
        """The name and phone as they appear in text, raw and as JSON escapes them (a ledger's
        staged row is kept in ASCII JSON)."""
        texts = [self.name, *([self.phone] if self.phone else [])]
        return list(dict.fromkeys([*texts, *(json.dumps(text)[1:-1] for text in texts)]))

    def words(self) -> list[str]:
        return [self.person_id, *self.texts()]

    def names(self, value: str) -> bool:
        """Whether one item of a filter (a name searched for, one of many ids) is the person:
        the id whole (`p1` is not in `p10`), the name or phone anywhere in it."""
        return value == self.person_id or any(text in value for text in self.texts())


def scrubbed(filters: dict[str, str], trace: PersonTrace) -> dict[str, str]:
    """The filters without the person: dropped from a list of ids, or a search for their name
    marked erased."""
    kept = {}
    for key, value in filters.items():
        items = value.split(",")
        remaining = [item for item in items if not trace.names(item)]
        if len(remaining) == len(items):
            kept[key] = value
        else:
            kept[key] = ",".join(remaining) if remaining else ERASED
    return kept
