"""A simulated scanner session at the scan station: wedge key bursts, a serial scanner on a pty,
flags for unknown codes and expired lots, and a device unplugged mid-session."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tracer.devices import DeviceState, open_reader
from tracer.devices.sim.pty_port import PtyPort
from tracer.ledger import masterdata
from tracer.ui.qt import Qt
from tracer.ui.widgets import AMBER, GREEN, RED

FAST = "retry=0.05&timeout=0.1"


def _station(window):  # type: ignore[no-untyped-def]
    screen = window.show_page("scan")
    screen.station_combo.setCurrentText("qc-1")
    screen.apply_station()
    return screen


def _good_lot(ledger):  # type: ignore[no-untyped-def]
    today = date.today().isoformat()
    return next(
        lot for lot in masterdata.lots(ledger) if lot.expiry_date and lot.expiry_date > today
    )


def _scan_keys(qtbot, widget, code: str) -> None:  # type: ignore[no-untyped-def]
    """What a USB scanner in keyboard mode does: the whole code in a burst, then Enter."""
    qtbot.keyClicks(widget, code)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def test_wedge_burst_anywhere_is_recorded(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    screen = _station(window)
    ledger = window.session.ledger
    lot = _good_lot(ledger)
    before = ledger.count()
    bridge = window.session.bridge()
    # the focus is in the station-name box, not in any scan field: the wedge still catches it
    screen.station_combo.lineEdit().setFocus()
    with qtbot.waitSignal(bridge.result, timeout=5000):
        _scan_keys(qtbot, screen.station_combo.lineEdit(), f"(01){lot.gtin}(10){lot.lot}")
    assert screen.station_combo.currentText() == "qc-1"  # the burst did not land in the box
    assert ledger.count() == before + 1
    event = ledger.get(before + 1).event
    assert (event.operator, event.station, event.biz_step) == ("Test Clerk", "qc-1", "inspecting")
    assert event.device == "wedge:"
    assert screen.panel.property("state") == GREEN
    assert screen.lot_value.text() == lot.lot and screen.product_label.text()
    assert screen.counts.item(0, 1).text() == lot.lot and screen.counts.item(0, 2).text() == "1"
    assert screen.beeper.played[-1] == "ok"
    # a second read of the same label right away is counted once, shown amber
    with qtbot.waitSignal(bridge.result, timeout=5000):
        _scan_keys(qtbot, screen.manual, f"(01){lot.gtin}(10){lot.lot}")
    assert ledger.count() == before + 1 and screen.panel.property("state") == AMBER


def test_typing_slowly_reaches_the_focused_field(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    screen = window.show_page("ledger")
    screen.lot_edit.setFocus()
    qtbot.keyClicks(screen.lot_edit, "L26", delay=90)
    qtbot.wait(300)
    assert screen.lot_edit.text() == "L26"


def test_unknown_and_malformed_codes_are_flagged_not_recorded(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    screen = _station(window)
    ledger = window.session.ledger
    bridge = window.session.bridge()
    before = ledger.count()
    with qtbot.waitSignal(bridge.result, timeout=5000):
        _scan_keys(qtbot, screen.manual, "4006381333931")
    assert ledger.count() == before and screen.panel.property("state") == RED
    assert "04006381333931" in screen.detail_label.text() and screen.anyway_button.isVisible()
    assert screen.beeper.played[-1] == "error"
    with qtbot.waitSignal(bridge.result, timeout=5000):
        qtbot.mouseClick(screen.anyway_button, Qt.MouseButton.LeftButton)
    assert ledger.count() == before + 1  # recorded on purpose
    with qtbot.waitSignal(bridge.result, timeout=5000):
        _scan_keys(qtbot, screen.manual, "6923456010018")  # check digit wrong
    assert ledger.count() == before + 1 and screen.panel.property("state") == RED
    assert "check digit" in screen.detail_label.text()


def test_expired_lot_is_flagged(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    screen = _station(window)
    bridge = window.session.bridge()
    lot = _good_lot(window.session.ledger)
    past = (date.today() - timedelta(days=3)).strftime("%y%m%d")
    with qtbot.waitSignal(bridge.result, timeout=5000):
        _scan_keys(qtbot, screen.manual, f"(01){lot.gtin}(17){past}(10){lot.lot}")
    assert screen.panel.property("state") == RED and lot.lot in screen.detail_label.text()


def test_not_signed_in_records_nothing(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    screen = _station(window)
    window.session.sign_in(None)
    assert window.session.bridge().recorder is None
    assert "Sign in" in screen.recording_label.text()


@pytest.mark.slow
def test_serial_scanner_feeds_the_same_panel_then_is_unplugged(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    screen = _station(window)
    ledger = window.session.ledger
    bridge = window.session.bridge()
    lot = _good_lot(ledger)
    states: list[DeviceState] = []
    bridge.status.connect(lambda s: states.append(s.state))
    with PtyPort() as port:
        reader = open_reader(f"serial://{port.path}?suffix=CR&{FAST}")
        bridge.attach(reader)
        qtbot.waitUntil(lambda: DeviceState.CONNECTED in states, timeout=5000)
        before = ledger.count()
        with qtbot.waitSignal(bridge.result, timeout=5000):
            port.write(f"]C101{lot.gtin}10{lot.lot}\r".encode())
        assert ledger.count() == before + 1 and screen.panel.property("state") == GREEN
        assert ledger.get(before + 1).event.device.startswith("serial://")
        port.unplug()
        qtbot.waitUntil(lambda: states[-1] is DeviceState.RECONNECTING, timeout=5000)
        # the wedge still records while the serial scanner is gone
        with qtbot.waitSignal(bridge.result, timeout=5000):
            _scan_keys(qtbot, screen.manual, f"(01){lot.gtin}(10){lot.lot}(21)X1")
        assert ledger.count() == before + 2
        port.plug()
        qtbot.waitUntil(lambda: states[-1] is DeviceState.CONNECTED, timeout=5000)
        with qtbot.waitSignal(bridge.result, timeout=5000):
            port.write(f"]C101{lot.gtin}10{lot.lot}21X2\r".encode())
        assert ledger.count() == before + 3
        bridge.detach(reader.uri)
