"""The robots and webhooks that reach a park's group chat or one user (admins): a channel's park
or user must be of the admin's city, and its secret is taken, never answered."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException
from fastapi.exceptions import RequestValidationError

from guiyan_contracts import notification
from guiyan_contracts.envelope import FieldError
from guiyan_contracts.models import Id

from ..access import Admin, IdempotencyKey, Services, channel_owner_errors
from ..auth import Principal
from ..errors import answers
from ..gateway import Gateway
from ..notifications import ChannelUpdate, NewChannel
from ..paging import Limit, Offset

router = APIRouter(prefix="/api/v1", tags=["channels"])
FIELDS = set(notification.ChannelFields.model_fields)


def refused_in_body(errors: list[FieldError]) -> RequestValidationError:
    """Field errors where the body has them: a channel's fields and its secret side by side,
    where notification's command holds the fields under `channel`."""
    return RequestValidationError([{
        "loc": ("body", *(e.loc[1:] if e.loc[:1] == ["channel"] else e.loc)), "msg": e.msg,
        "type": e.type} for e in errors])


async def owned_in_city(services: Gateway, caller: Principal,
                        channel: notification.ChannelFields) -> notification.ChannelFields:
    """The channel's fields, once its park or user is found in the caller's city (else 422)."""
    if errors := await channel_owner_errors(services, caller, channel):
        raise refused_in_body(errors)
    return notification.ChannelFields.model_validate(channel.model_dump(include=FIELDS))


async def sent(services: Gateway, command: notification.CreateChannel
               | notification.UpdateChannel) -> notification.Channel:
    """The channel as notification saved it; its refusal of a field, at the body's field."""
    try:
        return await services.ask(command, notification.Channel)
    except HTTPException as refusal:
        if refusal.status_code != 422 or not isinstance(refusal.detail, list):
            raise
        raise refused_in_body([FieldError.model_validate(e) for e in refusal.detail]) from None


@router.get("/channels", response_model=notification.Channels,
            responses=answers(401, 403, 422, 502, 503))
async def list_channels(caller: Admin, services: Services, park_id: Id | None = None,
                        user_id: Id | None = None, limit: Limit(500) = 100,
                        offset: Offset = 0) -> Any:
    """The city's channels (admins), a park's or a user's with `park_id` or `user_id`; each URL
    with its query's values masked."""
    return await services.ask(notification.ListChannels(
        tenant_id=caller.tenant_id, park_id=park_id, user_id=user_id, limit=limit,
        offset=offset), notification.Channels)


@router.post("/channels", response_model=notification.Channel, status_code=201,
             responses=answers(401, 403, 409, 413, 422, 502, 503))
async def create_channel(body: NewChannel, caller: Admin, services: Services,
                         key: IdempotencyKey) -> Any:
    """Add a DingTalk or WeCom robot, or a webhook, for a park of the city or one user
    (admins). The `secret` is kept and never answered; the URL is answered with its query's
    values masked."""
    channel = await owned_in_city(services, caller, body)
    return await sent(services, notification.CreateChannel(
        tenant_id=caller.tenant_id, channel=channel, secret=body.secret, idempotency_key=key))


@router.get("/channels/{channel_id}", response_model=notification.Channel,
            responses=answers(401, 403, 404, 422, 502, 503))
async def get_channel(channel_id: Id, caller: Admin, services: Services
                      ) -> notification.Channel:
    """A channel of the city (admins): `has_secret` says whether it has one, and
    `consecutive_failures` how many deliveries failed since its last success."""
    return await services.ask(notification.GetChannel(tenant_id=caller.tenant_id,
                                                      channel_id=channel_id),
                              notification.Channel)


@router.put("/channels/{channel_id}", response_model=notification.Channel,
            responses=answers(401, 403, 404, 409, 413, 422, 502, 503))
async def update_channel(channel_id: Id, body: ChannelUpdate, caller: Admin,
                         services: Services, key: IdempotencyKey) -> Any:
    """The channel's whole new state (admins): `secret` left out keeps the one it has,
    `clear_secret` removes it; the URL sent back masked, as it is answered, keeps the one it
    has."""
    await get_channel(channel_id, caller, services)  # another city's: 404, whatever was sent
    channel = await owned_in_city(services, caller, body)
    return await sent(services, notification.UpdateChannel(
        tenant_id=caller.tenant_id, channel_id=channel_id, channel=channel, secret=body.secret,
        clear_secret=body.clear_secret, idempotency_key=key))


@router.delete("/channels/{channel_id}", response_model=notification.ChannelDeleted,
               responses=answers(401, 403, 404, 502, 503))
async def delete_channel(channel_id: Id, caller: Admin, services: Services) -> Any:
    """Remove a channel (admins): what it still had to send is cancelled (`cancelled`); its
    history stays in the delivery log."""
    return await services.ask(notification.DeleteChannel(tenant_id=caller.tenant_id,
                                                         channel_id=channel_id),
                              notification.ChannelDeleted)


@router.post("/channels/{channel_id}/test", response_model=notification.Attempt,
             responses=answers(401, 403, 404, 409, 502, 503))
async def test_channel(channel_id: Id, caller: Admin, services: Services) -> Any:
    """Send a test message now (admins), and answer what the receiver said: `outcome`,
    `response_code` and `error`."""
    return await services.ask(notification.TestChannel(
        tenant_id=caller.tenant_id, channel_id=channel_id, sent_by=caller.user_id),
        notification.Attempt)


@router.get("/channels/{channel_id}/deliveries", response_model=notification.Deliveries,
            responses=answers(401, 403, 404, 422, 502, 503))
async def channel_deliveries(channel_id: Id, caller: Admin, services: Services,
                             limit: Limit(500) = 100, offset: Offset = 0) -> Any:
    """What the channel sent and failed to send, newest first, each with its attempts
    (admins)."""
    await get_channel(channel_id, caller, services)
    return await services.ask(notification.ListDeliveries(
        tenant_id=caller.tenant_id, channel_id=channel_id, limit=limit, offset=offset),
        notification.Deliveries)
