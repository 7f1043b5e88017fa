"""Signing in from a browser: a signed session cookie, CSRF tokens derived from it, and a limit
on failed sign-ins.

The cookie (`guiyan_session`) is an HS256 JWT naming the user, their city, the session epoch it
was issued under and when; it is signed with a key derived from AUTH_SECRET for this use alone,
so a cookie is never taken as a bearer token, nor a token as a cookie. Nothing is stored: each
request reads the user from registry (`access.principal`), and a cookie whose epoch is older than
the user's (their password changed, they were disabled, their role changed) is refused.

Every unsafe request a cookie authenticates carries a CSRF token: the HMAC of the session's id,
in the `X-CSRF-Token` header or the `csrf_token` form field. The sign-in form, which has no
session yet, is protected by a double-submitted token: the same random value in a cookie and in
the form.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from fastapi import HTTPException, Request, Response

from guiyan_contracts.envelope import utc_now
from guiyan_contracts.models import ID_PATTERN
from guiyan_contracts.registry import Authenticate, UserView
from guiyan_contracts.taxonomy import configured_cities

from .auth import Principal, principal_of
from .config import PortalSettings
from .login_throttle import LoginThrottle

SESSION_COOKIE = "guiyan_session"
LOGIN_CSRF_COOKIE = "guiyan_login_csrf"
CSRF_HEADER, CSRF_FIELD = "X-CSRF-Token", "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


class NotSignedIn(HTTPException):
    """A wrong username, a wrong password or a disabled user: one answer for all three."""

    def __init__(self) -> None:
        super().__init__(401, "wrong username or password")


class TooManyAttempts(HTTPException):
    def __init__(self, retry_after: int) -> None:
        super().__init__(429, f"too many failed sign-ins; try again in {retry_after} seconds",
                         headers={"Retry-After": str(retry_after)})
        self.retry_after = retry_after


class CsrfRefused(HTTPException):
    def __init__(self) -> None:
        super().__init__(403, "this form or request lacks its CSRF token (the `csrf_token` field "
                              "or the X-CSRF-Token header); reload the page and send it again")


@dataclass(frozen=True)
class Session:
    session_id: str  # stays the same when the cookie is issued anew, as its CSRF token does
    user_id: str
    tenant_id: str
    epoch: int
    issued_at: datetime


def derived_key(settings: PortalSettings, purpose: str) -> bytes:
    """A key of AUTH_SECRET's for one use alone."""
    return hmac.new(settings.auth_secret.get_secret_value().encode(),
                    f"guiyan portal {purpose}".encode(), hashlib.sha256).digest()


def read_session(settings: PortalSettings, cookie: str | None) -> Session | None:
    """The session a cookie holds, or None for no cookie, a forged or expired one, or one of a
    city not served here."""
    if not cookie:
        return None
    try:
        claims = jwt.decode(cookie, derived_key(settings, "session"), algorithms=["HS256"],
                            options={"require": ["sid", "sub", "tenant", "epoch", "iat", "exp"]})
    except jwt.InvalidTokenError:
        return None
    user_id, city, epoch = claims["sub"], claims["tenant"], claims["epoch"]
    if (not isinstance(user_id, str) or not re.fullmatch(ID_PATTERN, user_id)
            or city not in configured_cities() or not isinstance(epoch, int)):
        return None
    return Session(session_id=str(claims["sid"]), user_id=user_id, tenant_id=city, epoch=epoch,
                   issued_at=datetime.fromtimestamp(claims["iat"], UTC))


