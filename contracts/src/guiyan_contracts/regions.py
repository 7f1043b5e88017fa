"""China's provincial-level divisions, where natives work away: a person's and a station's
province is one of these codes, named to a reader in either language, never shown as a code."""

from __future__ import annotations

from typing import Literal

# code → (Chinese, English)
PROVINCES: dict[str, tuple[str, str]] = {
    "beijing": ("北京市", "Beijing"), "tianjin": ("天津市", "Tianjin"),
    "hebei": ("河北省", "Hebei"), "shanxi": ("山西省", "Shanxi"),
    "inner_mongolia": ("内蒙古自治区", "Inner Mongolia"), "liaoning": ("辽宁省", "Liaoning"),
    "jilin": ("吉林省", "Jilin"), "heilongjiang": ("黑龙江省", "Heilongjiang"),
    "shanghai": ("上海市", "Shanghai"), "jiangsu": ("江苏省", "Jiangsu"),
    "zhejiang": ("浙江省", "Zhejiang"), "anhui": ("安徽省", "Anhui"),
    "fujian": ("福建省", "Fujian"), "jiangxi": ("江西省", "Jiangxi"),
    "shandong": ("山东省", "Shandong"), "henan": ("河南省", "Henan"),
    "hubei": ("湖北省", "Hubei"), "hunan": ("湖南省", "Hunan"),
    "guangdong": ("广东省", "Guangdong"), "guangxi": ("广西壮族自治区", "Guangxi"),
    "hainan": ("海南省", "Hainan"), "chongqing": ("重庆市", "Chongqing"),
    "sichuan": ("四川省", "Sichuan"), "guizhou": ("贵州省", "Guizhou"),
    "yunnan": ("云南省", "Yunnan"), "tibet": ("西藏自治区", "Tibet"),
    "shaanxi": ("陕西省", "Shaanxi"), "gansu": ("甘肃省", "Gansu"),
    "qinghai": ("青海省", "Qinghai"), "ningxia": ("宁夏回族自治区", "Ningxia"),
    "xinjiang": ("新疆维吾尔自治区", "Xinjiang"), "hong_kong": ("香港特别行政区", "Hong Kong"),
    "macao": ("澳门特别行政区", "Macao"), "taiwan": ("台湾省", "Taiwan"),
}

Province = Literal[
    "beijing", "tianjin", "hebei", "shanxi", "inner_mongolia", "liaoning", "jilin",
    "heilongjiang", "shanghai", "jiangsu", "zhejiang", "anhui", "fujian", "jiangxi", "shandong",
    "henan", "hubei", "hunan", "guangdong", "guangxi", "hainan", "chongqing", "sichuan",
    "guizhou", "yunnan", "tibet", "shaanxi", "gansu", "qinghai", "ningxia", "xinjiang",
    "hong_kong", "macao", "taiwan"]


def province_name(code: str, locale: str) -> str | None:
    names = PROVINCES.get(code)
    if names is None:
        return None
    return names[0] if locale.lower().startswith("zh") else names[1]


def province_code(text: str) -> str | None:
    """A province as a ledger may write it: its code, or its Chinese name with or without 省,
    市 or 自治区 (浙江, 浙江省)."""
    text = text.strip()
    if text in PROVINCES:
        return text
    for code, (zh, en) in PROVINCES.items():
        short = zh.removesuffix("省").removesuffix("市").removesuffix("特别行政区")
        short = short.split("壮族")[0].split("回族")[0].split("维吾尔")[0].removesuffix("自治区")
        if text in (zh, short, en) or text.casefold() == en.casefold():
            return code
    return None
