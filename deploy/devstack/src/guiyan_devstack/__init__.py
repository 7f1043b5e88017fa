"""Runs the whole Guiyan system on one machine, for `make run` and the end-to-end tests."""
