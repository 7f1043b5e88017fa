"""A package, so that the browser fixtures (scope="package") end with the browser tests:
Playwright's sync API marks its event loop as running in between its calls, and `asyncio.run`
in any later test would refuse to start."""
