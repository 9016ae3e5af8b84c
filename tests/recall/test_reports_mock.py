"""Reports (plan / progress / closing), the KDE spreadsheet and the mock recall."""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from tracer.ledger import Ledger
from tracer.model import Action, Event, EventType, QuantityElement
from tracer.recall import forward_trace, open_campaign, record_destroy, record_return
from tracer.recall.kde import KDE_COLUMNS, write_kde_xlsx
from tracer.recall.mock import mock_recall
from tracer.recall.report_doc import write_report
from tracer.recall.reports import closing_summary, progress_report, recall_plan

from .scenario import CST, GTIN_K, GTIN_M, GTIN_P, R1, R3, D, build_scenario, stamp


@pytest.fixture(scope="module")
def ledger_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = build_scenario(tmp_path_factory.mktemp("rep") / "s.sqlite")
    with Ledger.open(path) as ledger:
        open_campaign(
            ledger,
            [(GTIN_M, "M1")],
            reason="树脂超标 resin out of spec",
            hazard="medium",
            action="destroy",
            instructions="就地销毁",
            campaign_id="RC-R",
            when=datetime(2026, 4, 1, 9, tzinfo=CST),
        )
        record_destroy(ledger, "RC-R", R3.gln, 8, when=datetime(2026, 4, 2, 9, tzinfo=CST))
        record_return(
            ledger, "RC-R", R1.gln, 5, lot=f"{GTIN_P}/P1", when=datetime(2026, 4, 3, 9, tzinfo=CST)
        )
    return path


def test_plan_lists_scope_quantities_and_timetable(ledger_path: Path, tmp_path: Path) -> None:
    with Ledger.open(ledger_path) as ledger:
        doc = recall_plan(ledger, "RC-R")
    md = write_report(doc, tmp_path / "plan.md").read_text(encoding="utf-8")
    assert md.startswith("# 召回计划 Recall plan RC-R")
    scope = next(s for s in doc.sections if s.title.startswith("2."))
    made = {row[0]: row[5] for row in scope.rows}
    assert made == {
        f"{GTIN_M}/M1": "1000",
        "06990000000022/I1": "50",
        f"{GTIN_P}/P1": "24",
        "06990000000046/Q1": "6",
    }
    assert "2026-04-02" in md and "2026-05-01" in md  # D+1 notices, D+30 completion
    assert "| Zhejiang |" in md


def test_progress_and_closing_pdfs_read_back(ledger_path: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    with Ledger.open(ledger_path) as ledger:
        prog = write_report(progress_report(ledger, "RC-R"), tmp_path / "progress.pdf")
        closing = write_report(
            closing_summary(ledger, "RC-R", conclusion="模具改进 new mould"),
            tmp_path / "closing.pdf",
        )
        txt = write_report(closing_summary(ledger, "RC-R"), tmp_path / "closing.txt")
    text = "".join(p.extract_text() for p in PdfReader(prog).pages)
    assert "召回进度报告" in text and "销毁" in text and "Shop R3" in text
    assert "13" in text  # 8 destroyed + 5 returned
    text = "".join(p.extract_text() for p in PdfReader(closing).pages)
    assert "召回总结报告" in text and "模具改进 new mould" in text
    assert "\t" in txt.read_text(encoding="utf-8")  # tables tab-separated for Word
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-l", "1", str(prog), str(tmp_path / "p")], check=True
        )
        assert next(tmp_path.glob("p*.png")).stat().st_size > 5000


def test_kde_spreadsheet_rows(ledger_path: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    with Ledger.open(ledger_path, readonly=True) as ledger:
        graph = forward_trace(ledger, (GTIN_P, "P1"))
    ws = load_workbook(write_kde_xlsx(graph, tmp_path / "kde.xlsx")).worksheets[0]
    assert [c.value for c in ws[1]] == KDE_COLUMNS and ws.auto_filter.ref
    rows = [
        dict(zip(KDE_COLUMNS, [c.value for c in r], strict=True)) for r in ws.iter_rows(min_row=2)
    ]
    ships = [r for r in rows if r["Critical tracking event"] == "Shipping"]
    assert sorted((r["Ship-to location"], r["Quantity"]) for r in ships) == [
        ("DC D", 24),
        ("Shop R1", 8),
        ("Shop R2", 8),
        ("Shop R3", 8),
    ]
    assert all(r["Traceability lot code (GTIN/lot)"] == f"{GTIN_P}/P1" for r in rows)
    assert all(r["Traceability lot code source"] == "Factory F" for r in rows)
    assert {r["Critical tracking event"] for r in rows} >= {
        "Creation / transformation output",
        "Receiving",
        "Sale",
        "Destruction",
    }


def test_mock_recall_balances_a_clean_lot(ledger_path: Path) -> None:
    with Ledger.open(ledger_path, readonly=True) as ledger:
        m = mock_recall(ledger, [(GTIN_K, "K1")])
    (k,) = m.lots
    assert (k.produced, k.shipped, k.on_hand_at_origin, k.sold, k.on_hand) == (12, 12, 0, 5, 7)
    assert k.percent_accounted == 100 and not m.discrepancies and m.trace_ms > 0


def test_mock_recall_reports_each_discrepancy(ledger_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "d.sqlite"
    with Ledger.open(ledger_path) as src:
        src.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(ledger_path, path)
    t = datetime(2026, 5, 1, 9, tzinfo=CST)
    k = "urn:epc:class:lgtin:6990000.000005.K1"
    with Ledger.open(path) as ledger:
        # R1 ships 10 of K on to D (it only had 7 left), and D never scans the receipt
        ledger.append([_ship(k, 10, t)])
        m = mock_recall(ledger, [(GTIN_K, "K1")])
    (lot,) = m.lots
    assert lot.in_transit == 10
    text = " | ".join(m.discrepancies)
    assert "10 units shipped to DC D with no receipt recorded" in text
    assert "Shop R1 shipped, sold or used 3 units more than it had" in text
    # 10 in transit + 3 shipped beyond stock, capped at the 12 produced
    assert lot.unaccounted == 12 and lot.percent_accounted == 0


def _ship(lot_class: str, qty: float, t: datetime) -> Event:
    from tracer.model import Link

    return stamp(
        Event(
            event_type=EventType.OBJECT,
            event_time=t,
            action=Action.OBSERVE,
            quantity_list=(QuantityElement(lot_class, qty),),
            biz_step="shipping",
            read_point=R1.sgln,
            sources=(Link("location", R1.sgln),),
            destinations=(Link("location", D.sgln),),
        )
    )
