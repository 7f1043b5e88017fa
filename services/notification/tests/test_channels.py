"""Channels as admins configure them: a secret goes in and never comes out, a URL's token is
masked, a change of address starts a new run of failures, and a deleted channel's queue goes."""

from __future__ import annotations

import pytest
from sqlmodel import select

from guiyan_contracts import notification as contract
from guiyan_contracts.refusals import Invalid, NotFound
from guiyan_notification.adapters.orm import Channel, Delivery
from guiyan_notification.service_layer import channels

from .test_delivery import offered
from .test_telling import run, tell

CITY = "heze"
TOKEN = "f0e1d2c3b4a5"



def robot(**changes: object) -> contract.ChannelFields:
    fields = {"kind": "dingtalk", "name": "曹县汉服园群", "park_id": "hanfu",
              "url": f"https://oapi.dingtalk.com/robot/send?access_token={TOKEN}"} | changes
    return contract.ChannelFields.model_validate(fields)


def created(uow, secret: str | None = "SECabc") -> contract.Channel:
    return run(uow, channels.ChannelWriter(private_addresses=True).create,
               contract.CreateChannel(tenant_id=CITY, channel=robot(), secret=secret))


def test_an_answer_carries_neither_the_secret_nor_the_token(uow) -> None:
    channel = created(uow)
    listed = run(uow, channels.list_channels, contract.ListChannels(tenant_id=CITY))
    for shown in (channel, listed.items[0]):
        text = shown.model_dump_json()
        assert "SECabc" not in text and TOKEN not in text
        assert shown.url == "https://oapi.dingtalk.com/robot/send?access_token=••••"
        assert shown.has_secret


def test_an_update_without_a_secret_keeps_it_and_clear_secret_removes_it(uow) -> None:
    channel = created(uow)
    kept = run(uow, channels.ChannelWriter(private_addresses=True).update, contract.UpdateChannel(
        tenant_id=CITY, channel_id=channel.id, channel=robot(name="新名字")))
    assert kept.has_secret and kept.name == "新名字"
    cleared = run(uow, channels.ChannelWriter(private_addresses=True).update, contract.UpdateChannel(
        tenant_id=CITY, channel_id=channel.id, channel=robot(), clear_secret=True))
    assert not cleared.has_secret


def test_the_url_sent_back_masked_keeps_the_token_and_a_new_one_replaces_it(uow) -> None:
    channel = created(uow)
    renamed = run(uow, channels.ChannelWriter(private_addresses=True).update, contract.UpdateChannel(
        tenant_id=CITY, channel_id=channel.id, channel=robot(url=channel.url, name="改名")))
    with uow() as unit:
        assert unit.session.get(Channel, channel.id).url.endswith(f"access_token={TOKEN}")
    assert renamed.url == channel.url and renamed.name == "改名"
    run(uow, channels.ChannelWriter(private_addresses=True).update, contract.UpdateChannel(
        tenant_id=CITY, channel_id=channel.id,
        channel=robot(url="https://oapi.dingtalk.com/robot/send?access_token=new")))
    with uow() as unit:
        assert unit.session.get(Channel, channel.id).url.endswith("access_token=new")


def test_a_new_address_starts_a_new_run_of_failures(uow) -> None:
    channel = created(uow)
    with uow() as unit:
        row = unit.session.get(Channel, channel.id)
        row.consecutive_failures, row.alerted = 7, True
        unit.session.add(row)
        unit.commit()
    renamed = run(uow, channels.ChannelWriter(private_addresses=True).update, contract.UpdateChannel(
        tenant_id=CITY, channel_id=channel.id, channel=robot(name="改名")))
    assert renamed.consecutive_failures == 7  # a new name fixes nothing
    moved = run(uow, channels.ChannelWriter(private_addresses=True).update, contract.UpdateChannel(
        tenant_id=CITY, channel_id=channel.id,
        channel=robot(url="https://oapi.dingtalk.com/robot/send?access_token=new")))
    assert moved.consecutive_failures == 0


def test_only_a_dingtalk_robot_takes_a_keyword_and_a_wecom_robot_no_secret(uow) -> None:
    with pytest.raises(Invalid):
        run(uow, channels.ChannelWriter(private_addresses=True).create, contract.CreateChannel(
            tenant_id=CITY, channel=robot(kind="webhook", keyword="归雁")))
    with pytest.raises(Invalid):
        run(uow, channels.ChannelWriter(private_addresses=True).create, contract.CreateChannel(
            tenant_id=CITY, channel=robot(kind="wecom"), secret="s"))


def test_a_channel_belongs_to_one_park_or_one_user() -> None:
    with pytest.raises(ValueError, match="one park or to one user"):
        robot(user_id="mgr-a")
    with pytest.raises(ValueError, match="one park or to one user"):
        robot(park_id=None)


def test_another_city_s_channel_is_not_found(uow) -> None:
    channel = created(uow)
    with pytest.raises(NotFound):
        run(uow, channels.get_channel, contract.GetChannel(tenant_id="jining",
                                                           channel_id=channel.id))
    with pytest.raises(NotFound):
        run(uow, channels.delete_channel, contract.DeleteChannel(tenant_id="jining",
                                                                 channel_id=channel.id))


def test_a_deleted_channel_cancels_what_it_had_still_to_send(uow) -> None:
    channel = created(uow)
    tell(uow, offered(CITY, "mgr-a"), email=False)
    deleted = run(uow, channels.delete_channel,
                  contract.DeleteChannel(tenant_id=CITY, channel_id=channel.id))
    assert deleted.cancelled == 1
    with uow() as unit:
        assert [(d.status, d.channel_name) for d in unit.session.exec(select(Delivery))] == [
            ("cancelled", "曹县汉服园群")]


def test_a_webhook_is_signed_so_it_cannot_be_made_without_a_secret(uow) -> None:
    hook = robot(kind="webhook", url="https://hooks.example.cn/guiyan")
    with pytest.raises(Invalid) as refused:
        run(uow, channels.ChannelWriter(private_addresses=False).create,
            contract.CreateChannel(tenant_id=CITY, channel=hook))
    assert refused.value.errors[0].type == "webhook_secret_required"


@pytest.mark.parametrize("url", ["http://oapi.dingtalk.com/robot/send?access_token=t",
                                 "https://127.0.0.1:8222/varz", "https://169.254.169.254/latest",
                                 "https://[::1]/hook", "https://10.1.2.3/hook",
                                 "https://nats.internal/hook", "https://localhost/hook"])
def test_a_channel_may_not_reach_into_the_deployment_s_own_network(uow, url: str) -> None:
    with pytest.raises(Invalid) as refused:
        run(uow, channels.ChannelWriter(private_addresses=False).create,
            contract.CreateChannel(tenant_id=CITY, channel=robot(url=url)))
    assert refused.value.errors[0].type == "url_not_public"


def test_ops_may_allow_an_intranet_receiver(uow) -> None:
    channel = run(uow, channels.ChannelWriter(private_addresses=True).create,
                  contract.CreateChannel(tenant_id=CITY, channel=robot(url="http://10.1.2.3/hook")))
    assert channel.url == "http://10.1.2.3/hook"


def test_a_token_in_a_webhook_s_path_is_masked_too() -> None:
    assert channels.masked_url("https://open.feishu.cn/open-apis/bot/v2/hook/"
                               "7d3c1f0e-92b1-4e55-a0d2-1b2c3d4e5f60") == (
        "https://open.feishu.cn/open-apis/bot/v2/hook/••••")
    assert channels.masked_url("https://hooks.example.cn/guiyan/offers") == (
        "https://hooks.example.cn/guiyan/offers")
