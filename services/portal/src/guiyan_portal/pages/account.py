"""Signing in and out, and one's own password."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from guiyan_contracts import registry

from ..access import Caller, Services
from ..sessions import (
    CsrfRefused,
    NotSignedIn,
    TooManyAttempts,
    log_in,
    log_out,
    login_csrf_token,
    start_session,
)
from .actions import done, field_errors, local_path
from .forms import first, validated
from .rendering import Flash, render, translator

router = APIRouter(include_in_schema=False)


async def sign_in_page(request: Request, *, username: str = "", next_path: str = "/",
                       status: int = 200, flashes: list[Flash] | None = None) -> HTMLResponse:
    cookie = Response()
    token = login_csrf_token(request, cookie)
    page = await render(request, "account/login.html", None, status=status, flashes=flashes,
                        values={"username": username}, errors={}, next=next_path,
                        csrf_token=token)
    page.headers.append("set-cookie", cookie.headers["set-cookie"])
    return page


@router.get("/login", response_class=HTMLResponse)
async def sign_in_form(request: Request, next: str = "/") -> HTMLResponse:
    return await sign_in_page(request, next_path=local_path(next))


@router.post("/login", response_class=HTMLResponse)
async def sign_in(request: Request) -> Response:
    form = await request.form()
    username, back = first(form, "username").strip(), local_path(first(form, "next") or "/")
    response = RedirectResponse(back, status_code=303)
    _ = translator(request, None)["_"]
    try:
        await log_in(request, response, username, first(form, "password"))
        return response
    except TooManyAttempts as refused:
        page = await sign_in_page(request, username=username, next_path=back, status=429,
                                  flashes=[Flash("error", _(
                                      "Too many failed attempts. Try again in %(minutes)d "
                                      "minutes.", minutes=max(1, -(-refused.retry_after // 60))))])
        page.headers["Retry-After"] = str(refused.retry_after)
        return page
    except NotSignedIn:
        return await sign_in_page(request, username=username, next_path=back, status=401,
                                  flashes=[Flash("error", _("Wrong username or password."))])
    except CsrfRefused:  # the sign-in cookie went (a phone dropped it): a fresh form has one
        return await sign_in_page(request, username=username, next_path=back, status=403,
                                  flashes=[Flash("error", _("The sign-in form was out of date. "
                                                            "Please sign in again."))])


@router.post("/logout")
async def sign_out(_: Caller) -> RedirectResponse:
    response = RedirectResponse("/login", status_code=303)
    log_out(response)
    return response


@router.get("/account", response_class=HTMLResponse)
async def account(request: Request, caller: Caller) -> HTMLResponse:
    has_account(request)
    return await render(request, "account/password.html", caller, errors={})


def has_account(request: Request) -> None:
    """Refuses a caller registry does not know (a script's token), who has no account page."""
    if getattr(request.state, "user_view", None) is None:
        raise HTTPException(404, "this caller has no account")


@router.post("/account/password", response_class=HTMLResponse)
async def change_password(request: Request, caller: Caller, services: Services) -> Response:
    has_account(request)
    form = await request.form()
    _ = translator(request, caller)["_"]
    # A field left blank is refused here, as the form's own error, before registry is asked.
    change, errors = validated(registry.ChangePassword, {
        "tenant_id": caller.tenant_id, "user_id": caller.user_id,
        "current_password": first(form, "current_password"),
        "new_password": first(form, "new_password")})
    if change is not None:
        try:
            view = await services.ask(change, registry.UserView)
        except HTTPException as refusal:
            if (errors := field_errors(refusal)) is None:
                raise
        else:
            response = done("/account", "password")
            # This session goes on under the new epoch; every other one has ended.
            start_session(request, response, view, session_id=request.state.session.session_id
                          if hasattr(request.state, "session") else None)
            return response
    shown = {"current_password": _("This is not your current password.")} if any(
        "current_password" in e.loc for e in errors) else {
        "new_password": _("Choose at least 10 characters, other than your username.")}
    return await render(request, "account/password.html", caller, status=422, errors=shown)


