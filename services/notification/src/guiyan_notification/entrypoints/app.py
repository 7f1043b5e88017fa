"""notification's process: inbox items for every proposal, decision and follow-up task, email
when configured; an erased person's items dropped."""

from guiyan_contracts.notification import ListInbox
from guiyan_contracts.people import PersonErased
from guiyan_contracts.registry import UserRegistered, UserUpdated
from guiyan_eventing.runtime import Service

from ..adapters.orm import TABLES
from ..adapters.unit_of_work import NotificationUnitOfWork
from ..config import NotificationSettings
from ..service_layer import handlers
from ..service_layer.delivery import EmailSender


def build(settings: NotificationSettings | None = None) -> Service[NotificationUnitOfWork]:
    settings = settings or NotificationSettings()
    service = Service("notification", settings, TABLES, NotificationUnitOfWork)
    service.on_event(UserRegistered, handlers.record_user)
    service.on_event(UserUpdated, handlers.record_user)
    service.on_event(PersonErased, handlers.forget_person)
    email_enabled = bool(settings.smtp_host)  # unset or empty: inbox only
    for event_type, handle in handlers.notifier(email_enabled).items():
        service.on_event(event_type, handle)
    service.on_request(ListInbox, handlers.list_inbox)
    if email_enabled:
        sender = EmailSender(service.uow, settings, service.database)
        service.after_commit(sender.notify)
        service.background(sender.run)
    return service


def main() -> None:
    build().run()
