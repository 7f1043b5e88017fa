"""A city's sector taxonomy (产业链图谱): sector → chain → ordered links, versioned per city."""

from __future__ import annotations

import logging
import os
import re
import tomllib
from functools import cache, cached_property
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Literal, Self

from pydantic import BaseModel, StringConstraints, field_validator, model_validator

from .envelope import CITY_ID_PATTERN

SHIPPED_TAXONOMIES = "guiyan_contracts.taxonomies"
log = logging.getLogger(__name__)

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Entry = tuple[Text, Text, Text]  # (code, Chinese name, English name)
Kind = Literal["county", "facility", "sector", "chain", "link"]
LOCALES = ("zh", "en")


def entries_named_in_both_languages(entries: object) -> object:
    """An entry without its English name is refused by name: a page in English would otherwise
    have nothing but the code to show."""
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, list | tuple) and len(entry) == 2:
            raise ValueError(f"{entry[0]} ({entry[1]}) has no English name: write [code, zh, en]")
    return entries


class Chain(BaseModel):
    code: str
    zh: str
    en: Text
    links: list[Entry]  # upstream first

    _links_named = field_validator("links", mode="before")(entries_named_in_both_languages)

    def position(self, link: str) -> int | None:
        for index, (code, *_) in enumerate(self.links):
            if code == link:
                return index
        return None


class Sector(BaseModel):
    code: str
    zh: str
    en: Text
    tier: str
    chains: list[Chain]


class Taxonomy(BaseModel):
    city: str
    city_zh: str
    city_en: Text
    version: str
    counties: list[Entry]
    facilities: list[Entry] = []  # what a park can offer and a project can require
    sectors: list[Sector]

    _entries_named = field_validator("counties", "facilities", mode="before")(
        entries_named_in_both_languages)

    @model_validator(mode="after")
    def _codes_unique(self) -> Self:
        """A city file under `CITIES_DIR` is read as it is: a code twice would be ambiguous."""
        for kind, codes, where in [("sector", [s.code for s in self.sectors], ""),
                                   *(("chain", [c.code for c in s.chains], f" in sector {s.code}")
                                     for s in self.sectors)]:
            if twice := sorted({code for code in codes if codes.count(code) > 1}):
                raise ValueError(f"{kind} code {', '.join(twice)} appears more than once{where}")
        return self

    @cached_property
    def chains_by_code(self) -> dict[tuple[str, str], Chain]:
        """(sector, chain) → chain: the rules look a project's chain up for every park."""
        return {(s.code, c.code): c for s in self.sectors for c in s.chains}

    def sector(self, code: str) -> Sector | None:
        return next((s for s in self.sectors if s.code == code), None)

    def chain(self, sector: str, chain: str) -> Chain | None:
        return self.chains_by_code.get((sector, chain))

    def county_codes(self) -> set[str]:
        return {code for code, *_ in self.counties}

    def facility_codes(self) -> set[str]:
        return {code for code, *_ in self.facilities}

    @cached_property
    def names(self) -> dict[tuple[str, str | None, str | None, str], tuple[str, str]]:
        """(kind, sector, chain, code) → (Chinese, English): a chain is known within its sector
        and a link within its chain, so those keys carry them."""
        names: dict[tuple[str, str | None, str | None, str], tuple[str, str]] = {}
        for kind, entries in (("county", self.counties), ("facility", self.facilities)):
            names |= {(kind, None, None, code): (zh, en) for code, zh, en in entries}
        for s in self.sectors:
            names[("sector", None, None, s.code)] = (s.zh, s.en)
            for c in s.chains:
                names[("chain", s.code, None, c.code)] = (c.zh, c.en)
                names |= {("link", s.code, c.code, code): (zh, en) for code, zh, en in c.links}
        return names

    def name(self, kind: Kind, code: str, locale: str, *, sector: str | None = None,
             chain: str | None = None) -> str | None:
        """What a reader in `locale` (zh, en) calls the entry; None for a code this taxonomy does
        not have, for the caller to say so in its own words rather than show the code."""
        key = (kind, sector if kind in ("chain", "link") else None,
               chain if kind == "link" else None, code)
        names = self.names.get(key)
        return None if names is None else names[LOCALES.index(locale_language(locale))]

    def city_name(self, locale: str) -> str:
        return self.city_zh if locale_language(locale) == "zh" else self.city_en


def locale_language(locale: str) -> str:
    """zh, zh_CN and zh-Hans read Chinese; every other locale reads English."""
    return "zh" if locale.lower().startswith("zh") else "en"


class UnknownCity(LookupError):
    """A city outside the configured set. Its name is never used to look for a file."""

    def __init__(self, city: str, kind: str = "taxonomies") -> None:
        super().__init__(f"no city {city!r} is configured (no {kind} file for it)")


def is_city_id(city: str) -> bool:
    return re.fullmatch(CITY_ID_PATTERN, city) is not None


@cache
def configured_cities() -> frozenset[str]:
    """The cities with a taxonomy: those shipped, and those ops add under `$CITIES_DIR/taxonomies/`.
    Read once per process: a city added there is served after a restart."""
    shipped = {entry.name.removesuffix(".toml") for entry in files(SHIPPED_TAXONOMIES).iterdir()
               if entry.name.endswith(".toml")}
    extra = ({path.stem for path in Path(root, "taxonomies").glob("*.toml")}
             if (root := os.environ.get("CITIES_DIR")) else set())
    for ignored in sorted(city for city in extra if not is_city_id(city)):
        log.warning("taxonomies/%s.toml under CITIES_DIR is not served: a city id is lower-case "
                    "letters, digits and hyphens, starting with a letter", ignored)
    return frozenset(city for city in shipped | extra if is_city_id(city))


def city_file(package: str, kind: str, city: str) -> str:
    """A city's `kind` file (taxonomies, policies): `$CITIES_DIR/<kind>/<city>.toml` if there, so
    a city can be added without a release, else the one shipped in `package`. Raises
    `UnknownCity` for a city outside the configured set or without such a file."""
    if city not in configured_cities():
        raise UnknownCity(city)
    if (extra := os.environ.get("CITIES_DIR")) and (path := Path(extra, kind, f"{city}.toml")).is_file():
        return path.read_text("utf-8")
    shipped = files(package).joinpath(f"{city}.toml")
    if not shipped.is_file():
        raise UnknownCity(city, kind)
    return shipped.read_text("utf-8")


@cache
def load_taxonomy(city: str = "heze") -> Taxonomy:
    text = city_file(SHIPPED_TAXONOMIES, "taxonomies", city)
    return Taxonomy.model_validate(tomllib.loads(text))