def start_session(request: Request, response: Response, view: UserView,
                  session_id: str | None = None) -> Session:
    """Set the session cookie for `view`'s user at their current epoch; with `session_id`, the
    same session goes on (and keeps its CSRF token) under the new epoch."""
    settings: PortalSettings = request.app.state.settings
    session = Session(session_id=session_id or secrets.token_urlsafe(16), user_id=view.user.id,
                      tenant_id=view.user.tenant_id, epoch=view.session_epoch,
                      issued_at=utc_now())
    max_age = settings.session_max_age_seconds
    cookie = jwt.encode({"sid": session.session_id, "sub": session.user_id,
                         "tenant": session.tenant_id, "epoch": session.epoch,
                         "iat": session.issued_at,
                         "exp": session.issued_at + timedelta(seconds=max_age)},
                        derived_key(settings, "session"), algorithm="HS256")
    response.set_cookie(SESSION_COOKIE, cookie, max_age=max_age, path="/", httponly=True,
                        samesite="lax", secure=came_over_https(request))
    request.state.session = session
    return session


async def log_in(request: Request, response: Response, username: str,
                 password: str) -> Principal:
    """Sign in: the session cookie is set on `response`. Raises `NotSignedIn` (401) for wrong
    credentials or a disabled user, `TooManyAttempts` (429) past the limit of failures, and
    `CsrfRefused` (403) for a form posted without its sign-in CSRF token."""
    await refuse_cross_site_login(request)
    throttle: LoginThrottle = request.app.state.login_throttle
    address = client_address(request)
    if (wait := throttle.retry_after(username, address)) is not None:
        raise TooManyAttempts(wait)
    try:
        view = await request.app.state.gateway.ask(
            Authenticate(username=username, password=password), UserView)
    except HTTPException as refused:
        if refused.status_code not in (403, 422):  # 422: not even a possible username
            raise
        throttle.failed(username, address)
        raise NotSignedIn() from None
    throttle.succeeded(username)
    start_session(request, response, view)
    return principal_of(view)


def log_out(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")


def csrf_token(request: Request) -> str:
    """The CSRF token of the request's session, for a page's forms (and for scripts, in
    X-CSRF-Token). Only for a request a session authenticated, or that just signed in."""
    session: Session = request.state.session
    return _csrf_of(request.app.state.settings, session.session_id)


def _csrf_of(settings: PortalSettings, session_id: str) -> str:
    return hmac.new(derived_key(settings, "csrf"), session_id.encode(), hashlib.sha256).hexdigest()


async def refuse_forged(request: Request, session: Session) -> None:
    """An unsafe request a session cookie authenticates must carry the session's CSRF token."""
    if request.method in SAFE_METHODS:
        return
    sent = await _sent_csrf(request)
    if not sent or not hmac.compare_digest(sent, _csrf_of(request.app.state.settings,
                                                          session.session_id)):
        raise CsrfRefused()


def login_csrf_token(request: Request, response: Response) -> str:
    """The token for the sign-in form: the one in its cookie, else a new one set in it."""
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, path="/", httponly=True, samesite="lax",
                        secure=came_over_https(request))
    return token


async def refuse_cross_site_login(request: Request) -> None:
    """Another site's page could post its own credentials to the sign-in form, signing the
    browser in as someone else: a form must send back the token of its cookie. A JSON body needs
    none, as no page of another site can send one here (the portal allows no CORS)."""
    if _media_type(request) == "application/json":
        return
    sent, expected = await _sent_csrf(request), request.cookies.get(LOGIN_CSRF_COOKIE)
    if not sent or not expected or not hmac.compare_digest(sent, expected):
        raise CsrfRefused()


async def _sent_csrf(request: Request) -> str | None:
    if header := request.headers.get(CSRF_HEADER):
        return header
    if _media_type(request) in FORMS:
        value = (await request.form()).get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def came_over_https(request: Request) -> bool:
    settings: PortalSettings = request.app.state.settings
    if settings.behind_proxy and (proto := request.headers.get("x-forwarded-proto")):
        return proto.split(",")[0].strip().lower() == "https"
    return request.url.scheme == "https"


def client_address(request: Request) -> str:
    """The browser's address; behind a proxy, the one the proxy saw (the last it appended)."""
    settings: PortalSettings = request.app.state.settings
    if settings.behind_proxy and (forwarded := request.headers.get("x-forwarded-for")):
        return forwarded.split(",")[-1].strip()
    return request.client.host if request.client else "unknown"
