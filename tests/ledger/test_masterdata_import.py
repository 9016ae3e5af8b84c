"""Master data from CSV / XLSX sheets, English or Chinese headers, every bad row named."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tracer.ledger import Ledger, masterdata
from tracer.ledger.masterdata_import import SheetError, import_sheet, read_sheet
from tracer.model import LocationKind


def test_chinese_csv_of_retailers(tmp_path: Path) -> None:
    sheet = tmp_path / "门店.csv"
    sheet.write_text(
        "GLN,名称,中文名称,类型,省份,城市,地址,联系人,电话\n"
        "6912345000017,Happy Mart (Hefei),快乐超市（合肥店）,门店,Anhui,Hefei,安徽省合肥市长江路1号,王芳,0551-1234567\n",
        encoding="utf-8-sig",
    )
    with Ledger.open(tmp_path / "l.sqlite") as ledger:
        report = import_sheet(ledger, "locations", sheet)
        assert report.errors == [] and report.written == 1
        loc = masterdata.location(ledger, "6912345000017")
    assert (
        loc is not None
        and loc.kind is LocationKind.RETAILER
        and loc.name_zh == "快乐超市（合肥店）"
    )
    assert loc.contact == "王芳" and loc.sgln == "urn:epc:id:sgln:6912345.00001.0"


def test_xlsx_products_with_a_bad_row_writes_nothing(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["gtin", "name", "name_zh", "spec"])
    ws.append(["6923456010017", "Building blocks", "积木", "120 pcs"])
    ws.append(["6923456010018", "Bad digit", None, None])
    ws.append([None, None, None, None])
    path = tmp_path / "products.xlsx"
    wb.save(path)
    with Ledger.open(tmp_path / "l.sqlite") as ledger:
        report = import_sheet(ledger, "products", path)
        assert report.written == 0 and masterdata.products(ledger) == []
    assert report.errors == [(3, "gtin 6923456010018: wrong length or check digit")]
    assert len(report.records) == 1 and report.columns["name_zh"] == "name_zh"


def test_lots_and_missing_columns(tmp_path: Path) -> None:
    lots = tmp_path / "lots.csv"
    lots.write_text(
        "商品条码,批号,生产日期,有效期至,数量\n6923456010017,L1,2026-01-01,2028-01-01,144\n",
        encoding="utf-8",
    )
    report = read_sheet("lots", lots)
    (lot,) = report.records
    assert (lot.gtin, lot.lot, lot.quantity, lot.expiry_date) == (
        "06923456010017",
        "L1",
        144.0,
        "2028-01-01",
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("名称\nX\n", encoding="utf-8")
    with pytest.raises(SheetError, match="no column for gtin"):
        read_sheet("products", bad)
