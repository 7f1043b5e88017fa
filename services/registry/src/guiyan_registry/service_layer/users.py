"""registry's users: who they are, how they sign in, and which parks they manage.

A password is kept only as its hash (`adapters/password_hash.py`) and never answered. A user's
`session_epoch` is raised when their password changes or is reset, when they are disabled and
when their role changes: the portal's sessions carry the epoch they were issued under, and one
older than the user's is no longer taken."""

from __future__ import annotations

from uuid import uuid4

from pydantic import ValidationError

from guiyan_contracts.envelope import FieldError
from guiyan_contracts.models import Park, Role, User
from guiyan_contracts.refusals import Conflict, Forbidden, Invalid, NotFound
from guiyan_contracts.registry import (
    Authenticate,
    ChangePassword,
    GetUser,
    ListUsers,
    ParkUpdated,
    RegisterUser,
    ResetPassword,
    UpdateUser,
    UserList,
    UserRegistered,
    UserUpdated,
    UserView,
)

from ..adapters.password_hash import hash_password, verify_password
from ..adapters.unit_of_work import RegistryUnitOfWork
from ..domain.passwords import password_errors
from .handlers import PRODUCER, city_taxonomy, replay

# One answer for a wrong username, a wrong password and a disabled user alike.
NOT_SIGNED_IN = "wrong username or password"


def register_user(command: RegisterUser, uow: RegistryUnitOfWork) -> User:
    """Sent again with the same id and fields it answers as the first time did, whatever password
    it carries: the password is write-only, and the first one stays."""
    city_taxonomy(command.tenant_id)
    user_id = command.user_id or str(uuid4())
    if (first := replay(uow, "user", command.tenant_id, user_id, command.user)) is not None:
        if first.username != command.username:  # type: ignore[attr-defined]
            raise Conflict(f"user {user_id!r} exists with another username")
        return first  # type: ignore[return-value]
    password_hash = None
    if command.password is not None:
        if command.username is None:
            raise Invalid.at(["username"], "a user with a password needs a username")
        _refuse_weak(command.password, command.username, "password")
        password_hash = hash_password(command.password)
    if command.username is not None and uow.registry.username_taken(command.username):
        raise Conflict(f"the username {command.username!r} is taken")
    user = User(id=user_id, tenant_id=command.tenant_id, username=command.username,
                **command.user.model_dump())
    uow.registry.add_user(user, password_hash)
    uow.emit(UserRegistered(producer=PRODUCER, tenant_id=user.tenant_id,
                            correlation_id=command.correlation_id, user=user))
    return user


def authenticate(query: Authenticate, uow: RegistryUnitOfWork) -> UserView:
    """The user with this username and password. An unknown username costs the same hashing time
    as a wrong password, and gets the same refusal."""
    found = uow.registry.signing_in(query.username)
    user, password_hash = found if found is not None else (None, None)
    if not verify_password(query.password, password_hash) or user is None or user.disabled:
        raise Forbidden(NOT_SIGNED_IN)
    return _view(user, uow)


def change_password(command: ChangePassword, uow: RegistryUnitOfWork) -> UserView:
    user = _existing(command.tenant_id, command.user_id, uow)
    if not verify_password(command.current_password,
                           uow.registry.password_hash(user.tenant_id, user.id)):
        raise Invalid.at(["current_password"], "the current password is wrong")
    _refuse_weak(command.new_password, user.username, "new_password")
    return _set_password(user, command.new_password, uow)


def reset_password(command: ResetPassword, uow: RegistryUnitOfWork) -> UserView:
    user = _existing(command.tenant_id, command.user_id, uow)
    if user.username is None:
        raise Conflict(f"user {user.id!r} has no username to sign in with")
    _refuse_weak(command.new_password, user.username, "new_password")
    return _set_password(user, command.new_password, uow)


