"""China's provincial-level divisions (GB/T 2260), to show a stored region in the UI language.

Master data stores a location's region as free text, usually as imported
(demo data: English names such as "Guangdong"). A region is recognised by
its English name (with or without "Province"/"City"/..., and the common
spellings Inner Mongolia / Nei Mongol, Tibet / Xizang, Macao / Macau...),
its Chinese name (full or short) or its GB/T 2260 code (2 or 6 digits); an
unrecognised region is shown as stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Region:
    code: str  # GB/T 2260, six digits
    en: str
    zh: str  # full official name
    zh_short: str  # as used on labels and charts


REGIONS: tuple[Region, ...] = tuple(
    Region(code + "0000", en, zh, short)
    for code, en, zh, short in (
        ("11", "Beijing", "北京市", "北京"),
        ("12", "Tianjin", "天津市", "天津"),
        ("13", "Hebei", "河北省", "河北"),
        ("14", "Shanxi", "山西省", "山西"),
        ("15", "Inner Mongolia", "内蒙古自治区", "内蒙古"),
        ("21", "Liaoning", "辽宁省", "辽宁"),
        ("22", "Jilin", "吉林省", "吉林"),
        ("23", "Heilongjiang", "黑龙江省", "黑龙江"),
        ("31", "Shanghai", "上海市", "上海"),
        ("32", "Jiangsu", "江苏省", "江苏"),
        ("33", "Zhejiang", "浙江省", "浙江"),
        ("34", "Anhui", "安徽省", "安徽"),
        ("35", "Fujian", "福建省", "福建"),
        ("36", "Jiangxi", "江西省", "江西"),
        ("37", "Shandong", "山东省", "山东"),
        ("41", "Henan", "河南省", "河南"),
        ("42", "Hubei", "湖北省", "湖北"),
        ("43", "Hunan", "湖南省", "湖南"),
        ("44", "Guangdong", "广东省", "广东"),
        ("45", "Guangxi", "广西壮族自治区", "广西"),
        ("46", "Hainan", "海南省", "海南"),
        ("50", "Chongqing", "重庆市", "重庆"),
        ("51", "Sichuan", "四川省", "四川"),
        ("52", "Guizhou", "贵州省", "贵州"),
        ("53", "Yunnan", "云南省", "云南"),
        ("54", "Tibet", "西藏自治区", "西藏"),
        ("61", "Shaanxi", "陕西省", "陕西"),
        ("62", "Gansu", "甘肃省", "甘肃"),
        ("63", "Qinghai", "青海省", "青海"),
        ("64", "Ningxia", "宁夏回族自治区", "宁夏"),
        ("65", "Xinjiang", "新疆维吾尔自治区", "新疆"),
        ("71", "Taiwan", "台湾省", "台湾"),
        ("81", "Hong Kong", "香港特别行政区", "香港"),
        ("82", "Macao", "澳门特别行政区", "澳门"),
    )
)

_ALIASES = {
    "nei mongol": "150000", "neimenggu": "150000", "inner mongolia autonomous region": "150000",
    "xizang": "540000", "tibet autonomous region": "540000",
    "guangxi zhuang autonomous region": "450000", "ningxia hui autonomous region": "640000",
    "xinjiang uygur autonomous region": "650000", "xinjiang uyghur autonomous region": "650000",
    "macau": "820000", "hongkong": "810000", "hk": "810000",
}  # fmt: skip
_SUFFIX = re.compile(r"\s+(province|municipality|city|shi|sheng|sar|autonomous region)$")


def _key(text: str) -> str:
    return " ".join(text.replace("-", " ").split()).lower()


def _build_index() -> dict[str, Region]:
    by_code = {r.code: r for r in REGIONS}
    index: dict[str, Region] = {}
    for r in REGIONS:
        for k in (r.code, r.code[:2], _key(r.en), r.zh, r.zh_short):
            index[k] = r
    for alias, code in _ALIASES.items():
        index[alias] = by_code[code]
    return index


_INDEX = _build_index()


def find_region(text: str | None) -> Region | None:
    """The division a stored region names, or None when it is not one."""
    if not text or not text.strip():
        return None
    t = text.strip()
    hit = _INDEX.get(t) or _INDEX.get(_key(t))
    if hit is None:
        hit = _INDEX.get(_SUFFIX.sub("", _key(t)))
    return hit


def region_name(text: str | None, *, chinese: bool) -> str:
    """A stored region for display: its short Chinese or English name, else as stored."""
    r = find_region(text)
    if r is None:
        return text or ""
    return r.zh_short if chinese else r.en
