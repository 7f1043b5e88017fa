"""`/docs` loads nothing from outside the portal: a city's own network reaches no CDN."""

from __future__ import annotations

import re

from .fakes import FakeGateway, Portal


async def test_the_docs_page_loads_its_scripts_and_styles_from_the_portal() -> None:
    portal = Portal(FakeGateway({}))
    page = await portal.request("GET", "/docs")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(source.startswith("/docs/assets/") for source in sources), sources
    assert "'/openapi.json'" in page.text or '"/openapi.json"' in page.text
    for source in sources:
        asset = await portal.request("GET", source)
        assert asset.status_code == 200 and len(asset.content) > 0, source


async def test_the_docs_page_draws_the_portals_openapi_version() -> None:
    """Swagger UI before 5 refuses an OpenAPI 3.1 document, which is what FastAPI writes."""
    portal = Portal(FakeGateway({}))
    document = (await portal.request("GET", "/openapi.json")).json()
    bundle = await portal.request("GET", "/docs/assets/swagger-ui-bundle.js")
    assert document["openapi"].startswith("3.1") and "isOAS31" in bundle.text
