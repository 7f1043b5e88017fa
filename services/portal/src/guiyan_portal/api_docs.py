"""`/docs`, Swagger UI with its files served by the portal itself: it works where no CDN can be
reached, as on a city's own network."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/docs/assets"
SWAGGER_UI = Path(str(files("swagger_ui") / "static"))  # Swagger UI 5: it reads OpenAPI 3.1


def install(app: FastAPI) -> None:
    """For an app made without FastAPI's own docs pages (`docs_url=None, redoc_url=None`), whose
    pages load their scripts from a CDN."""
    assert app.openapi_url is not None
    openapi_url = app.openapi_url

    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "").rstrip("/")
        return get_swagger_ui_html(
            openapi_url=root + openapi_url, title=f"{app.title} · API",
            swagger_js_url=f"{root}{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{root}{ASSETS}/favicon-32x32.png")

    app.mount(ASSETS, StaticFiles(directory=SWAGGER_UI), name="swagger-ui")
    app.add_route("/docs", swagger_ui, include_in_schema=False)
