"""The portal's first look at a request body: its size, and whether its JSON can travel on.

Before anything parses it, a body is held to `max_body_bytes`: a 100 MB body is refused after
its first megabyte, not read whole. Then a JSON body is read strictly, as RFC 8259 writes JSON:
- NaN and Infinity are not JSON, and a number too large for a double (1e309) is not a number
  anyone meant; Python's parser lets all three through as floats that cannot be written back;
- a lone surrogate (`"\\ud800"`) is valid JSON escaping but no character at all, and cannot be
  encoded as UTF-8 on its way to a service.
Each is a 422 naming where it is (`["body", "project", "name"]`), in FastAPI's error shape.
What the guard lets through is the body as sent; FastAPI parses and validates it as usual.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

Location = list[str | int]


class _NotANumber:
    def __init__(self, text: str) -> None:
        self.text = text


def _number(text: str) -> float | _NotANumber:
    value = float(text)
    return _NotANumber(text) if math.isinf(value) else value


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def problems(value: Any, location: Location) -> Iterator[dict[str, Any]]:
    """Each value in a parsed body that JSON cannot carry onward, with where it is."""
    if isinstance(value, _NotANumber):
        yield {"loc": location, "type": "finite_number",
               "msg": f"{value.text} is not a finite number a double can hold"}
    elif isinstance(value, str) and not _is_text(value):
        yield {"loc": location, "type": "string_unicode",
               "msg": "the text has an unpaired surrogate (\\ud800-\\udfff): it is not Unicode"}
    elif isinstance(value, dict):
        for key, item in value.items():
            if not _is_text(key):
                yield {"loc": location, "type": "string_unicode",
                       "msg": "a field name has an unpaired surrogate: it is not Unicode"}
                continue
            yield from problems(item, [*location, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from problems(item, [*location, index])


def json_problems(body: bytes) -> list[dict[str, Any]]:
    """Why a JSON body cannot be taken, or nothing. A body that is not JSON at all is left to
    FastAPI, which says so in its own words, except where Python's parser fails in ways FastAPI
    does not expect (an integer of thousands of digits)."""
    try:
        document = json.loads(body, parse_constant=_NotANumber, parse_float=_number)
    except json.JSONDecodeError:
        return []
    except (ValueError, RecursionError) as error:
        return [{"loc": ["body"], "type": "json_invalid", "msg": f"the JSON cannot be read: {error}"}]
    return list(problems(document, ["body"]))


def _is_json(scope: Scope) -> bool:
    for name, value in scope.get("headers", []):
        if name == b"content-type":
            kind = value.split(b";")[0].strip().lower()
            return kind == b"application/json" or kind.endswith(b"+json")
    return True  # no content type: FastAPI reads the body as JSON


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _answer(send: Send, status: int, detail: Any) -> None:
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class BodyGuard:
    """ASGI middleware: bodies over `max_bytes` get 413; JSON bodies JSON cannot carry get 422."""

    def __init__(self, app: ASGIApp, max_bytes: int, max_ledger_bytes: int | None = None,
                 ledger_paths: tuple[str, ...] = ()) -> None:
        self.app = app
        self.max_bytes = max_bytes
        # A ledger of thousands of rows is a bigger upload than any form or JSON body.
        self.max_ledger_bytes = max_ledger_bytes or max_bytes
        self.ledger_paths = ledger_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE"):
            await self.app(scope, receive, send)
            return
        max_bytes = (self.max_ledger_bytes if scope["path"] in self.ledger_paths
                     else self.max_bytes)
        too_large = {"loc": ["body"], "type": "too_large",
                     "msg": f"the body is over {max_bytes} bytes"}
        if (_declared_length(scope) or 0) > max_bytes:
            await _answer(send, 413, [too_large])
            return
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > max_bytes:
                await _answer(send, 413, [too_large])
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if body and _is_json(scope) and (found := json_problems(body)):
            await _answer(send, 422, found)
            return
        await self.app(scope, _replay(body, receive), send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body once, as one message; then whatever the client's connection says next."""
    sent = False

    async def again() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return again
