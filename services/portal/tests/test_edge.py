"""The portal's first look at a body: what JSON cannot carry on is a 422 naming where it is, and
a body over the limit is a 413 before it is read whole."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI, File, UploadFile
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from guiyan_portal import errors
from guiyan_portal.edge import BodyGuard, json_problems


@pytest.mark.parametrize(("body", "where", "kind"), [
    (b'{"floor_m2": NaN}', ["body", "floor_m2"], "finite_number"),
    (b'{"a": {"b": [1, Infinity]}}', ["body", "a", "b", 1], "finite_number"),
    (b'{"jobs": -Infinity}', ["body", "jobs"], "finite_number"),
    (b'{"investment_yuan": 1e309}', ["body", "investment_yuan"], "finite_number"),
    (b'{"reason": "\\ud800"}', ["body", "reason"], "string_unicode"),
    (b'{"names": ["ok", "\\udfff tail"]}', ["body", "names", 1], "string_unicode"),
    (b'{"\\ud800": 1}', ["body"], "string_unicode"),
    (b'{"n": 1' + b"0" * 5000 + b"}", ["body"], "json_invalid"),
])
def test_what_json_cannot_carry_on_is_named_where_it_is(body: bytes, where: list, kind: str):
    (problem,) = json_problems(body)
    assert (problem["loc"], problem["type"]) == (where, kind)


@pytest.mark.parametrize("body", [b'{"a": 1.5e308, "b": "\\ud83d\\ude00", "c": [null, true]}',
                                  b"not json at all", b""])
def test_what_json_can_carry_and_what_is_not_json_pass_through(body: bytes) -> None:
    assert json_problems(body) == []


async def echo(request: Request) -> JSONResponse:
    return JSONResponse({"length": len(await request.body())})


@pytest.fixture
def client() -> httpx.AsyncClient:
    app = BodyGuard(Starlette(routes=[Route("/", echo, methods=["POST", "GET"])]), max_bytes=1000)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://portal")


async def chunks(count: int, size: int = 100):
    for _ in range(count):
        yield b"x" * size


async def test_a_body_over_the_limit_is_refused_with_413_whether_or_not_it_says_its_length(client):
    assert (await client.post("/", content=b"x" * 1001)).status_code == 413
    response = await client.post("/", content=chunks(50))  # chunked: no length to go by
    assert response.status_code == 413
    assert response.json()["detail"][0]["loc"] == ["body"]


async def test_a_body_within_the_limit_reaches_the_app_whole(client) -> None:
    whole = await client.post("/", content=b'{"a": "' + b"x" * 900 + b'"}')
    assert whole.json() == {"length": 909}
    assert (await client.post("/", content=chunks(9))).json() == {"length": 900}


async def test_a_json_body_with_nan_gets_422_and_never_reaches_the_app(client) -> None:
    response = await client.post("/", content=b'{"floor_m2": NaN}',
                                 headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "floor_m2"]
    plain = await client.post("/", content=b"NaN", headers={"content-type": "text/plain"})
    assert plain.status_code == 200  # not JSON: not the guard's to judge


async def test_a_broken_multipart_body_is_a_422_naming_the_body_not_a_400() -> None:
    app = FastAPI()
    errors.install(app)

    @app.post("/upload")
    async def upload(file: UploadFile = File()) -> dict[str, int]:  # noqa: B008 (FastAPI's way)
        return {"length": len(await file.read())}

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://portal") as client:
        broken = await client.post("/upload", content=b"--b\r\n[[1]]--b--\r\n", headers={
            "content-type": "multipart/form-data; boundary=b"})
        whole = await client.post("/upload", files={"file": ("a.csv", b"abc")})
    assert broken.status_code == 422
    assert broken.json()["detail"][0]["loc"] == ["body"]
    assert whole.json() == {"length": 3}
