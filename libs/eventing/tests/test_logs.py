"""The log set-up: JSON lines with the correlation id of the message or request being handled
(set by the consumer and the responders, on a real nats-server), plain text for a terminal, no
colour and no field a log call did not mean to write."""

from __future__ import annotations

import io
import json
import logging
import sys
import uuid
from collections.abc import Iterator
from typing import ClassVar

import pytest

from guiyan_contracts.envelope import Contract, Event, Request
from guiyan_eventing.correlation import acceptable, correlated
from guiyan_eventing.logs import JsonFormatter, TextFormatter, chosen_format, configure_logging
from guiyan_eventing.rpc import call
from guiyan_eventing.runtime import Service
from guiyan_eventing.schema import Tables
from guiyan_eventing.settings import ServiceSettings
from guiyan_eventing.unit_of_work import SqlUnitOfWork

from .test_delivery import eventually, store

log = logging.getLogger("guiyan.test")


def record(message: str, exc_info: object = None, **extra: object) -> logging.LogRecord:
    return log.makeRecord(log.name, logging.ERROR, __file__, 1, message, (), exc_info,
                          extra=extra)


def test_a_json_line_holds_the_fields_and_the_correlation_id_only_while_it_is_set() -> None:
    formatter = JsonFormatter("matching")
    try:
        raise ValueError("no park fits")
    except ValueError:
        failing = record("planning failed", exc_info=sys.exc_info())
    with correlated("req-42"):
        line = json.loads(formatter.format(failing))
    assert {k: line[k] for k in ("level", "service", "logger", "message", "correlation_id")} == {
        "level": "ERROR", "service": "matching", "logger": "guiyan.test",
        "message": "planning failed", "correlation_id": "req-42"}
    assert line["time"].endswith("+00:00") and "ValueError: no park fits" in line["exception"]
    assert "correlation_id" not in json.loads(formatter.format(record("outside")))


def test_fields_passed_as_extra_are_never_written() -> None:
    secret = "s3cret-seed-SUAAAAAA"
    for formatter in (JsonFormatter("registry"), TextFormatter("registry")):
        assert secret not in formatter.format(record("signed in", password=secret))


def test_text_is_plain_and_ends_with_the_correlation_id() -> None:
    formatter = TextFormatter("portal")
    with correlated("abc"):
        line = formatter.format(record("answered"))
    assert " portal ERROR guiyan.test: answered [abc]" in line and "\x1b[" not in line


def test_json_unless_stderr_is_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert chosen_format(None) == "json"
    monkeypatch.setattr(sys, "stderr", Terminal())
    assert chosen_format(None) == "text"
    assert chosen_format("json") == "json"


def test_a_callers_id_is_kept_only_when_it_is_a_plain_token() -> None:
    assert acceptable("0f3a-42:req.7") == "0f3a-42:req.7"
    for odd in ("two words", "line\nbreak", "x" * 101, ""):
        assert acceptable(odd) is None


@pytest.fixture
def stderr(monkeypatch: pytest.MonkeyPatch) -> Iterator[io.StringIO]:
    """The process's log set-up, writing to a buffer; pytest's own handlers come back after."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    buffer = io.StringIO()
    monkeypatch.setattr(sys, "stderr", buffer)
    configure_logging("tester", "json")
    yield buffer
    root.handlers[:] = handlers
    root.setLevel(level)


def lines(buffer: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def test_uvicorn_and_faststream_lines_are_json_too(stderr: io.StringIO) -> None:
    logging.getLogger("uvicorn.error").info("Started server process")
    logging.getLogger("faststream").info("FastStream app starting...")
    written = stderr.getvalue()
    assert "\x1b[" not in written
    assert [(line["logger"], line["service"]) for line in lines(stderr)] == [
        ("uvicorn.error", "tester"), ("faststream", "tester")]


class Noticed(Event):
    SUBJECT: ClassVar[str] = "guiyan.registry.test.noticed.v1"


class Greet(Request):
    SUBJECT: ClassVar[str] = "guiyan.query.registry.test.greet.v1"


class Greeted(Contract):
    ok: bool


async def test_handlers_log_with_the_correlation_id_of_their_envelope(
        nats_url: str, tmp_path, stderr: io.StringIO) -> None:
    noticed = type("Noticed", (Noticed,),
                   {"SUBJECT": f"guiyan.registry.test_{uuid.uuid4().hex[:8]}.noticed.v1"})
    service = Service(f"logger{uuid.uuid4().hex[:6]}", ServiceSettings(
        nats_url=nats_url, database_url=f"sqlite:///{tmp_path / 's.db'}"), Tables([]), SqlUnitOfWork)

    def greet(request: Greet, uow: SqlUnitOfWork) -> Greeted:
        logging.getLogger("guiyan.test.greet").info("greeting")
        return Greeted(ok=True)

    def notice(event: Noticed, uow: SqlUnitOfWork) -> None:  # on the database thread
        logging.getLogger("guiyan.test.notice").info("noticed")

    service.on_request(Greet, greet)
    service.on_event(noticed, notice)
    async with service.app():
        with correlated("req-42"):  # the request takes the id of what it is sent for
            await call(service.broker, Greet(tenant_id="heze"), Greeted)
        await store(service,
                    noticed(producer="t", tenant_id="heze", correlation_id="evt-7")
                    .model_dump_json().encode(), noticed.SUBJECT)

        def said() -> dict[str, str | None]:
            return {line["message"]: line.get("correlation_id") for line in lines(stderr)
                    if line["logger"].startswith("guiyan.test.")}

        await eventually(lambda: len(said()) == 2)
    assert said() == {"greeting": "req-42", "noticed": "evt-7"}
