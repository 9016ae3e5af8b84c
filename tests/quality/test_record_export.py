"""Quality records exported as XLSX (read back) and PDF (text extracted, page rendered)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tracer.cli import main
from tracer.ledger import Ledger
from tracer.quality.record_export import write_record
from tracer.quality.records import quality_record
from tracer.quality.signal_model import ProductRef, SignalError, SignalReport
from tracer.quality.signals import record_signal

from .scenario import finished_lots


def _record(ledger: Ledger) -> tuple[str, str]:
    gtin, lot, _ = finished_lots(ledger)[3]
    record_signal(
        ledger,
        SignalReport("ecommerce_spot_check", date(2026, 5, 2), ProductRef(gtin=gtin, lot=lot),
                     result="fail", severity="high", reporter="快购网", description="=1+1 小零件"),
    )  # fmt: skip
    return gtin, lot


def test_xlsx_has_summary_history_and_signals(demo_ledger: Ledger, tmp_path: Path) -> None:
    gtin, lot = _record(demo_ledger)
    rec = quality_record(demo_ledger, "product", gtin)
    path = write_record(rec, tmp_path / "record.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Summary 概要", "History 履历", "Signals 信号"]
    summary = {r[0]: r[1] for r in wb["Summary 概要"].iter_rows(min_row=2, values_only=True)}
    assert "below target" in summary["Spot-check pass rate / 抽检合格率"]
    assert "0.0 % (0/1)" in summary["Spot-check pass rate / 抽检合格率"]
    history = list(wb["History 履历"].iter_rows(min_row=2, values_only=True))
    assert len(history) == len(rec.history)
    signal_rows = list(wb["Signals 信号"].iter_rows(min_row=2, values_only=True))
    assert signal_rows[0][2] == "ecommerce_spot_check" and signal_rows[0][8] == lot
    assert signal_rows[0][11] == "'=1+1 小零件"  # formula guarded


def test_pdf_text_and_page_image(demo_ledger: Ledger, tmp_path: Path) -> None:
    gtin, lot = _record(demo_ledger)
    rec = quality_record(demo_ledger, "product", gtin)
    path = write_record(rec, tmp_path / "record.pdf")
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    assert "质量档案" in text and (rec.name_zh or rec.name) in text
    assert "抽检合格率" in text and "92" in text and lot in text
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path),
                        str(tmp_path / "page")], check=True)  # fmt: skip
        (png,) = tmp_path.glob("page*.png")
        assert png.stat().st_size > 10_000
    with pytest.raises(SignalError, match=r"\.xlsx or \.pdf"):
        write_record(rec, tmp_path / "record.docx")


def test_record_command(
    demo_ledger_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Ledger.open(demo_ledger_path) as ledger:
        gtin, _lot = _record(ledger)
    out_file = tmp_path / "r.xlsx"
    main(["record", "--ledger", str(demo_ledger_path), "--product", gtin, "-o", str(out_file)])
    assert out_file.is_file() and "wrote" in capsys.readouterr().out
    main(["record", "--ledger", str(demo_ledger_path), "--product", gtin])
    out = capsys.readouterr().out
    assert "Spot-check pass rate" in out and "history:" in out
    with pytest.raises(SystemExit):
        main(["record", "--ledger", str(demo_ledger_path)])
    assert "name one of" in capsys.readouterr().err
