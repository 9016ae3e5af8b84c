"""Devices screen (a serial scanner connected, unplugged mid-session, back) and master data import."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracer.devices import DeviceState
from tracer.devices.sim.pty_port import PtyPort
from tracer.ledger import masterdata
from tracer.ui.widgets import AMBER, GREEN

FAST = "retry=0.05&timeout=0.1"


def test_driver_settings_build_the_uri(window) -> None:  # type: ignore[no-untyped-def]
    screen = window.show_page("devices")
    screen.scheme.setCurrentIndex(screen.scheme.findData("uhf-chafon"))
    screen.path.setText("/dev/ttyUSB3")
    screen.param_combos["power"].setCurrentText("20")
    assert screen.uri.text() == "uhf-chafon:///dev/ttyUSB3?power=20"
    assert (
        screen.table.item(screen.rows["wedge:"], 1).text() == "wedge:"
    )  # the keyboard is always there
    assert not screen.connect_uri("nonsense://x") and screen.add_message.text()


@pytest.mark.slow
def test_device_unplugged_mid_session(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    screen = window.show_page("devices")
    bridge = window.session.bridge()
    with PtyPort() as port:
        uri = f"serial://{port.path}?{FAST}"
        assert screen.connect_uri(uri)
        qtbot.waitUntil(lambda: screen.light(uri).color == GREEN, timeout=5000)
        assert window.session.user_get("devices") == [uri]
        with qtbot.waitSignal(bridge.scanned, timeout=5000):
            port.write(b"]E06923456010017\r")
        r = screen.rows[uri]
        assert screen.table.item(r, 4).text() == "]E06923456010017"
        port.unplug()
        qtbot.waitUntil(lambda: screen.light(uri).color == AMBER, timeout=5000)
        assert screen.last_status[uri].state is DeviceState.RECONNECTING
        assert "unplugged" in screen.table.item(r, 2).text()
        port.plug()
        qtbot.waitUntil(lambda: screen.light(uri).color == GREEN, timeout=5000)
        # test read: the next scan is shown, not recorded
        before = window.session.ledger.count()
        screen.test_read()
        with qtbot.waitSignal(bridge.captured, timeout=5000):
            port.write(b"]E06923456010017\r")
        assert (
            "urn:epc:idpat:sgtin" in screen.test_label.text()
            and window.session.ledger.count() == before
        )
        screen.table.selectRow(r)
        screen.disconnect_selected()
        assert uri not in bridge.readers and window.session.user_get("devices") == []


def test_master_data_tables_and_import(window, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    screen = window.show_page("masterdata")
    ledger = window.session.ledger
    products = masterdata.products(ledger)
    assert screen.proxies["products"].rowCount() == len(products)
    screen.tabs.setCurrentIndex(2)  # locations
    n = len(masterdata.locations(ledger))
    assert screen.proxies["locations"].rowCount() == n
    screen.search.setText("Huimin")
    assert 0 < screen.proxies["locations"].rowCount() < n
    screen.search.clear()
    sheet = tmp_path / "shops.csv"
    sheet.write_text(
        "GLN,名称,中文名称,类型,省份,联系人,电话\n6912345000017,Happy Mart,快乐超市,门店,Anhui,王芳,0551-1\n"
        "6912345000018,Bad,坏,门店,Anhui,李,1\n",
        encoding="utf-8-sig",
    )
    screen.import_file(str(sheet))
    assert "row 3" in screen.report.text() and masterdata.location(ledger, "6912345000017") is None
    sheet.write_text(
        "GLN,名称,中文名称,类型\n6912345000017,Happy Mart,快乐超市,门店\n", encoding="utf-8-sig"
    )
    screen.import_file(str(sheet))
    assert masterdata.location(ledger, "6912345000017") is not None
    assert screen.proxies["locations"].rowCount() == n + 1 and "1" in screen.report.text()
