"""registry's users on a real database: signing in, passwords, sessions' epochs, and the parks a
manager runs."""

from __future__ import annotations

import pytest
from sqlmodel import select

from guiyan_contracts.models import ParkFields, Role, UserFields
from guiyan_contracts.refusals import Conflict, Forbidden, Invalid
from guiyan_contracts.registry import (
    Authenticate,
    ChangePassword,
    GetPark,
    GetUser,
    ListUsers,
    RegisterPark,
    RegisterUser,
    ResetPassword,
    UpdateUser,
)
from guiyan_eventing.idempotency import IdempotentReply
from guiyan_eventing.outbox import OutboxMessage
from guiyan_registry.service_layer import handlers, users

from .test_store import outbox_subjects, send

PASSWORD = "peony-garden-2026"
MANAGER = UserFields(name="园区负责人", role="park_manager")
PARK = ParkFields(name="曹县汉服产业返乡创业园", kind="return_home_park", county="caoxian",
                  sectors=["textiles_apparel"], floor_m2=80_000)


def register(uow, user_id: str = "mgr-hanfu", username: str | None = "wang.fang",
             password: str | None = PASSWORD, **command):
    return send(uow, users.register_user, RegisterUser(
        tenant_id="heze", user_id=user_id, user=MANAGER, username=username, password=password,
        **command))


def sign_in(uow, username: str = "wang.fang", password: str = PASSWORD):
    return send(uow, users.authenticate, Authenticate(username=username, password=password))


def refusal(uow, username: str, password: str) -> str:
    with pytest.raises(Forbidden) as raised:
        sign_in(uow, username, password)
    return raised.value.message


def test_a_registered_user_signs_in_with_their_username_in_any_case(uow) -> None:
    register(uow)
    view = sign_in(uow, "Wang.Fang")
    assert (view.user.id, view.user.tenant_id, view.user.username) == ("mgr-hanfu", "heze",
                                                                       "wang.fang")
    assert view.session_epoch == 0 and view.managed_park_ids == []


def test_a_wrong_password_an_unknown_username_and_a_disabled_user_get_one_answer(uow) -> None:
    register(uow)
    wrong_password = refusal(uow, "wang.fang", "not-the-password")
    unknown_user = refusal(uow, "nobody.here", PASSWORD)
    send(uow, users.update_user, UpdateUser(tenant_id="heze", user_id="mgr-hanfu",
                                            updated_by="admin", user=MANAGER, disabled=True))
    disabled = refusal(uow, "wang.fang", PASSWORD)
    assert wrong_password == unknown_user == disabled == "wrong username or password"


def test_no_password_nor_its_digest_is_kept_outside_the_users_hash(uow) -> None:
    register(uow, idempotency_key="admin:k1")
    with uow() as unit:
        kept = [m.payload for m in unit.session.exec(select(OutboxMessage))]
        kept += [r.reply_json + r.fingerprint for r in unit.session.exec(select(IdempotentReply))]
    assert kept and not any(PASSWORD in text for text in kept)
    assert "password" not in repr(RegisterUser(tenant_id="heze", user=MANAGER, password=PASSWORD))


def test_a_retried_registration_answers_as_the_first_whatever_password_it_carries(uow) -> None:
    first = register(uow, idempotency_key="admin:k1")
    again = register(uow, password="another-password-1", idempotency_key="admin:k1")
    assert again == first
    assert sign_in(uow).user.id == "mgr-hanfu"  # the first password stays
    with pytest.raises(Conflict, match="another username"):
        register(uow, username="li.si")


def test_a_username_is_taken_whatever_its_case(uow) -> None:
    register(uow)
    with pytest.raises(Conflict, match="taken"):
        register(uow, user_id="another-manager", username="WANG.FANG")


def test_a_weak_password_is_refused_at_registration(uow) -> None:
    with pytest.raises(Invalid) as raised:
        register(uow, password="wang.fang")
    assert [e.msg for e in raised.value.errors] == ["a password needs at least 10 characters",
                                                    "a password may not be the username"]
    with pytest.raises(Invalid) as raised:
        register(uow, username=None)
    assert raised.value.errors[0].loc == ["username"]


