"""Admins' pages for the city's robots and webhooks: the list, one channel with its delivery
history, the form (new and edit), a test message, and deleting one."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi.responses import HTMLResponse

from guiyan_contracts import api, notification, registry
from guiyan_contracts.envelope import FieldError
from guiyan_contracts.models import Id
from guiyan_contracts.notification import AttemptOutcome, Channel

from ..access import Admin, Services, channel_owner_errors
from ..auth import Principal
from ..gateway import Gateway
from ..notifications import hides_token
from . import channel_form
from .actions import done, field_errors, form_key, new_key
from .forms import by_field, first, validated
from .rendering import Flash, render, translator

router = APIRouter(include_in_schema=False)
PAGE = 50


async def owner_names(services: Gateway, caller: Principal
                      ) -> tuple[dict[str, str], dict[str, str]]:
    """The city's parks and users by id, with their names: a channel's owner is one of them."""
    parks = await services.ask(registry.ListParks(tenant_id=caller.tenant_id, limit=1000),
                               registry.ParkList)
    users = await services.ask(registry.ListUsers(tenant_id=caller.tenant_id, limit=1000),
                               registry.UserList)
    return ({park.id: park.name for park in parks.parks},
            {user.id: user.name for user in users.users})


async def find_channel(services: Gateway, caller: Principal, channel_id: Id) -> Channel:
    return await services.ask(notification.GetChannel(tenant_id=caller.tenant_id,
                                                      channel_id=channel_id), Channel)


@router.get("/admin/channels", response_class=HTMLResponse)
async def channel_list(request: Request, caller: Admin, services: Services,
                       offset: int = Query(0, ge=0, le=1_000_000)) -> HTMLResponse:
    found = await services.ask(notification.ListChannels(
        tenant_id=caller.tenant_id, limit=PAGE, offset=offset), notification.Channels)
    parks, users = await owner_names(services, caller)
    return await render(request, "admin/channels.html", caller,
                        page=api.Page(items=found.items, total=found.total, limit=PAGE,
                                      offset=offset),
                        parks=parks, users=users, href=lambda at: f"/admin/channels?offset={at}")


async def show_form(request: Request, caller: Principal, services: Gateway, *,
                    channel: Channel | None, values: dict[str, Any], errors: dict[str, str],
                    status: int = 200) -> HTMLResponse:
    words = translator(request, caller)
    parks, users = await owner_names(services, caller)
    heading = (words["_"]("New channel") if channel is None
               else words["_"]("Edit %(name)s", name=channel.name))
    return await render(request, "admin/channel_form.html", caller, status=status,
                        heading=heading, channel=channel, values=values, errors=errors,
                        options=channel_form.options(parks, users, words["name"], words["_"]),
                        action=f"/admin/channels/{channel.id}/edit" if channel
                        else "/admin/channels/new", idempotency_key=new_key(),
                        token_hidden=channel is not None and hides_token(channel))


async def refused_fields(services: Gateway, caller: Principal,
                         command: notification.CreateChannel | notification.UpdateChannel
                         ) -> list[FieldError]:
    """The owner's errors, else the service's field errors once it is sent; none: it is done."""
    if errors := await channel_owner_errors(services, caller, command.channel):
        return [FieldError(loc=["channel", *e.loc], msg=e.msg, type=e.type) for e in errors]
    try:
        await services.ask(command, Channel)
    except HTTPException as refusal:
        if (errors := field_errors(refusal)) is None:
            raise
        return errors
    return []


@router.get("/admin/channels/new", response_class=HTMLResponse)
async def new_channel(request: Request, caller: Admin, services: Services) -> HTMLResponse:
    return await show_form(request, caller, services, channel=None,
                           values=channel_form.blank(), errors={})


@router.post("/admin/channels/new", response_class=HTMLResponse)
async def create_channel(request: Request, caller: Admin, services: Services) -> Response:
    form = await request.form()
    command, errors = validated(notification.CreateChannel, {
        "tenant_id": caller.tenant_id, "channel": channel_form.fields(form),
        "secret": channel_form.secret(form), "idempotency_key": form_key(caller, form)})
    if command is not None and not (errors := await refused_fields(services, caller, command)):
        return done("/admin/channels", "saved")
    return await show_form(request, caller, services, channel=None,
                           values=channel_form.values(form), status=422,
                           errors=by_field(request, errors, channel_form.field_of))


async def show_channel(request: Request, caller: Principal, services: Gateway,
                       channel_id: Id, offset: int = 0, flashes: list[Flash] | None = None
                       ) -> HTMLResponse:
    channel = await find_channel(services, caller, channel_id)
    found = await services.ask(notification.ListDeliveries(
        tenant_id=caller.tenant_id, channel_id=channel_id, limit=PAGE, offset=offset),
        notification.Deliveries)
    parks, users = await owner_names(services, caller)
    return await render(request, "admin/channel.html", caller, channel=channel,
                        flashes=flashes, parks=parks, users=users, resend=True,
                        page=api.Page(items=found.items, total=found.total, limit=PAGE,
                                      offset=offset),
                        href=lambda at: f"/admin/channels/{channel_id}?offset={at}")


@router.get("/admin/channels/{channel_id}", response_class=HTMLResponse)
async def channel_page(request: Request, channel_id: Id, caller: Admin, services: Services,
                       offset: int = Query(0, ge=0, le=1_000_000)) -> HTMLResponse:
    return await show_channel(request, caller, services, channel_id, offset)


@router.get("/admin/channels/{channel_id}/edit", response_class=HTMLResponse)
async def edit_channel(request: Request, channel_id: Id, caller: Admin,
                       services: Services) -> HTMLResponse:
    channel = await find_channel(services, caller, channel_id)
    return await show_form(request, caller, services, channel=channel,
                           values=channel_form.values_of(channel), errors={})


@router.post("/admin/channels/{channel_id}/edit", response_class=HTMLResponse)
async def update_channel(request: Request, channel_id: Id, caller: Admin,
                         services: Services) -> Response:
    # Another city's channel, or none, is not found (404) before the form is read.
    channel = await find_channel(services, caller, channel_id)
    form = await request.form()
    command, errors = validated(notification.UpdateChannel, {
        "tenant_id": caller.tenant_id, "channel_id": channel_id,
        "channel": channel_form.fields(form), "secret": channel_form.secret(form),
        "clear_secret": first(form, "clear_secret") == "on",
        "idempotency_key": form_key(caller, form)})
    if command is not None and not (errors := await refused_fields(services, caller, command)):
        return done(f"/admin/channels/{channel_id}", "saved")
    return await show_form(request, caller, services, channel=channel,
                           values=channel_form.values(form), status=422,
                           errors=by_field(request, errors, channel_form.field_of))


@router.post("/admin/channels/{channel_id}/test", response_class=HTMLResponse)
async def test_channel(request: Request, channel_id: Id, caller: Admin,
                       services: Services) -> HTMLResponse:
    """The channel's page again, saying what the receiver answered the test message."""
    attempt = await services.ask(notification.TestChannel(
        tenant_id=caller.tenant_id, channel_id=channel_id, sent_by=caller.user_id),
        notification.Attempt)
    words = translator(request, caller)
    _ = words["_"]
    if attempt.outcome is AttemptOutcome.sent:
        flash = Flash("ok", _("The test message was delivered."))
    else:
        flash = Flash("error", _("The test message was not delivered: %(outcome)s. The "
                                 "receiver answered %(code)s: %(error)s",
                                 outcome=words["name"]("attempt_outcome",
                                                       (attempt.outcome or "unknown")),
                                 code=attempt.response_code or "—",
                                 error=words["attempt_error"](attempt.error)[0]
                                 if attempt.error else "—"))
    return await show_channel(request, caller, services, channel_id, flashes=[flash])


@router.get("/admin/channels/{channel_id}/delete", response_class=HTMLResponse)
async def delete_page(request: Request, channel_id: Id, caller: Admin,
                      services: Services) -> HTMLResponse:
    channel = await find_channel(services, caller, channel_id)
    return await render(request, "admin/channel_delete.html", caller, channel=channel)


@router.post("/admin/channels/{channel_id}/delete", response_class=HTMLResponse)
async def delete_channel(channel_id: Id, caller: Admin, services: Services) -> Response:
    await services.ask(notification.DeleteChannel(tenant_id=caller.tenant_id,
                                                  channel_id=channel_id),
                       notification.ChannelDeleted)
    return done("/admin/channels", "deleted")
