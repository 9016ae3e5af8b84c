"""GB/T 2260 provincial-level divisions: the table and how stored regions are recognised."""

from __future__ import annotations

import pytest

from tracer.ledger import Ledger, masterdata
from tracer.ledger.regions import REGIONS, find_region, region_name


def test_table_has_every_provincial_level_division_once() -> None:
    assert len(REGIONS) == 34  # 4 municipalities, 23 provinces, 5 autonomous regions, 2 SARs
    assert len({r.code for r in REGIONS}) == 34 and len({r.zh for r in REGIONS}) == 34
    assert all(len(r.code) == 6 and r.code.endswith("0000") for r in REGIONS)
    kinds = [r.zh[-3:] if r.zh.endswith("自治区") else r.zh[-1] for r in REGIONS]
    assert (kinds.count("市"), kinds.count("省"), kinds.count("自治区")) == (4, 23, 5)


@pytest.mark.parametrize(
    ("stored", "code", "zh", "en"),
    [
        ("Guangdong", "440000", "广东", "Guangdong"),
        ("guangdong province", "440000", "广东", "Guangdong"),
        ("广东省", "440000", "广东", "Guangdong"),
        ("Shanghai", "310000", "上海", "Shanghai"),
        ("Shanghai Municipality", "310000", "上海", "Shanghai"),
        ("Shanxi", "140000", "山西", "Shanxi"),
        ("Shaanxi", "610000", "陕西", "Shaanxi"),
        ("Nei Mongol", "150000", "内蒙古", "Inner Mongolia"),
        ("Xizang", "540000", "西藏", "Tibet"),
        ("Guangxi Zhuang Autonomous Region", "450000", "广西", "Guangxi"),
        ("新疆维吾尔自治区", "650000", "新疆", "Xinjiang"),
        ("Macau", "820000", "澳门", "Macao"),
        ("Hong Kong SAR", "810000", "香港", "Hong Kong"),
        ("330000", "330000", "浙江", "Zhejiang"),
        ("51", "510000", "四川", "Sichuan"),
        (" Chongqing ", "500000", "重庆", "Chongqing"),
    ],
)
def test_stored_region_is_recognised(stored: str, code: str, zh: str, en: str) -> None:
    r = find_region(stored)
    assert r is not None and r.code == code
    assert region_name(stored, chinese=True) == zh and region_name(stored, chinese=False) == en


@pytest.mark.parametrize("stored", ["Bavaria", "Ontario", "Zhejiang East", "", None])
def test_unknown_region_is_shown_as_stored(stored: str | None) -> None:
    assert find_region(stored) is None
    assert region_name(stored, chinese=True) == (stored or "")


def test_every_demo_region_has_a_chinese_name(demo_ledger: Ledger) -> None:
    regions = {loc.region for loc in masterdata.locations(demo_ledger) if loc.region}
    assert regions and all(find_region(r) is not None for r in regions)
