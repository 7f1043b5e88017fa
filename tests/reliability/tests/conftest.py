"""The slow scale-out tests (`@pytest.mark.reliability`) run only when asked for with
`-m reliability`, as `make reliability` does, so that `make test` stays fast."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if "reliability" in (config.getoption("markexpr") or ""):
        return
    later = pytest.mark.skip(reason="slow: make reliability runs it")
    for item in items:
        if item.get_closest_marker("reliability"):
            item.add_marker(later)
