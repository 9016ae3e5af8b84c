"""Ledger browser: lazy paging, filters, event detail, correcting an event."""

from __future__ import annotations

import json

from tracer.ledger import EventQuery, Ledger, masterdata
from tracer.ui.event_source import PAGE, AllEvents, Filter, FilteredEvents
from tracer.ui.qt import QModelIndex, Qt


def test_all_events_is_newest_first_random_access(ui_ledger: Ledger) -> None:
    src = AllEvents(ui_ledger)
    n = ui_ledger.count()
    assert len(src) == n
    assert src.row(0).seq == n and src.row(n - 1).seq == 1
    middle = src.row(n // 2)
    assert middle.seq == n - n // 2
    assert middle.stored.event == ui_ledger.get(middle.seq).event  # type: ignore[union-attr]


def test_filtered_events_page_newest_first(ui_ledger: Ledger) -> None:
    lot = masterdata.lots(ui_ledger)[0]
    src = FilteredEvents(ui_ledger, Filter(lot=(lot.gtin, lot.lot)))
    while src.fetch(7):
        pass
    expected = [s.seq for s in ui_ledger.events(EventQuery(lot=(lot.gtin, lot.lot)))][::-1]
    assert [r.seq for r in src.rows] == expected and src.count() == len(expected)


def _gtin13(identifier: str) -> str | None:
    for head in ("urn:epc:id:sgtin:", "urn:epc:class:lgtin:"):
        if identifier.startswith(head):
            company, ref, _ = identifier[len(head) :].split(".", 2)
            return ref[0] + company + ref[1:]
    return None


def _product_seqs(ledger: Ledger, gtin: str) -> list[int]:
    """Newest first, the events naming an SGTIN or LGTIN of the GTIN (computed by hand)."""
    g13 = gtin.zfill(14)[:13]
    return [
        s.seq for s in ledger.events() if any(_gtin13(i.id) == g13 for i in s.event.identifiers())
    ][::-1]


def test_product_filter_pages_every_event_of_the_gtin(ui_ledger: Ledger) -> None:
    product = masterdata.products(ui_ledger)[0]
    src = FilteredEvents(ui_ledger, Filter(gtin=product.gtin))
    while src.fetch(PAGE // 8):
        pass
    expected = _product_seqs(ui_ledger, product.gtin)
    assert expected and [r.seq for r in src.rows] == expected


def test_product_filter_widget(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    screen = window.show_page("ledger")
    ledger = window.session.ledger
    product = next(p for p in masterdata.products(ledger) if p.gtin.startswith("6934567"))
    combo = screen.product_combo
    index = combo.findData(product.gtin)
    assert index > 0 and product.gtin in combo.itemText(index)
    combo.setCurrentIndex(index)
    qtbot.mouseClick(screen.apply_button, Qt.MouseButton.LeftButton)
    model = screen.model
    assert model.filtered
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    expected = _product_seqs(ledger, product.gtin)
    assert [model.row(r).seq for r in range(model.rowCount())] == expected
    assert screen.count_label.text() == f"{len(expected):,} events"
    # with a step too: only that product's sales
    screen.step_combo.setCurrentIndex(screen.step_combo.findData("retail_selling"))
    qtbot.mouseClick(screen.apply_button, Qt.MouseButton.LeftButton)
    sold = [model.row(r) for r in range(model.rowCount())]
    assert sold and all(r.stored.event.biz_step == "retail_selling" for r in sold)
    assert {r.seq for r in sold} <= set(expected)
    qtbot.mouseClick(screen.clear_button, Qt.MouseButton.LeftButton)
    assert not model.filtered and combo.currentIndex() == 0


def test_filter_select_and_show_detail(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    screen = window.show_page("ledger")
    assert screen.model.rowCount() == window.session.ledger.count()
    lot = masterdata.lots(window.session.ledger)[0]
    screen.lot_edit.setText(f"{lot.gtin}/{lot.lot}")
    screen.step_combo.setCurrentIndex(screen.step_combo.findData("commissioning"))
    qtbot.mouseClick(screen.apply_button, Qt.MouseButton.LeftButton)
    model = screen.model
    assert model.filtered and model.rowCount() >= 1
    for r in range(model.rowCount()):
        assert model.row(r).stored.event.biz_step == "commissioning"
    screen.table.selectRow(0)
    doc = json.loads(screen.detail.toPlainText())
    assert doc["bizStep"] == "commissioning" and doc["eventID"].startswith("ni:///sha-256;")
    assert screen.count_label.text() == f"{model.rowCount()} events"


def test_bad_lot_text_is_flagged_not_crashing(window) -> None:  # type: ignore[no-untyped-def]
    screen = window.show_page("ledger")
    screen.lot_edit.setText("(01)12345678901234(10)X")
    screen.apply_filter()
    assert "check digit" in screen.filter_message.text()


def test_correct_this_event(window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tracer.ui import correction_dialog

    screen = window.show_page("ledger")
    screen.step_combo.setCurrentIndex(screen.step_combo.findData("shipping"))
    screen.apply_filter()
    screen.table.selectRow(0)
    row = screen.selected_row()
    assert screen.correct_button.isEnabled()
    before = window.session.ledger.count()

    def fake_exec(dialog) -> int:  # type: ignore[no-untyped-def]
        doc = json.loads(dialog.editor.toPlainText())
        doc["disposition"] = "damaged"
        dialog.editor.setPlainText(json.dumps(doc))
        dialog.submit()
        return dialog.result()

    monkeypatch.setattr(correction_dialog.CorrectionDialog, "exec", fake_exec)
    screen.correct_selected()
    ledger = window.session.ledger
    assert ledger.count() == before + 2
    corrective, declaration = ledger.get(before + 1), ledger.get(before + 2)
    assert corrective.event.disposition == "damaged" and corrective.event.operator == "Test Clerk"
    assert declaration.event.event_id == row.stored.event.event_id
    # the shipping filter (newest first) now shows the correction and its declaration on
    # top, and the original struck through, which cannot be corrected again
    model = screen.model
    assert {model.row(0).seq, model.row(1).seq} == {before + 1, before + 2}
    screen.table.selectRow(next(r for r in range(model.rowCount()) if model.row(r).seq == row.seq))
    assert screen.selected_row().declared and not screen.correct_button.isEnabled()


def test_detail_shows_a_partners_own_event_id(window, shared_data) -> None:  # type: ignore[no-untyped-def]
    from tracer.epcis.importer import import_document

    doc = shared_data / "epcis" / "JSON" / "PersistentDisposition-example.jsonld"
    partner_ids = [e["eventID"] for e in json.loads(doc.read_text())["epcisBody"]["eventList"]]
    report = import_document(window.session.ledger, doc)
    assert report.added == len(partner_ids) >= 1
    screen = window.show_page("ledger")
    screen.refresh()
    screen.table.selectRow(0)  # newest first: the last imported event
    assert screen.detail_source.isVisibleTo(screen)
    assert screen.detail_source.text() == f"Sent with its own eventID: {partner_ids[-1]}"
    assert json.loads(screen.detail.toPlainText())["eventID"].startswith("ni:///sha-256;")
    screen.table.selectRow(screen.model.rowCount() - 1)  # a demo event: tracer's own id
    assert not screen.detail_source.isVisibleTo(screen) and screen.detail_source.text() == ""
