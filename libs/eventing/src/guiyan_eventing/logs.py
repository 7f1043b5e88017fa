"""One logging set-up for every process: JSON lines for a log collector, or plain text for a
person at a terminal (`LOG_FORMAT`; by default JSON unless stderr is a terminal).

A JSON line holds the time (UTC), level, service, logger, message, the exception's traceback if
any, and the correlation id of the message or request being handled (`correlation.py`). Only
these fields are written, never a record's other attributes, so nothing passed to a log call
as `extra` (a setting, a secret) reaches the log by accident. No line is ever coloured: uvicorn's
and FastStream's loggers are routed through the same handler instead of their own coloured ones.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

from .correlation import CORRELATION_ID

LogFormat = Literal["json", "text"]
# Loggers that would otherwise write (coloured) lines of their own.
ROUTED_THROUGH_ROOT = ("faststream", "faststream.access.nats", "uvicorn", "uvicorn.error",
                       "uvicorn.access")


class LogSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    log_format: LogFormat | None = None  # None: json, unless stderr is a terminal


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        line = {"time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
                "level": record.levelname, "service": self.service, "logger": record.name,
                "message": record.getMessage()}
        if (correlation_id := CORRELATION_ID.get()) is not None:
            line["correlation_id"] = correlation_id
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.stack_info:
            line["exception"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__(f"%(asctime)s {service} %(levelname)s %(name)s: %(message)s")

    def formatMessage(self, record: logging.LogRecord) -> str:
        line = super().formatMessage(record)
        correlation_id = CORRELATION_ID.get()
        return line if correlation_id is None else f"{line} [{correlation_id}]"


def chosen_format(log_format: LogFormat | None) -> LogFormat:
    if log_format is not None:
        return log_format
    return "text" if sys.stderr.isatty() else "json"


def configure_logging(service: str, log_format: LogFormat | None = None,
                      level: int = logging.INFO) -> None:
    """Every record of the process to stderr, as `log_format` says; call once, at start."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(service) if chosen_format(log_format) == "json"
                         else TextFormatter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ROUTED_THROUGH_ROOT:
        routed = logging.getLogger(name)
        routed.handlers.clear()
        routed.propagate = True
