"""Requests every service answers, and the dead-letter stream every consumer parks into."""

from __future__ import annotations

from typing import Any

from .envelope import Contract

DLQ_STREAM = "GUIYAN_DLQ"
DLQ_SUBJECTS = "guiyan.dlq.>"
SERVICES = ("registry", "matching", "notification")


def health_subject(service: str) -> str:
    return f"guiyan.query.{service}.health.v1"


def asyncapi_subject(service: str) -> str:
    return f"guiyan.query.{service}.asyncapi.v1"


def dead_letter_subject(service: str, consumer: str) -> str:
    return f"guiyan.dlq.{service}.{consumer}"


class Health(Contract):
    service: str
    database: bool


class Ping(Contract):
    """Asks a service whether it is alive; carries nothing."""


class AsyncAPIDocument(Contract):
    document: dict[str, Any]
