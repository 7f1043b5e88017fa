"""notification's process: a notice for every proposal, decision and follow-up task, in the inbox
and on each medium its reader hears on (email, DingTalk and WeCom robots, signed webhooks), sent
with retries and logged; an erased person's notices dropped."""

import logging

from guiyan_contracts import notification as contract
from guiyan_contracts.people import PersonErased
from guiyan_contracts.registry import UserRegistered, UserUpdated
from guiyan_eventing.migrations.cli import run_or_migrate
from guiyan_eventing.runtime import Service

from ..adapters.unit_of_work import NotificationUnitOfWork
from ..config import NotificationSettings
from ..migrations import MIGRATIONS
from ..service_layer import channels, handlers, inbox, log, preferences
from ..service_layer.sender import Sender
from ..service_layer.telling import Telling


def build(settings: NotificationSettings | None = None) -> Service[NotificationUnitOfWork]:
    settings = settings or NotificationSettings()
    for chatty in ("httpx", "httpcore"):  # they log each request's URL: a robot's token is in it
        logging.getLogger(chatty).setLevel(logging.WARNING)
    service = Service("notification", settings, MIGRATIONS, NotificationUnitOfWork)
    service.on_event(UserRegistered, handlers.record_user)
    service.on_event(UserUpdated, handlers.record_user)
    service.on_event(PersonErased, handlers.forget_person)
    how = Telling(email_enabled=bool(settings.smtp_host),  # unset or empty: no email
                  digest_seconds=settings.digest_seconds)
    for event_type, handle in handlers.notifier(how).items():
        service.on_event(event_type, handle)
    service.on_request(contract.ListInbox, inbox.list_inbox)
    service.on_request(contract.CountUnread, inbox.count_unread)
    service.on_request(contract.MarkRead, inbox.mark_read)
    service.on_request(contract.GetPreferences, preferences.get_preferences)
    service.on_request(contract.SetPreferences, preferences.set_preferences)
    service.on_request(contract.ListChannels, channels.list_channels)
    service.on_request(contract.GetChannel, channels.get_channel)
    writer = channels.ChannelWriter(settings.channel_private_addresses)
    service.on_request(contract.CreateChannel, writer.create)
    service.on_request(contract.UpdateChannel, writer.update)
    service.on_request(contract.DeleteChannel, channels.delete_channel)
    service.on_request(contract.ListDeliveries, log.list_deliveries)
    service.on_request(contract.GetNotification, log.get_notification)
    sender = Sender(service.uow, settings, service.database, how)
    service.on_request(contract.ResendDelivery, log.resend, then=lambda _: sender.notify())
    service.respond(contract.TestChannel, sender.test)
    service.after_commit(sender.notify)
    service.background(sender.run)
    return service


def main() -> None:
    run_or_migrate("notification", NotificationSettings, MIGRATIONS, lambda settings: build(settings).run())
