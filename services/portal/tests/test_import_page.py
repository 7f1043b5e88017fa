"""The import page renders for staff."""

from __future__ import annotations

import asyncio

from guiyan_contracts.models import Role

from .fakes import Portal, token
from .two_cities import two_cities


def test_the_import_page_offers_a_file_and_a_check() -> None:
    portal = Portal(two_cities())
    response = asyncio.run(portal.request("GET", "/projects/import",
                                          token("heze-staff", "heze", Role.staff)))
    assert response.status_code == 200, response.text
    assert 'type="file"' in response.text and "试导入" in response.text
