"""An inspection pass and an inspection fail, driven through the screen with scans."""

from __future__ import annotations

from datetime import date

from tracer.devices.base import barcode_scan
from tracer.ledger import masterdata
from tracer.ui.qt import Qt
from tracer.ui.widgets import GREEN, RED


def _lot(ledger):  # type: ignore[no-untyped-def]
    today = date.today().isoformat()
    return next(
        lot
        for lot in masterdata.lots(ledger)
        if lot.expiry_date and lot.expiry_date > today and lot.quantity
    )


def _scan(window, qtbot, text: str) -> None:  # type: ignore[no-untyped-def]
    bridge = window.session.bridge()
    with qtbot.waitSignal(bridge.captured, timeout=5000):
        bridge.put(barcode_scan(text, "wedge:"))


def test_inspection_pass(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    screen = window.show_page("inspection")
    ledger = window.session.ledger
    lot = _lot(ledger)
    before = ledger.count()
    _scan(window, qtbot, f"]C101{lot.gtin}10{lot.lot}")  # the lot label picks the lot
    assert screen.lot_key == (lot.gtin, lot.lot) and screen.lot_size.value() == int(lot.quantity)
    plan = screen.current_plan
    assert plan is not None and plan.lot_size == int(lot.quantity)
    for i in range(3):  # three samples scanned
        _scan(window, qtbot, f"]d201{lot.gtin}21S{i:04d}\x1d10{lot.lot}")
    assert len(screen.samples) == 3 and f"3 of {plan.sample_size}" in screen.samples_count.text()
    assert ledger.count() == before  # scans here pick and count, they are not recorded
    screen.minor.setValue(plan.accept)
    assert screen.verdict.property("state") == GREEN
    qtbot.mouseClick(screen.record_button, Qt.MouseButton.LeftButton)
    assert ledger.count() == before + 1
    e = ledger.get(before + 1).event
    assert (e.biz_step, e.disposition, e.operator) == ("inspecting", "conformant", "Test Clerk")
    assert e.extra["tracer:inspection"]["sampleSize"] == plan.sample_size
    assert len(e.epc_list) == 3
    assert not screen.hold_button.isEnabled() and not screen.recall_button.isEnabled()


def test_inspection_fail_hold_and_recall(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    screen = window.show_page("inspection")
    ledger = window.session.ledger
    lot = _lot(ledger)
    screen.lot_edit.setText(f"{lot.gtin}/{lot.lot}")
    screen._lot_typed()
    screen.aql.setCurrentIndex(screen.aql.findData(0.65))
    screen.severity.setCurrentIndex(screen.severity.findData("tightened"))
    plan = screen.current_plan
    assert plan.severity.value == "tightened"
    screen.major.setValue(plan.reject)
    assert screen.nonconforming.value() == plan.reject and screen.verdict.property("state") == RED
    before = ledger.count()
    qtbot.mouseClick(screen.record_button, Qt.MouseButton.LeftButton)
    assert ledger.get(before + 1).event.disposition == "non_conformant"
    assert screen.hold_button.isEnabled() and screen.recall_button.isEnabled()
    qtbot.mouseClick(screen.hold_button, Qt.MouseButton.LeftButton)
    hold = ledger.get(before + 2).event
    assert hold.biz_step == "holding" and lot.lot in hold.quantity_list[0].epc_class
    with qtbot.waitSignal(window.session.open_recall, timeout=2000) as sig:
        qtbot.mouseClick(screen.recall_button, Qt.MouseButton.LeftButton)
    assert sig.args == [(lot.gtin, lot.lot)]
    assert window.stack.currentIndex() == 3  # Trace & recall is showing


def test_critical_defect_fails_whatever_the_count(window) -> None:  # type: ignore[no-untyped-def]
    screen = window.show_page("inspection")
    lot = _lot(window.session.ledger)
    screen.set_lot(lot.gtin, lot.lot)
    screen.critical.setValue(1)
    assert screen.verdict.property("state") == RED and not screen.current_inspection().accepted
