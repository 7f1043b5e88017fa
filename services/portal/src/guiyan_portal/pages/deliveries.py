"""Admins' page of the deliveries that failed, with each attempt and what the receiver
answered, and sending one again."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse

from guiyan_contracts import api, notification
from guiyan_contracts.models import Id
from guiyan_contracts.notification import DeliveryStatus

from ..access import Admin, Services
from .actions import done, local_path
from .channels import owner_names
from .forms import first
from .rendering import render

router = APIRouter(include_in_schema=False)
PAGE = 50


@router.get("/admin/deliveries", response_class=HTMLResponse)
async def failed_deliveries(request: Request, caller: Admin, services: Services,
                            offset: int = Query(0, ge=0, le=1_000_000)) -> HTMLResponse:
    found = await services.ask(notification.ListDeliveries(
        tenant_id=caller.tenant_id, status=DeliveryStatus.failed, limit=PAGE, offset=offset),
        notification.Deliveries)
    parks, users = await owner_names(services, caller)
    return await render(request, "admin/deliveries.html", caller, parks=parks, users=users,
                        page=api.Page(items=found.items, total=found.total, limit=PAGE,
                                      offset=offset), resend=True,
                        href=lambda at: f"/admin/deliveries?offset={at}")


@router.post("/admin/deliveries/{delivery_id}/resend", response_class=HTMLResponse)
async def resend(request: Request, delivery_id: Id, caller: Admin,
                 services: Services) -> Response:
    """Then back to the list it was sent from: the failures, or a channel's history."""
    await services.ask(notification.ResendDelivery(
        tenant_id=caller.tenant_id, delivery_id=delivery_id, resent_by=caller.user_id),
        notification.Delivery)
    form = await request.form()
    return done(local_path(first(form, "back") or "/admin/deliveries"), "resent")
