"""The quality screen: signals on a demo lot raise an alert after three, a recall opens from it;
a result sheet is read, re-mapped and imported with its row-link report."""

from __future__ import annotations

from pathlib import Path

from tracer.quality.signals import list_signals
from tracer.recall import list_campaigns
from tracer.ui.main_window import PAGES


def finished_lots(ledger):  # type: ignore[no-untyped-def]
    """(GTIN-14, lot, day) of the demo's finished lots, oldest first."""
    rows = ledger.connection.execute(
        "SELECT gtin, lot, production_date FROM lots WHERE lot LIKE 'L%' ORDER BY production_date"
    ).fetchall()
    return [(g, lot, d) for g, lot, d in rows]


def _record(screen, *, code: str | None = None, gtin: str = "", lot: str = "", files=()):  # type: ignore[no-untyped-def]
    form = screen.open_form(modal=False)
    form.kind.setCurrentIndex(form.kind.findData("consumer_complaint"))
    form.reporter.setText("Ms Wang")
    form.description.setPlainText("cap breaks off")
    if code is not None:
        form.set_code(code)
    else:
        form.how.setCurrentIndex(form.how.findData("gtin_lot"))
        form.gtin.setText(gtin)
        form.lot.setText(lot)
    if files:
        form.choose_files([str(f) for f in files])
    form.submit()
    assert form.signal is not None, form.message.text()
    screen.signal_recorded()
    return form.signal


def test_three_signals_raise_an_alert_and_open_a_recall(window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ledger = window.session.ledger
    gtin, lot, _day = finished_lots(ledger)[0]
    screen = window.show_page("quality")
    photo = tmp_path / "cap.jpg"
    photo.write_bytes(b"\xff\xd8 not really a jpeg")
    first = _record(screen, gtin=gtin, lot=lot, files=[photo])
    assert [(x.lot, x.basis) for x in first.lots] == [(lot, "stated")]
    assert first.attachments and first.attachments[0].name == "cap.jpg"
    _record(screen, code=f"01{gtin}10{lot}")
    alert_id = f"lot:{gtin}/{lot}"
    assert alert_id not in [a.alert_id for a in screen.alerts_panel.alerts]
    _record(screen, gtin=gtin, lot=lot)
    assert screen.signal_table.rowCount() == 3
    ids = [a.alert_id for a in screen.alerts_panel.alerts]
    assert alert_id in ids
    screen.tabs.setCurrentIndex(1)
    screen.alerts_panel.alert_table.selectRow(ids.index(alert_id))
    alert = screen.alerts_panel.selected_alert()
    assert alert is not None and alert.trace is not None and alert.trace.retailers
    assert screen.alerts_panel.retailer_table.rowCount() == len(alert.trace.retailers)
    assert "3 signals" in screen.alerts_panel.summary.text()
    assert screen.alerts_panel.recall_button.isEnabled()
    screen.alerts_panel.reason.setText("cap breaks off: choking hazard")
    screen.alerts_panel.recall_button.click()
    campaigns = list_campaigns(ledger)
    assert len(campaigns) == 1 and campaigns[0].reason == "cap breaks off: choking hazard"
    assert window.stack.currentIndex() == [k for k, _t, _i in PAGES].index("campaigns")
    assert {s.status for s in list_signals(ledger)} == {"escalated"}


def test_bad_code_is_refused_with_the_reason(window) -> None:  # type: ignore[no-untyped-def]
    screen = window.show_page("quality")
    form = screen.open_form(modal=False)
    form.set_code("not a code")
    form.submit()
    assert form.signal is None and "not a code" in form.message.text()


def test_assess_and_dismiss_from_the_list(window) -> None:  # type: ignore[no-untyped-def]
    ledger = window.session.ledger
    gtin, lot, _day = finished_lots(ledger)[0]
    screen = window.show_page("quality")
    _record(screen, gtin=gtin, lot=lot)
    screen.signal_table.selectRow(0)
    assert screen.assess_selected(note="photo confirms it")
    assert screen.signals[0].status == "assessed"
    screen.signal_table.selectRow(0)
    assert screen.dismiss_selected(note="misuse")
    assert list_signals(ledger)[0].status == "dismissed"


def test_import_a_sheet_remap_and_see_the_report(window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ledger = window.session.ledger
    gtin, lot, _day = finished_lots(ledger)[0]
    sheet = tmp_path / "spot.csv"
    sheet.write_text(
        "抽检日期,商品条码,批号,抽检结果,店铺名称\n"
        f"2026-03-01,{gtin},{lot},不合格,某旗舰店\n"
        f"2026-03-02,{gtin},NOSUCHLOT,合格,某旗舰店\n"
        "2026-03-03,6901234567892,L1,合格,某旗舰店\n",
        encoding="utf-8",
    )
    screen = window.show_page("quality")
    panel = screen.importer
    panel.choose(str(sheet))
    plan = panel.plan
    assert plan is not None
    assert (len(plan.linked), len(plan.product_only), len(plan.unlinked)) == (1, 1, 1)
    assert panel.report.text().startswith("3 rows: 1 linked to a lot, 1 to the product only")
    assert panel.preview.rowCount() == 3
    link_col = panel.preview.columnCount() - 2
    assert [panel.preview.item(r, link_col).text() for r in range(3)] == [
        "lot",
        "product only",
        "not linked",
    ]
    assert panel.combos["lot"].currentText() == "批号"
    panel.combos["lot"].setCurrentIndex(0)  # (none): every known GTIN is product-only now
    panel.read()
    assert len(panel.plan.linked) == 0 and len(panel.plan.product_only) == 2
    panel.combos["lot"].setCurrentIndex(panel.combos["lot"].findText("批号"))
    panel.read()
    assert len(panel.plan.linked) == 1
    assert panel.import_button.isEnabled()
    panel.import_button.click()
    assert panel.result is not None and panel.result.added == 2
    assert "2 signals added" in panel.report.text()
    assert len(list_signals(ledger)) == 2
    assert screen.signal_table.rowCount() == 2


def test_quality_record_with_target_line(window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    screen = window.show_page("quality")
    panel = screen.records
    panel.scope.setCurrentIndex(panel.scope.findData("product"))
    assert panel.key.count() > 0
    gtin = panel.key.itemData(0)
    panel.key.setCurrentIndex(0)
    rec = panel.show_record()
    assert rec is not None and rec.key == gtin
    assert panel.bars[0].target == 0.92 and panel.bars[0].rate == rec.inspections.rate
    assert "92%" in panel.target_label.text()
    for fmt in ("xlsx", "pdf"):
        out = tmp_path / f"rec.{fmt}"
        panel.export(fmt, str(out))
        assert out.stat().st_size > 1000
