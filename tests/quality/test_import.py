"""Bulk import of a spot-check sheet: column guess, links to lots, report of unlinkable rows."""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook

from tracer.ledger import Ledger
from tracer.quality.importer import commit_import, plan_import, preview_rows
from tracer.quality.sheet import guess_mapping, parse_day, parse_result
from tracer.quality.signal_model import SignalError
from tracer.quality.signals import list_signals

from .scenario import arrivals, finished_lots

HEADERS = ["序号", "产品名称", "商品条码/GTIN", "生产日期/批号", "抽检结果", "不合格项目",
           "抽检日期", "抽检机构/平台", "店铺"]  # fmt: skip
OTHER_COMPANY_GTIN = "06901234567892"  # valid check digit, not in the demo chain


def _sheet(ledger: Ledger, path: Path) -> None:
    """A platform's result sheet: a title row, the headers, nine rows of results."""
    lots = finished_lots(ledger)
    (g1, l1, _), (g2, l2, _), (g3, _l3, _) = lots[3], lots[10], lots[20]
    # a shop (named as it is in master data) that received lot(s) of g3 before the check
    place, seen = max(arrivals(ledger, g3).items(), key=lambda kv: len(kv[1]))
    checked = (max(seen)[0] + timedelta(days=5)).date().isoformat()
    shop = ledger.connection.execute(
        "SELECT name_zh FROM locations WHERE sgln = ?", (place,)
    ).fetchone()[0]
    name3 = ledger.connection.execute(
        "SELECT name_zh FROM products WHERE gtin = ?", (g3.lstrip("0"),)
    ).fetchone()[0]
    rows = [
        (1, "积木", g1, l1, "合格", "", "2026-05-10", "快购网", shop),
        (2, "积木", g1, l1, "不合格", "小零件", "2026/5/11", "快购网", shop),
        (3, "", g2[1:], f"2026-02-01/{l2}", "合格", "", "2026年5月12日", "市场监管局", ""),
        (4, name3, "", "", "不合格", "标识不全", checked, "快购网", shop),
        (5, "积木", g1, "L9999999999", "合格", "", "2026-05-14", "快购网", "某不知名小店"),
        (
            6,
            "别家的水杯",
            OTHER_COMPANY_GTIN,
            "B123",
            "不合格",
            "铅超标",
            "2026-05-15",
            "快购网",
            "",
        ),
        (7, "积木", "6923456010018", l1, "合格", "", "2026-05-16", "快购网", shop),
        (8, "积木", g1, l1, "合格", "", "五月", "快购网", shop),
        (9, "积木", g1, l1, "待定", "", "2026-05-17", "快购网", shop),
    ]
    wb = Workbook()
    ws = wb.active
    ws.title = "抽检结果"
    ws.append(["2026年第二季度电商平台抽检结果"])  # a title row above the headers
    ws.append(HEADERS)
    for r in rows:
        ws.append(list(r))
    wb.save(path)


def test_guess_mapping_reads_chinese_and_english_headers() -> None:
    m = guess_mapping(HEADERS)
    assert {f: HEADERS[i] for f, i in m.items()} == {
        "product_name": "产品名称",
        "gtin": "商品条码/GTIN",
        "lot": "生产日期/批号",
        "result": "抽检结果",
        "description": "不合格项目",
        "date": "抽检日期",
        "reporter": "抽检机构/平台",
        "place": "店铺",
    }
    english = ["Product", "GTIN", "Batch", "Result", "Sampling date", "Platform", "Shop"]
    assert sorted(guess_mapping(english)) == sorted(
        ["product_name", "gtin", "lot", "result", "date", "reporter", "place"]
    )
    assert parse_result("不合格") == "fail" and parse_result(" 合格 ") == "pass"
    assert parse_result("PASS") == "pass" and parse_result("待定") is None
    assert str(parse_day("2026年3月1日")) == "2026-03-01" == str(parse_day("20260301"))
    assert parse_day("2026-02-30") is None


