"""Trace a lot, open a recall from the trace, work the campaign, export its documents."""

from __future__ import annotations

import csv
from pathlib import Path

from shipped_lots import shipped_lot

from tracer.recall import list_campaigns
from tracer.ui.qt import QTreeWidgetItemIterator


def _tree_texts(tree) -> list[str]:  # type: ignore[no-untyped-def]
    it = QTreeWidgetItemIterator(tree)
    out = []
    while it.value():
        out.append(it.value().text(0))
        it += 1
    return out


def test_trace_tree_graph_retailers(window) -> None:  # type: ignore[no-untyped-def]
    ledger = window.session.ledger
    lot, graph = shipped_lot(ledger)
    screen = window.show_page("trace")
    screen.start_edit.setText(f"{lot.gtin}/{lot.lot}")
    screen.run_trace()
    assert screen.graph is not None and screen.tabs.isVisible()
    names = _tree_texts(screen.tree)
    for t in graph.retail_locations():
        assert any((t.location.name in n) for n in names)
    assert set(screen.graph_view.node_items) >= {t.sgln for t in graph.retail_locations()}
    assert screen.retailers.rowCount() >= len(graph.retail_locations())
    screen.backward.setChecked(True)
    screen.run_trace()
    assert screen.graph.direction == "backward" and not screen.recall_button.isEnabled()


def test_open_recall_from_trace_and_work_it(window, qtbot, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tracer.ui import recall_dialog

    ledger = window.session.ledger
    lot, _graph = shipped_lot(ledger)
    window.session.open_recall.emit((lot.gtin, lot.lot))  # as the inspection screen does
    trace = window.screens["trace"]
    assert trace.graph is not None and trace.recall_button.isEnabled()

    def fake_exec(dialog) -> int:  # type: ignore[no-untyped-def]
        dialog.reason.setText("small parts come loose: choking hazard")
        dialog.hazard.setCurrentIndex(dialog.hazard.findData("high"))
        dialog.submit()
        return dialog.result()

    monkeypatch.setattr(recall_dialog.OpenRecallDialog, "exec", fake_exec)
    trace.open_recall_dialog()
    (campaign,) = list_campaigns(ledger)
    screen = window.screens["campaigns"]
    assert window.stack.currentWidget().layout().itemAt(0).widget() is screen
    assert screen.campaign.campaign_id == campaign.campaign_id
    assert screen.targets.rowCount() == len(campaign.targets) > 0
    assert (
        campaign.reason == "small parts come loose: choking hazard"
        and campaign.opened_by == "Test Clerk"
    )

    screen.mark_notified()  # nothing selected: every target not yet notified
    assert all(t.notified_at for t in screen.campaign.targets)
    retail_row = next(r for r, t in enumerate(screen.campaign.targets) if t.units_on_hand > 0)
    screen.targets.selectRow(retail_row)
    screen.record_ack()
    screen.targets.selectRow(retail_row)
    screen.record_units("return", 1)
    target = screen.campaign.targets[retail_row]
    assert target.acknowledged_at and target.units_returned == 1
    assert screen.regions_grid.count() > 0

    screen.export_combo.setCurrentIndex(screen.export_combo.findData("list_csv"))
    screen.export(str(tmp_path / "list.csv"))
    rows = list(csv.reader((tmp_path / "list.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) > len(campaign.targets) - 1
    screen.export_combo.setCurrentIndex(screen.export_combo.findData("notices"))
    screen.export(str(tmp_path / "notices"))
    assert len(list((tmp_path / "notices").glob("*.pdf"))) == len(campaign.targets)

    screen.close_campaign()
    assert screen.campaign.status == "closed" and not screen.ack_button.isEnabled()


def test_mock_recall_and_kde_export(window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import openpyxl

    lot, _graph = shipped_lot(window.session.ledger)
    window.session.open_recall.emit((lot.gtin, lot.lot))
    screen = window.screens["trace"]
    screen.run_mock_recall()
    assert "Mock recall of" in screen.summary.text() and "accounted for" in screen.summary.text()
    screen.export_combo.setCurrentIndex(screen.export_combo.findData("kde"))
    path = screen.export(str(tmp_path / "kde.xlsx"))
    ws = openpyxl.load_workbook(path).active
    assert ws.max_row > 2
