"""Master retailer list files: CSV (BOM, formula guard), XLSX (openpyxl), PDF (text + image)."""

from __future__ import annotations

import csv
import dataclasses
import shutil
import subprocess
from pathlib import Path

import pytest

from tracer.ledger import Ledger, masterdata
from tracer.recall import forward_trace
from tracer.recall.listfiles import (
    write_retailer_list_csv,
    write_retailer_list_pdf,
    write_retailer_list_xlsx,
)
from tracer.recall.retailers import RetailerList, retailer_list
from tracer.recall.safecsv import guard

from .scenario import GTIN_P, R1, R2, build_scenario


@pytest.fixture(scope="module")
def rl(tmp_path_factory: pytest.TempPathFactory) -> RetailerList:
    path = build_scenario(tmp_path_factory.mktemp("lists") / "s.sqlite")
    with Ledger.open(path) as ledger:
        # a hostile contact name typed into master data
        masterdata.upsert(ledger, [dataclasses.replace(R2, contact='=HYPERLINK("http://x")')])
        return retailer_list(forward_trace(ledger, (GTIN_P, "P1")))


def test_guard_prefixes_formula_cells() -> None:
    assert [guard(v) for v in ("=1+1", "+86 123", "-5", "@SUM", "\tx", "\rx", "ok", 5)] == [
        "'=1+1",
        "'+86 123",
        "'-5",
        "'@SUM",
        "'\tx",
        "'\rx",
        "ok",
        5,
    ]


def test_csv_has_bom_and_guarded_cells(rl: RetailerList, tmp_path: Path) -> None:
    p = write_retailer_list_csv(rl, tmp_path / "list.csv")
    raw = p.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    by_gln = {r["GLN"]: r for r in rows}
    assert by_gln[R2.gln]["Contact 联系人"] == '\'=HYPERLINK("http://x")'
    assert by_gln[R1.gln]["Received 收货数量"] == "8"
    assert by_gln[R1.gln]["名称（中文）"] == "Shop R1（测试）"
    assert len(rows) == 4


def test_xlsx_has_filter_frozen_header_and_numbers(rl: RetailerList, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    p = write_retailer_list_xlsx(rl, tmp_path / "list.xlsx")
    wb = load_workbook(p)
    ws = wb.worksheets[0]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, [c.value for c in r], strict=True)) for r in ws.iter_rows(min_row=2)]
    r1 = next(r for r in rows if r["GLN"] == R1.gln)
    assert (r1["Received 收货数量"], r1["Sold 已售"], r1["On hand 库存"]) == (8, 3, 5)
    r2 = next(r for r in rows if r["GLN"] == R2.gln)
    assert r2["Contact 联系人"].startswith("'=")
    assert wb.worksheets[1].title == "Lots 批次"


def test_pdf_embeds_cjk_font_and_reads_back(rl: RetailerList, tmp_path: Path) -> None:
    from pypdf import PdfReader

    p = write_retailer_list_pdf(rl, tmp_path / "list.pdf")
    reader = PdfReader(p)
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Shop R1" in text and "Shop R1（测试）" in text and "王伟" in text
    fonts = set()
    for page in reader.pages:
        for f in page["/Resources"]["/Font"].values():
            font = f.get_object()
            desc = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            fd = desc.get("/FontDescriptor")
            if fd is not None and any(k in fd.get_object() for k in ("/FontFile2", "/FontFile3")):
                fonts.add(str(font["/BaseFont"]))
    assert fonts, "the CJK font must be embedded"
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(p), str(tmp_path / "pg")],
            check=True,
        )
        png = next(tmp_path.glob("pg*.png"))
        assert png.stat().st_size > 5000
