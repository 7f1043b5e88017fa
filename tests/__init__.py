"""The tests of the system as a whole. A package, so that tests/browser, a package of its own
(see its `__init__.py`), reaches the modules shared here (`system.py`)."""
