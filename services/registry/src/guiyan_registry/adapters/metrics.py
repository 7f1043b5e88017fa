"""registry's gauges, read from its tables when Prometheus scrapes (`Service.gauge_from_database`)."""

from __future__ import annotations

from sqlalchemy import case
from sqlmodel import Session, col, func, select

from guiyan_eventing.metrics import Sample

from .orm import ProjectRow


def projects_by_status(session: Session) -> list[Sample]:
    """(city, `submitted` or `withdrawn`) → how many projects."""
    status = case((col(ProjectRow.withdrawn_at).is_(None), "submitted"), else_="withdrawn")
    rows = session.exec(select(ProjectRow.tenant_id, status, func.count())
                        .group_by(ProjectRow.tenant_id, status))
    return [((city, state), count) for city, state, count in rows]
