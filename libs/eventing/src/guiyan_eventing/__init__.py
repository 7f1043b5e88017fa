"""Guiyan's eventing kit: outbox, idempotent consumers, dead letters and request-reply over NATS.

Infrastructure shared by every service, so each one gets the same delivery guarantees from one
implementation. It holds no domain code: services still never import one another.
"""
