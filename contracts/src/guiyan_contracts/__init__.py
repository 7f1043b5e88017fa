"""Guiyan's contracts: versioned pydantic models for every event, command, query and API body.

Services depend on this package and on nothing of each other's.
"""
