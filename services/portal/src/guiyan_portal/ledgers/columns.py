"""The ledgers' columns: for each kind of ledger (projects, people), each Chinese header and the
field it holds, and how a cell becomes the field's value and back. A cell may name a county,
sector, chain, link, facility, park, station or province in Chinese or by its code, and a
choice (a person's status, scale…) by its Chinese word or its code; what cannot be read is
passed on as it is, for registry to refuse with the field's own error (a station no one knows
is `unknown_station` there)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from guiyan_contracts.models import Park
from guiyan_contracts.people import (
    ConsentSource,
    EnterpriseScale,
    Influence,
    PersonRole,
    PersonStatus,
    Station,
)
from guiyan_contracts.regions import PROVINCES, province_code
from guiyan_contracts.registry import LedgerKind
from guiyan_contracts.taxonomy import Taxonomy

Kind = Literal["text", "county", "sector", "chain", "link", "number", "money", "count", "flag",
               "date", "facilities", "parks", "station", "province", "choice"]


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # as the ledger's header row says it
    kind: Kind
    width: int  # in characters, for a written sheet
    # A `choice` column's values: code → the ledger's Chinese word.
    choices: tuple[tuple[str, str], ...] = ()
    # Other headers older ledgers give the column.
    aliases: tuple[str, ...] = ()


def header_key(text: str) -> str:
    """A header as compared: without spaces, with full-width brackets as plain ones."""
    return re.sub(r"\s+", "", text).replace("（", "(").replace("）", ")").casefold()


@dataclass(frozen=True)
class Layout:
    """One kind of ledger: its sheet, its columns in order, and how to fill it in."""

    kind: LedgerKind
    sheet: str
    columns: tuple[Column, ...]
    instructions: tuple[str, ...]
    by_field: dict[str, Column] = field(init=False)
    # A header is found by its text, by its text without the unit (投资额 for 投资额（元）), by an
    # older header, or by the field's name. Another unit (投资额(万元)) is not ours, and is
    # ignored rather than misread.
    headers: dict[str, Column] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_field", {column.field: column for column in self.columns})
        object.__setattr__(self, "headers", {
            key: column for column in self.columns
            for text in (column.header, *column.aliases)
            for key in (header_key(text), re.sub(r"\(.*\)$", "", header_key(text)),
                        column.field)})

    def column_for(self, header: object) -> Column | None:
        return self.headers.get(header_key(str(header))) if header is not None else None


PROJECTS = Layout(LedgerKind.projects, "项目台账", (
    Column("ledger_ref", "项目编号", "text", 14),
    Column("name", "项目名称", "text", 30),
    Column("founder", "创始人", "text", 10),
    Column("source", "来源服务站", "station", 12, aliases=("来源驿站",)),
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
), (
    "填写说明",
    "1. 每行一个项目；表头按名称识别，列的顺序可以调整，其他列会被忽略，空行会被跳过。",
    "2. 项目编号是本台账自己的编号：再次导入时按它找到已导入的项目并更新；没有编号时按项目名称、创始人和来源服务站识别。",
    "3. 来源服务站、家乡县区、行业、产业链、环节、所需设施、意向园区请从下拉列表中选择，也可填写系统代码。",
    "4. 需求面积（平方米）与需求土地（亩）二者填且只填一项；需求面积的项目须填写工商注册日期。",
    "5. 金额以元为单位填写数字；日期填写为日期（如 2025-09-01）。",
    "6. 所需设施和意向园区可填多项，用顿号“、”分隔。",
    "7. 以 =、+、-、@ 开头的内容按文字保存，不会作为公式计算。",
    "8. 导入前可先“试导入”：只检查、不保存，并逐行列出错误。",
))

PEOPLE = Layout(LedgerKind.people, "人员档案", (
    Column("archive_ref", "档案编号", "text", 14),
    Column("name", "姓名", "text", 10),
    Column("phone", "联系电话", "text", 14),
    Column("status", "人员状态", "choice", 10, choices=(
        (PersonStatus.away, "在外"), (PersonStatus.returned, "已返乡"),
        (PersonStatus.founder, "返乡创业"))),
    Column("hometown_county", "家乡县区", "county", 10),
    Column("current_province", "现居省份", "province", 10),
    Column("current_city", "现居城市", "text", 10),
    Column("sector", "行业", "sector", 14),
    Column("chain", "产业链", "chain", 14),
    Column("link", "环节", "link", 16),
    Column("role", "身份", "choice", 10, choices=(
        (PersonRole.worker, "务工人员"), (PersonRole.manager, "企业管理人员"),
        (PersonRole.entrepreneur, "企业家"))),
    Column("enterprise", "所在企业", "text", 24),
    Column("enterprise_scale", "企业规模", "choice", 8, choices=(
        (EnterpriseScale.micro, "微型"), (EnterpriseScale.small, "小型"),
        (EnterpriseScale.medium, "中型"), (EnterpriseScale.large, "大型"))),
    Column("influence", "影响力", "choice", 8, choices=(
        (Influence.general, "一般"), (Influence.notable, "较大"), (Influence.key, "重点人士"))),
    Column("station_id", "服务站", "station", 12),
    Column("contact_consent", "同意联系", "flag", 8),
    Column("consent_on", "同意日期", "date", 12),
    Column("consent_source", "同意方式", "choice", 10, choices=(
        (ConsentSource.written, "书面"), (ConsentSource.online, "线上"),
        (ConsentSource.phone, "电话"), (ConsentSource.station, "服务站代收"))),
), (
    "填写说明",
    "1. 每行一人；表头按名称识别，列的顺序可以调整，其他列会被忽略，空行会被跳过。",
    "2. 档案编号是本档案自己的编号：再次导入时按它找到已导入的人员并更新；没有编号时按姓名、家乡县区和现居城市识别。",
    "3. 人员状态、家乡县区、现居省份、行业、产业链、环节、身份、企业规模、影响力、服务站、同意方式请从下拉列表中选择。",
    "4. 只记录招商引才所需的信息：不要填写身份证号、出生日期、家庭或收入情况。",
    "5. 同意联系填“是”时，须填写同意日期和同意方式；未同意的人员不会出现在招商线索中。",
    "6. 日期填写为日期（如 2025-09-01）。以 =、+、-、@ 开头的内容按文字保存，不会作为公式计算。",
    "7. 导入前可先“试导入”：只检查、不保存，并逐行列出错误。",
))

LAYOUTS = {layout.kind: layout for layout in (PROJECTS, PEOPLE)}
PROJECT_COLUMNS = PROJECTS.columns
YES, NO = "是", "否"
_FLAGS = {YES: True, NO: False, "yes": True, "no": False, "true": True, "false": False,
          "y": True, "n": False, "1": True, "0": False, "有": True, "无": False}
# Items of a list cell: 、 as a ledger writes them, or commas, semicolons and line breaks.
_ITEMS = re.compile(r"[、,，;；\n]+")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


class Vocabulary:
    """The city's names, each to its code: what a ledger's cells may say."""

    def __init__(self, taxonomy: Taxonomy, parks: list[Park],
                 stations: list[Station] | tuple[Station, ...] = ()) -> None:
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
        self.stations = {name: station.id for station in stations
                         for name in (station.id, station.name)}
        self.station_names = {station.id: station.name for station in stations}

    def fields(self, cells: dict[str, Any], layout: Layout = PROJECTS) -> dict[str, Any]:
        """A row's cells (by field) as the layout's record's values; empty cells are left out."""
        found: dict[str, Any] = {}
        for field_name, value in cells.items():
            if blank(value):
                continue
            found[field_name] = self._value(layout.by_field[field_name], value, found)
        return found

    def _value(self, column: Column, value: Any, row: dict[str, Any]) -> Any:
        text = _text(value)
        match column.kind:
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
            case "station":
                return self.stations.get(text, text)
            case "province":
                return province_code(text) or text
            case "choice":
                return next((code for code, word in column.choices if text in (code, word)),
                            text)
        return text

    def cells(self, fields: dict[str, Any], layout: Layout = PROJECTS) -> list[Any]:
        """A record's fields as a ledger row shows them, column by column, in Chinese."""
        return [self._shown(column, fields) for column in layout.columns]

    def _shown(self, column: Column, fields: dict[str, Any]) -> Any:
        value = fields.get(column.field)
        if value is None or value == []:
            return None
        name = self.taxonomy.name
        sector, chain = fields.get("sector"), fields.get("chain")
        match column.kind:
            case "county":
                return name("county", value, "zh")
            case "sector":
                return name("sector", value, "zh")
            case "chain":
                return name("chain", value, "zh", sector=sector)
            case "link":
                return name("link", value, "zh", sector=sector, chain=chain)
            case "flag":
                return YES if value else NO
            case "facilities":
                return "、".join(name("facility", code, "zh") or code for code in value)
            case "parks":
                return "、".join(self.park_names.get(park_id, park_id) for park_id in value)
            case "station":
                return self.station_names.get(value, value)
            case "province":
                return PROVINCES[value][0] if value in PROVINCES else value
            case "choice":
                return dict(column.choices).get(value, value)
        return value

    def choices(self, column: Column) -> list[str]:
        """What a template's drop-down offers for the column, in Chinese."""
        taxonomy = self.taxonomy
        match column.kind:
            case "county":
                return [zh for _, zh, _ in taxonomy.counties]
            case "sector":
                return [s.zh for s in taxonomy.sectors]
            case "chain":
                return list(dict.fromkeys(c.zh for s in taxonomy.sectors for c in s.chains))
            case "link":
                return list(dict.fromkeys(zh for s in taxonomy.sectors for c in s.chains
                                          for _, zh, _ in c.links))
            case "flag":
                return [YES, NO]
            case "facilities":
                return [zh for _, zh, _ in taxonomy.facilities]
            case "parks":
                return sorted(self.park_names.values())
            case "station":
                return sorted(self.station_names.values())
            case "province":
                return [zh for zh, _ in PROVINCES.values()]
            case "choice":
                return [word for _, word in column.choices]
        return []


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