def test_spot_check_sheet_links_rows_and_reports_the_rest(
    demo_ledger: Ledger, tmp_path: Path
) -> None:
    path = tmp_path / "抽检.xlsx"
    _sheet(demo_ledger, path)
    lots = finished_lots(demo_ledger)
    (g1, l1, _), (g2, l2, _) = lots[3], lots[10]
    plan = plan_import(demo_ledger, path)
    # the header row is found below the sheet's title row; rows numbered as Excel shows them
    by_row = {r.row: r for r in plan.rows}
    assert plan.sheet.headers == HEADERS
    assert {r.row: r.link for r in plan.rows} == {
        3: "lot", 4: "lot", 5: "lot", 6: "product", 7: "product",
        8: "none", 9: "none", 10: "none", 11: "none",
    }  # fmt: skip
    assert "not in the ledger" in by_row[7].reason and "shop not known" in by_row[7].reason
    assert "reached the shop" in by_row[6].reason
    assert "not a product in this ledger" in by_row[8].reason
    assert "check digit" in by_row[9].reason
    assert "not a date" in by_row[10].reason
    assert "neither" in by_row[11].reason
    assert len(preview_rows(plan, 3)) == 3

    # nothing written by planning; strict refuses the whole sheet
    assert list_signals(demo_ledger) == []
    with pytest.raises(SignalError, match="nothing imported: 6 rows not linked"):
        commit_import(demo_ledger, plan, strict=True)
    assert list_signals(demo_ledger) == []

    result = commit_import(demo_ledger, plan)
    assert (result.added, result.already_there) == (5, 0)
    sigs = {s.source["row"]: s for s in list_signals(demo_ledger)}
    assert sorted(sigs) == [3, 4, 5, 6, 7]
    assert sigs[3].lot_keys() == [(g1, l1)] and sigs[3].result == "pass"
    assert sigs[4].result == "fail" and sigs[4].severity == "high"
    assert sigs[4].description == "小零件" and sigs[4].reporter == "快购网"
    assert sigs[5].lot_keys() == [(g2, l2)]  # "2026-02-01/LOT" in a 生产日期/批号 cell
    assert sigs[6].product.gtin == lots[20][0] and sigs[6].lots  # by name; lots of the shop
    assert all(x.basis == "plausible" for x in sigs[6].lots)
    # the mapping can be overridden: without the lot column nothing links to a lot
    plan2 = plan_import(demo_ledger, path, columns={"lot": "-"})
    assert all(r.link != "lot" for r in plan2.rows)
    assert "lot" not in plan2.mapping
    # importing the same sheet again adds nothing
    again = commit_import(demo_ledger, plan_import(demo_ledger, path))
    assert (again.added, again.already_there) == (0, 5)


def test_gb18030_csv_with_english_headers(demo_ledger: Ledger, tmp_path: Path) -> None:
    g, lot, _ = finished_lots(demo_ledger)[4]
    path = tmp_path / "checks.csv"
    with path.open("w", encoding="gb18030", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Product", "GTIN", "Lot", "Result", "Date", "Agency", "备注"])
        w.writerow(["玩具", g, lot, "Fail", "2026-04-01", "省市场监管局", "边缘锐利"])
    plan = plan_import(demo_ledger, path, kind="market_spot_check")
    assert [r.link for r in plan.rows] == ["lot"]
    commit_import(demo_ledger, plan)
    (s,) = list_signals(demo_ledger)
    assert (s.kind, s.result, s.reporter, s.description) == (
        "market_spot_check",
        "fail",
        "省市场监管局",
        "边缘锐利",
    )


def test_sheet_without_product_column_is_refused(demo_ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("日期,结果\n2026-01-01,合格\n", encoding="utf-8")
    with pytest.raises(SignalError, match="no column identifies the product"):
        plan_import(demo_ledger, path)
    with pytest.raises(SignalError, match="no column 'nope'"):
        plan_import(demo_ledger, path, columns={"gtin": "nope"})
