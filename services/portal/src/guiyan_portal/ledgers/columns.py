"""The ledger's columns: each Chinese header and the `ProjectFields` field it holds, and how a
cell becomes the field's value. A cell may name a county, sector, chain, link, facility or park
in Chinese or by its code; what cannot be read is passed on as it is, for registry to refuse
with the field's own error."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from guiyan_contracts.models import Park
from guiyan_contracts.taxonomy import Taxonomy

Kind = Literal["text", "county", "sector", "chain", "link", "number", "money", "count", "flag",
               "date", "facilities", "parks"]


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # as the ledger's header row says it
    kind: Kind
    width: int  # in characters, for a written sheet


PROJECT_COLUMNS = (
    Column("ledger_ref", "项目编号", "text", 14),
    Column("name", "项目名称", "text", 30),
    Column("founder", "创始人", "text", 10),
    Column("source", "来源驿站", "text", 12),
    Column("hometown_county", "家乡县区", "county", 10),
    Column("sector", "行业", "sector", 14),
    Column("chain", "产业链", "chain", 14),
    Column("link", "环节", "link", 16),
    Column("floor_m2", "需求面积（平方米）", "number", 12),
    Column("land_mu", "需求土地（亩）", "number", 10),
    Column("investment_yuan", "投资额（元）", "money", 16),
    Column("jobs", "就业人数", "count", 8),
    Column("hazardous_process", "危化工艺", "flag", 8),
    Column("registered_on", "工商注册日期", "date", 12),
    Column("expected_tax_yuan_per_year", "预计年纳税（元）", "money", 16),
    Column("required_facilities", "所需设施", "facilities", 24),
    Column("preferred_park_ids", "意向园区", "parks", 30),
)
BY_FIELD = {column.field: column for column in PROJECT_COLUMNS}
YES, NO = "是", "否"
_FLAGS = {YES: True, NO: False, "yes": True, "no": False, "true": True, "false": False,
          "y": True, "n": False, "1": True, "0": False, "有": True, "无": False}
# Items of a list cell: 、 as a ledger writes them, or commas, semicolons and line breaks.
_ITEMS = re.compile(r"[、,，;；\n]+")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def header_key(text: str) -> str:
    """A header as compared: without spaces, with full-width brackets as plain ones."""
    return re.sub(r"\s+", "", text).replace("（", "(").replace("）", ")").casefold()


# A header is found by its text, by its text without the unit (投资额 for 投资额（元）), or by the
# field's name. Another unit (投资额(万元)) is not ours, and is ignored rather than misread.
HEADERS = {key: column for column in PROJECT_COLUMNS
           for key in (header_key(column.header), re.sub(r"\(.*\)$", "", header_key(column.header)),
                       column.field)}


def column_for(header: object) -> Column | None:
    return HEADERS.get(header_key(str(header))) if header is not None else None


class Vocabulary:
    """The city's names, each to its code: what a ledger's cells may say."""

    def __init__(self, taxonomy: Taxonomy, parks: list[Park]) -> None:
        self.taxonomy = taxonomy
        self.counties = _by_name(taxonomy.counties)
        self.facilities = _by_name(taxonomy.facilities)
        self.sectors = {name: s.code for s in taxonomy.sectors for name in (s.code, s.zh, s.en)}
        self.chains = {(s.code, name): c.code for s in taxonomy.sectors for c in s.chains
                       for name in (c.code, c.zh, c.en)}
        self.links = {(s.code, c.code, name): code for s in taxonomy.sectors for c in s.chains
                      for code, zh, en in c.links for name in (code, zh, en)}
        self.parks = {name: park.id for park in parks for name in (park.id, park.name)}
        self.park_names = {park.id: park.name for park in parks}

    def fields(self, cells: dict[str, Any]) -> dict[str, Any]:
        """A row's cells (by field) as `ProjectFields`' values; empty cells are left out."""
        found: dict[str, Any] = {}
        for field, value in cells.items():
            if blank(value):
                continue
            column = BY_FIELD[field]
            found[field] = self._value(column.kind, value, found)
        return found

    def _value(self, kind: Kind, value: Any, row: dict[str, Any]) -> Any:
        text = _text(value)
        match kind:
            case "county":
                return self.counties.get(text, text)
            case "sector":
                return self.sectors.get(text, text)
            case "chain":
                return self.chains.get((row.get("sector"), text), text)
            case "link":
                return self.links.get((row.get("sector"), row.get("chain"), text), text)
            case "number" | "money":
                return _number(value, float)
            case "count":
                return _number(value, int)
            case "flag":
                return _FLAGS.get(text.casefold(), text) if not isinstance(value, bool) else value
            case "date":
                return _date(value)
            case "facilities":
                return [self.facilities.get(item, item) for item in _items(text)]
            case "parks":
                return [self.parks.get(item, item) for item in _items(text)]
        return text

    def cells(self, fields: dict[str, Any]) -> list[Any]:
        """A project's fields as a ledger row shows them, column by column, in Chinese."""
        name = self.taxonomy.name
        sector, chain = fields.get("sector"), fields.get("chain")
        shown = {
            "hometown_county": name("county", fields["hometown_county"], "zh"),
            "sector": name("sector", sector, "zh"),
            "chain": name("chain", chain, "zh", sector=sector),
            "link": name("link", fields["link"], "zh", sector=sector, chain=chain),
            "hazardous_process": YES if fields["hazardous_process"] else NO,
            "registered_on": fields.get("registered_on"),
            "required_facilities": "、".join(name("facility", code, "zh") or code
                                            for code in fields["required_facilities"]),
            "preferred_park_ids": "、".join(self.park_names.get(park_id, park_id)
                                           for park_id in fields["preferred_park_ids"]),
        }
        return [shown[c.field] if c.field in shown and shown[c.field] is not None
                else fields.get(c.field) for c in PROJECT_COLUMNS]


def _by_name(entries: list) -> dict[str, str]:
    return {name: code for code, zh, en in entries for name in (code, zh, en)}


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    """A cell as text: a number typed into a text column (a ledger number, 2024001) without
    Excel's `.0`."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _items(text: str) -> list[str]:
    return [item.strip() for item in _ITEMS.split(text) if item.strip()]


def _number(value: Any, kind: type) -> Any:
    """A number, or text with thousands separators; anything else as it is, for the contract to
    refuse as not a number."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return kind(value) if kind is float or float(value).is_integer() else value
    text = str(value).strip().replace(",", "").replace("，", "")
    try:
        number = float(text)
    except ValueError:
        return str(value).strip()
    return kind(number) if kind is float or number.is_integer() else number


def _date(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = _text(value)
    if match := _DATE.match(text):
        try:
            return date(*(int(part) for part in match.groups())).isoformat()
        except ValueError:
            return text
    return text
