"""A city's service stations, as contract models."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import func, or_
from sqlmodel import Session, select

from guiyan_contracts.people import ListStations, Station, StationFields

from .orm import StationRow
from .repository import city_ids


def _station(row: StationRow) -> Station:
    return Station(id=row.id, tenant_id=row.tenant_id, created_at=row.created_at,
                   updated_at=row.updated_at,
                   **StationFields.model_validate_json(row.fields_json).model_dump())


def _columns(station: Station) -> dict[str, object]:
    fields = StationFields.model_validate(
        station.model_dump(include=set(StationFields.model_fields)))
    return {"name": station.name, "level": station.level.value, "host_city": station.host_city,
            "host_province": station.host_province, "head_name": station.head_name,
            "updated_at": station.updated_at, "fields_json": fields.model_dump_json()}


class StationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, station: Station) -> None:
        self.session.add(StationRow(id=station.id, tenant_id=station.tenant_id,
                                    created_at=station.created_at, **_columns(station)))

    def replace(self, station: Station) -> None:
        row = self.session.get(StationRow, station.id)
        assert row is not None and row.tenant_id == station.tenant_id
        for column, value in _columns(station).items():
            setattr(row, column, value)

    def get(self, tenant_id: str, station_id: str) -> Station | None:
        row = self.session.get(StationRow, station_id)
        return _station(row) if row and row.tenant_id == tenant_id else None

    def taken(self, station_id: str) -> bool:
        """Whether any city already uses this id: ids are global keys."""
        return self.session.get(StationRow, station_id) is not None

    def named(self, tenant_id: str, name: str) -> str | None:
        """The id of the city's station of this name, if there is one."""
        query = select(StationRow.id).where(StationRow.tenant_id == tenant_id,
                                            StationRow.name == name)
        return self.session.exec(query).first()

    def ids(self, tenant_id: str, among: Collection[str] | None = None) -> set[str]:
        """The city's station ids, without reading each station: a ledger's rows are checked
        against them all at once. With `among`, only those of them: a project or a person
        names one, on every write."""
        return city_ids(self.session, StationRow, tenant_id, among)

    def page(self, query: ListStations) -> tuple[list[Station], int]:
        where = [StationRow.tenant_id == query.tenant_id]
        if query.q:
            where.append(or_(*(column.icontains(query.q, autoescape=True)  # type: ignore[attr-defined]
                               for column in (StationRow.name, StationRow.host_city,
                                              StationRow.head_name))))
        if query.level:
            where.append(StationRow.level == query.level.value)
        if query.province:
            where.append(StationRow.host_province == query.province)
        total = self.session.exec(select(func.count()).select_from(StationRow).where(*where)).one()
        rows = self.session.exec(select(StationRow).where(*where)
                                 .order_by(StationRow.name, StationRow.id)  # type: ignore[arg-type]
                                 .limit(query.limit).offset(query.offset))
        return [_station(row) for row in rows], total
