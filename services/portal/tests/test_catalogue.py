"""The portal's catalogue is whole: every message the code and templates ask for is in it, and
every one is translated into Chinese."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from guiyan_portal.i18n import catalogue_path, translations

PORTAL = Path(__file__).parents[1]


def catalogue():
    with open(catalogue_path("zh"), "rb") as po:
        return read_po(po, locale="zh_CN")


def extracted_ids() -> set[str]:
    with open(PORTAL / "babel.cfg") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = extract_from_dir(PORTAL / "src" / "guiyan_portal", method_map, options_map)
    return {message if isinstance(message, str) else message[0] for _, _, message, *_ in found}


def test_every_message_has_a_chinese_translation_none_fuzzy() -> None:
    messages = [m for m in catalogue() if m.id]
    assert messages
    untranslated = [m.id for m in messages if not m.string or (isinstance(m.string, tuple)
                                                                and not all(m.string))]
    assert untranslated == [], "translate these in messages.po"
    assert [m.id for m in messages if m.fuzzy] == [], "check and unmark these fuzzy translations"


def test_the_catalogue_holds_what_the_code_and_templates_ask_for() -> None:
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue() if m.id}
    asked = extracted_ids()
    assert asked - ids == set(), "run `make messages` and translate what it adds"
    assert ids - asked == set(), "run `make messages`: these are no longer asked for"


def test_placeholders_survive_translation() -> None:
    placeholders = re.compile(r"%\((\w+)\)s")
    for message in catalogue():
        if message.id:
            assert sorted(placeholders.findall(str(message.id))) == sorted(placeholders.findall(str(message.string))), message.id


@pytest.mark.parametrize(("locale", "said"), [("zh", "场地面积"), ("en", "Floor space")])
def test_a_message_is_said_in_the_locale(locale: str, said: str) -> None:
    assert translations(locale).gettext("Floor space") == said
