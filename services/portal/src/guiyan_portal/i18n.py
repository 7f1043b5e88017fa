"""The languages pages speak: Chinese by default, English on request.

Every string a page shows comes from the gettext catalogue under `locale/`; message ids are the
English text, so English needs no catalogue. The `.po` file is read as it is at start, so a fresh
clone runs without a build step (`make messages` refreshes it from the code and templates).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from io import BytesIO

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from starlette.requests import HTTPConnection

LOCALES = ("zh", "en")
DEFAULT_LOCALE = "zh"
LANG_COOKIE = "lang"  # set by the language switch
CATALOGUES = {"zh": "zh_CN"}  # locale → catalogue directory; English is the message ids
BABEL_LOCALES = {"zh": "zh_CN", "en": "en_US"}  # for dates and numbers


def catalogue_path(locale: str) -> str:
    return str(files("guiyan_portal").joinpath("locale", CATALOGUES[locale], "LC_MESSAGES", "messages.po"))


@cache
def translations(locale: str) -> NullTranslations:
    """The catalogue of `locale` (zh, en), compiled in memory once per process."""
    if locale not in CATALOGUES:
        return NullTranslations()
    with open(catalogue_path(locale), "rb") as po:
        catalog = read_po(po, locale=CATALOGUES[locale])
    compiled = BytesIO()
    write_mo(compiled, catalog)  # fuzzy entries are left out, as msgfmt does
    compiled.seek(0)
    return Translations(compiled, domain="messages")


def accepted_languages(header: str) -> list[tuple[float, str]]:
    """Accept-Language as (quality, primary language), best first."""
    accepted = []
    for part in header.split(","):
        language, _, parameters = part.strip().partition(";")
        quality = 1.0
        if parameters.strip().startswith("q="):
            try:
                quality = float(parameters.strip()[2:])
            except ValueError:
                continue
        if language:
            accepted.append((quality, language.split("-")[0].lower()))
    return sorted(accepted, key=lambda each: -each[0])  # stable: equal qualities keep their order


def request_locale(request: HTTPConnection) -> str:
    """The `lang` cookie, else the best of the browser's languages we speak (Chinese when it
    rates both alike), else Chinese."""
    if (chosen := request.cookies.get(LANG_COOKIE)) in LOCALES:
        return chosen
    spoken = [(quality, language) for quality, language in
              accepted_languages(request.headers.get("accept-language", "")) if language in LOCALES]
    if not spoken:
        return DEFAULT_LOCALE
    best = max(quality for quality, _ in spoken)
    return DEFAULT_LOCALE if (best, DEFAULT_LOCALE) in spoken else spoken[0][1]
