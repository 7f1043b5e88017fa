"""Each service's identity allows exactly what the service does on the bus: every durable it
creates and every request it answers is within its permissions, so the table cannot drift from
the wiring."""

from __future__ import annotations

import pytest

from guiyan_eventing.identities import JS, SERVICE_ROLES, permissions
from guiyan_matching.entrypoints.app import build as matching
from guiyan_notification.entrypoints.app import build as notification
from guiyan_registry.entrypoints.app import build as registry

BUILDS = {"registry": registry, "matching": matching, "notification": notification}


def allowed(subject: str, patterns: tuple[str, ...]) -> bool:
    """As NATS matches: `*` is one token, a final `>` one or more."""
    tokens = subject.split(".")
    for pattern in patterns:
        wanted = pattern.split(".")
        rest = wanted[-1] == ">"
        head = wanted[:-1] if rest else wanted
        fits = len(tokens) > len(head) if rest else len(tokens) == len(head)
        if fits and all(w in ("*", t) for w, t in zip(head, tokens, strict=False)):
            return True
    return False


@pytest.mark.parametrize("name", sorted(SERVICE_ROLES))
def test_a_services_permissions_cover_what_it_does_and_its_roles_say_what_it_reads(name: str):
    service = BUILDS[name]()
    service.app()
    granted = permissions(name)
    assert {durable.stream for durable in service._durables} == set(SERVICE_ROLES[name].consumes)
    for durable in service._durables:
        consumer = durable.config.durable_name
        for subject in (f"{JS}.CONSUMER.CREATE.{durable.stream}.{consumer}",
                        f"{JS}.CONSUMER.MSG.NEXT.{durable.stream}.{consumer}",
                        f"$JS.ACK.{durable.stream}.{consumer}.1.2.3.4.5",
                        f"guiyan.dlq.{name}.{consumer}.heze"):
            assert allowed(subject, granted.publish), subject
    for subscriber in service.broker.subscribers:  # the requests it answers
        subject = subscriber._resolved_subject_string
        assert allowed(subject, granted.subscribe), subject