def update_user(command: UpdateUser, uow: RegistryUnitOfWork) -> UserView:
    """The user's new state, sent on as `UserUpdated` even when nothing changed (as a park's is).
    The parks they manage become exactly `managed_park_ids`: each park that gains or loses them
    is updated and sent on as `ParkUpdated`, so matching and notification follow."""
    current = _existing(command.tenant_id, command.user_id, uow)
    user = User(id=current.id, tenant_id=current.tenant_id, username=current.username,
                disabled=command.disabled, **command.user.model_dump())
    if command.updated_by == user.id and (user.disabled or user.role is not current.role):
        raise Conflict("you cannot disable yourself or change your own role")
    parks = uow.registry.parks(command.tenant_id)
    if errors := _managed_park_errors(user, command.managed_park_ids, {p.id for p in parks}):
        raise Invalid("the parks are invalid", errors)
    uow.registry.replace_user(user)
    if (user.disabled and not current.disabled) or user.role is not current.role:
        uow.registry.end_sessions(user.tenant_id, user.id)
    for park in _parks_changed(parks, user.id, set(command.managed_park_ids)):
        uow.registry.replace_park(park)
        uow.emit(ParkUpdated(producer=PRODUCER, tenant_id=park.tenant_id,
                             correlation_id=command.correlation_id, park=park,
                             updated_by=command.updated_by))
    uow.emit(UserUpdated(producer=PRODUCER, tenant_id=user.tenant_id,
                         correlation_id=command.correlation_id, user=user,
                         updated_by=command.updated_by))
    return _view(user, uow)


def get_user(query: GetUser, uow: RegistryUnitOfWork) -> UserView:
    return _view(_existing(query.tenant_id, query.user_id, uow), uow)


def list_users(query: ListUsers, uow: RegistryUnitOfWork) -> UserList:
    users, total = uow.registry.user_page(query.tenant_id, query.limit, query.offset)
    return UserList(users=users, total=total)


def _existing(tenant_id: str, user_id: str, uow: RegistryUnitOfWork) -> User:
    user = uow.registry.user(tenant_id, user_id)
    if user is None:
        raise NotFound(f"no user {user_id!r}")
    return user


def _view(user: User, uow: RegistryUnitOfWork) -> UserView:
    managed = [p.id for p in uow.registry.parks(user.tenant_id) if user.id in p.manager_ids]
    return UserView(user=user, managed_park_ids=managed,
                    session_epoch=uow.registry.session_epoch(user.tenant_id, user.id))


def _refuse_weak(password: str, username: str | None, field: str) -> None:
    if errors := password_errors(password, username, [field]):
        raise Invalid("the password is not allowed", errors)


def _set_password(user: User, password: str, uow: RegistryUnitOfWork) -> UserView:
    uow.registry.set_password_hash(user.tenant_id, user.id, hash_password(password))
    uow.registry.end_sessions(user.tenant_id, user.id)
    return _view(user, uow)


def _managed_park_errors(user: User, park_ids: list[str], known: set[str]) -> list[FieldError]:
    if park_ids and user.role is not Role.park_manager:
        return [FieldError(loc=["managed_park_ids"], msg="only a park manager manages parks")]
    return [FieldError(loc=["managed_park_ids", index], msg=f"no park {park_id!r} in this city")
            for index, park_id in enumerate(park_ids) if park_id not in known]


def _parks_changed(parks: list[Park], user_id: str, managed: set[str]) -> list[Park]:
    """Each park whose managers change so that `user_id` manages exactly `managed`."""
    changed = []
    for park in parks:
        if (park.id in managed) == (user_id in park.manager_ids):
            continue
        managers = ([*park.manager_ids, user_id] if park.id in managed
                    else [m for m in park.manager_ids if m != user_id])
        try:
            changed.append(Park.model_validate({**park.model_dump(), "manager_ids": managers}))
        except ValidationError:
            raise Invalid.at(["managed_park_ids"],
                             f"park {park.id!r} has as many managers as it may") from None
    return changed