def test_changing_a_password_needs_the_current_one_and_ends_every_session(uow) -> None:
    register(uow)
    with pytest.raises(Invalid) as raised:
        send(uow, users.change_password, ChangePassword(
            tenant_id="heze", user_id="mgr-hanfu", current_password="wrong-password",
            new_password="a-new-password-1"))
    assert raised.value.errors[0].loc == ["current_password"]
    changed = send(uow, users.change_password, ChangePassword(
        tenant_id="heze", user_id="mgr-hanfu", current_password=PASSWORD,
        new_password="a-new-password-1"))
    assert changed.session_epoch == 1
    refusal(uow, "wang.fang", PASSWORD)
    assert sign_in(uow, password="a-new-password-1").session_epoch == 1


def test_an_admins_reset_sets_the_password_and_ends_every_session(uow) -> None:
    register(uow)
    with pytest.raises(Invalid):
        send(uow, users.reset_password, ResetPassword(
            tenant_id="heze", user_id="mgr-hanfu", new_password="short", reset_by="admin"))
    reset = send(uow, users.reset_password, ResetPassword(
        tenant_id="heze", user_id="mgr-hanfu", new_password="reset-by-admin-1", reset_by="admin"))
    assert reset.session_epoch == 1
    assert sign_in(uow, password="reset-by-admin-1").user.id == "mgr-hanfu"


def test_setting_a_managers_parks_rewrites_each_parks_managers_and_announces_them(uow) -> None:
    register(uow)
    send(uow, handlers.register_park, RegisterPark(tenant_id="heze", park_id="hanfu", park=PARK))
    send(uow, handlers.register_park, RegisterPark(
        tenant_id="heze", park_id="wood", park=PARK.model_copy(update={"manager_ids": ["mgr-hanfu"]})))
    before = len(outbox_subjects(uow))
    view = send(uow, users.update_user, UpdateUser(
        tenant_id="heze", user_id="mgr-hanfu", updated_by="admin",
        user=MANAGER.model_copy(update={"name": "王芳"}), managed_park_ids=["hanfu"]))
    assert view.managed_park_ids == ["hanfu"] and view.user.name == "王芳"
    assert view.session_epoch == 0  # neither disabled nor of another role
    assert sorted(outbox_subjects(uow)[before:]) == ["guiyan.registry.park.updated.v1",
                                                     "guiyan.registry.park.updated.v1",
                                                     "guiyan.registry.user.updated.v1"]
    with uow() as unit:
        assert handlers.get_park(GetPark(tenant_id="heze", park_id="wood"), unit).manager_ids == []
        assert handlers.get_park(GetPark(tenant_id="heze", park_id="hanfu"),
                                 unit).manager_ids == ["mgr-hanfu"]


def test_a_user_of_another_role_manages_no_park_and_a_changed_role_ends_sessions(uow) -> None:
    register(uow)
    send(uow, handlers.register_park, RegisterPark(
        tenant_id="heze", park_id="hanfu", park=PARK.model_copy(update={"manager_ids": ["mgr-hanfu"]})))
    staff = MANAGER.model_copy(update={"role": Role.staff})
    with pytest.raises(Invalid, match="parks"):
        send(uow, users.update_user, UpdateUser(tenant_id="heze", user_id="mgr-hanfu",
                                                updated_by="admin", user=staff,
                                                managed_park_ids=["hanfu"]))
    view = send(uow, users.update_user, UpdateUser(tenant_id="heze", user_id="mgr-hanfu",
                                                   updated_by="admin", user=staff))
    assert view.session_epoch == 1 and view.managed_park_ids == []


def test_an_admin_cannot_disable_themselves(uow) -> None:
    admin = UserFields(name="管理员", role="admin")
    send(uow, users.register_user, RegisterUser(tenant_id="heze", user_id="admin", user=admin))
    with pytest.raises(Conflict):
        send(uow, users.update_user, UpdateUser(tenant_id="heze", user_id="admin",
                                                updated_by="admin", user=admin, disabled=True))


def test_users_are_listed_a_page_at_a_time_with_their_total(uow) -> None:
    for index in range(3):
        register(uow, user_id=f"user-{index}", username=f"user.{index}", password=None)
    with uow() as unit:
        page = users.list_users(ListUsers(tenant_id="heze", limit=2, offset=1), unit)
        view = users.get_user(GetUser(tenant_id="heze", user_id="user-0"), unit)
    assert ([u.id for u in page.users], page.total) == (["user-1", "user-2"], 3)
    assert view.user.disabled is False and view.session_epoch == 0
