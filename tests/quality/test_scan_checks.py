"""A station flags unknown products, expired lots and items already recorded, instead of recording them."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from tracer.devices.base import barcode_scan
from tracer.devices.recorder import RECORDED, Recorder
from tracer.devices.stations import resolve_station
from tracer.ledger import Ledger, masterdata
from tracer.quality.scan_checks import (
    ALREADY_RECORDED,
    EXPIRED,
    UNKNOWN_PRODUCT,
    CheckedRecorder,
)

CST = timezone(timedelta(hours=8))
T0 = datetime(2026, 3, 2, 9, 30, tzinfo=CST)


def _checked(ledger: Ledger, today: date = date(2026, 3, 2)) -> CheckedRecorder:
    factory = masterdata.stations(ledger)[0].location_gln
    station = resolve_station(
        ledger, "qc-9", location=factory, biz_step="inspecting", disposition="conformant"
    )
    return CheckedRecorder(Recorder(ledger, station, operator="王芳"), today=today)


def _lot(ledger: Ledger):  # type: ignore[no-untyped-def]
    return next(lot for lot in masterdata.lots(ledger) if lot.expiry_date)


def test_known_lot_is_recorded(demo_ledger: Ledger) -> None:
    lot = _lot(demo_ledger)
    checked = _checked(demo_ledger)
    result = checked.record([barcode_scan(f"]C101{lot.gtin}10{lot.lot}", "wedge:", time=T0)])
    assert not result.flagged and [o.status for o in result.outcomes] == [RECORDED]


def test_unknown_product_is_flagged_not_recorded(demo_ledger: Ledger) -> None:
    before = demo_ledger.count()
    result = _checked(demo_ledger).record([barcode_scan("]E04006381333931", "wedge:", time=T0)])
    (flag,) = result.flagged
    assert flag.kind == UNKNOWN_PRODUCT and flag.detail["gtin"] == "04006381333931"
    assert result.recorded is None and demo_ledger.count() == before


def test_expired_lot_flagged_until_allowed(demo_ledger: Ledger) -> None:
    lot = _lot(demo_ledger)
    after_expiry = date.fromisoformat(lot.expiry_date) + timedelta(days=1)  # type: ignore[arg-type]
    checked = _checked(demo_ledger, today=after_expiry)
    scan = barcode_scan(f"]C101{lot.gtin}10{lot.lot}", "wedge:", time=T0)
    (flag,) = checked.record([scan]).flagged
    assert flag.kind == EXPIRED and flag.detail == {"lot": lot.lot, "expiry": lot.expiry_date}
    checked.allow_once(scan.key)
    assert [o.status for o in checked.record([scan]).outcomes] == [RECORDED]
    later = barcode_scan(scan.text, "wedge:", time=T0 + timedelta(minutes=1))
    assert checked.record([later]).flagged[0].kind == EXPIRED  # allowed once only


def test_expiry_on_the_label_counts_too(demo_ledger: Ledger) -> None:
    lot = _lot(demo_ledger)
    scan = barcode_scan(f"]C101{lot.gtin}17250101", "wedge:", time=T0)
    assert _checked(demo_ledger).record([scan]).flagged[0].detail["expiry"] == "2025-01-01"


def test_item_already_recorded_here_is_flagged_after_the_window(demo_ledger: Ledger) -> None:
    lot = _lot(demo_ledger)
    checked = _checked(demo_ledger)
    code = f"]d201{lot.gtin}21SN0001\x1d10{lot.lot}"
    first = checked.record([barcode_scan(code, "wedge:", time=T0)])
    assert first.outcomes[0].status == RECORDED
    again = checked.record([barcode_scan(code, "wedge:", time=T0 + timedelta(seconds=1))])
    assert not again.flagged and again.outcomes[0].status == "duplicate"  # the window's repeat
    later = checked.record([barcode_scan(code, "wedge:", time=T0 + timedelta(minutes=5))])
    assert later.flagged[0].kind == ALREADY_RECORDED
    assert later.flagged[0].detail["seq"] == str(first.outcomes[0].seq)
