"""Signals: recorded as events, linked to lots (stated, by item, plausible), followed up."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from tracer.codes.labels import render_label
from tracer.ledger import EventQuery, Ledger
from tracer.ledger.corrections import correct_event
from tracer.quality import store
from tracer.quality.attachments import attachment_path, check_attachment, store_attachment
from tracer.quality.identify import from_code, from_gtin_lot, from_photo
from tracer.quality.signal_model import (
    SIGNAL_KEY,
    SIGNAL_STEP,
    ProductRef,
    SignalError,
    SignalReport,
)
from tracer.quality.signals import (
    assess,
    default_stamp,
    dismiss,
    escalate,
    get_signal,
    list_signals,
    record_signal,
)

from .scenario import arrivals, finished_lots


def _lot(ledger: Ledger, n: int = 5) -> tuple[str, str]:
    g, lot, _d = finished_lots(ledger)[n]
    return g, lot


def test_signal_is_an_event_naming_the_lot(demo_ledger: Ledger) -> None:
    gtin, lot = _lot(demo_ledger)
    s = record_signal(
        demo_ledger,
        SignalReport(
            "consumer_complaint",
            date(2026, 3, 2),
            from_gtin_lot(gtin, lot),
            severity="medium",
            reporter="王女士",
            description="积木边缘有毛刺",
        ),
    )
    assert [(x.gtin, x.lot, x.basis) for x in s.lots] == [(gtin, lot, "stated")]
    assert s.status == "new" and s.kind == "consumer_complaint" and s.day == "2026-03-02"
    # the ledger's own lot query finds it: the event names the lot's class as the ledger writes it
    found = [
        e
        for e in demo_ledger.events(EventQuery(lot=(gtin, lot)))
        if e.event.biz_step == SIGNAL_STEP
    ]
    assert len(found) == 1
    assert found[0].event.extra[SIGNAL_KEY]["description"] == "积木边缘有毛刺"
    assert found[0].event.event_id == s.signal_id
    assert get_signal(demo_ledger, s.short_id).signal_id == s.signal_id


def test_two_identical_reports_typed_separately_are_two_signals(demo_ledger: Ledger) -> None:
    gtin, lot = _lot(demo_ledger)
    report = SignalReport("consumer_complaint", date(2026, 3, 2), from_gtin_lot(gtin, lot))
    from datetime import UTC, datetime

    a = record_signal(demo_ledger, report, recorded_at=datetime(2026, 3, 2, 9, tzinfo=UTC))
    b = record_signal(demo_ledger, report, recorded_at=datetime(2026, 3, 2, 10, tzinfo=UTC))
    assert a.signal_id != b.signal_id
    assert len(list_signals(demo_ledger, lot=lot)) == 2


def test_scanned_code_and_serial_find_the_lot(demo_ledger: Ledger) -> None:
    item, lot_class = demo_ledger.connection.execute(
        "SELECT epc, lot_class FROM item_lots LIMIT 1 OFFSET 100"
    ).fetchone()
    lot = lot_class.rsplit(".", 1)[1]
    gtin = next(g for g, x, _d in finished_lots(demo_ledger) if x == lot)
    ref = from_code(f"(01){gtin}(10){lot}")
    assert (ref.gtin, ref.lot) == (gtin, lot)
    serial = item.rsplit(".", 1)[1]
    s = record_signal(
        demo_ledger,
        SignalReport("retailer_report", date(2026, 3, 1), from_code(f"(01){gtin}(21){serial}")),
    )
    assert [(x.lot, x.basis) for x in s.lots] == [(lot, "item")]
    with pytest.raises(SignalError, match="SSCC"):
        from_code("(00)069234560000000017")


def test_photo_of_label_identifies_the_lot(tmp_path: Path) -> None:
    photo = tmp_path / "label.png"
    render_label("(01)06923456010017(17)271231(10)L2601200006", "datamatrix").save(photo)
    ref = from_photo(photo)
    assert (ref.gtin, ref.lot, ref.how) == ("06923456010017", "L2601200006", "photo")
    blank = tmp_path / "blank.png"
    from PIL import Image

    Image.new("L", (200, 200), 255).save(blank)
    with pytest.raises(SignalError, match="no product code"):
        from_photo(blank)


def test_signal_without_lot_links_plausible_lots_from_arrivals(demo_ledger: Ledger) -> None:
    gtin = _lot(demo_ledger, 0)[0]
    by_place = arrivals(demo_ledger, gtin)  # oracle: the forward trace of every lot
    place, seen = max(by_place.items(), key=lambda kv: len(kv[1]))
    seen.sort()
    day = (seen[-1][0] + timedelta(days=5)).date()
    window = 180
    gln = demo_ledger.connection.execute(
        "SELECT gln FROM locations WHERE sgln = ?", (place,)
    ).fetchone()[0]
    s = record_signal(
        demo_ledger,
        SignalReport("consumer_complaint", day, ProductRef(gtin=gtin), place=gln),
    )
    lo = seen[-1][0] - timedelta(days=window)
    expected = sorted({lot for t, lot in seen if t >= lo - timedelta(days=4)})
    got = sorted(x.lot for x in s.lots)
    assert all(x.basis == "plausible" for x in s.lots)
    assert set(got) >= {lot for t, lot in seen if t >= lo + timedelta(days=4)}
    assert set(got) <= set(expected) and got
    assert s.place_sgln == place
    # a place given by its shop name resolves to the same location
    name = demo_ledger.connection.execute(
        "SELECT name_zh FROM locations WHERE sgln = ?", (place,)
    ).fetchone()[0]
    by_name = record_signal(
        demo_ledger, SignalReport("consumer_complaint", day, ProductRef(gtin=gtin), place=name)
    )
    assert by_name.lot_keys() == s.lot_keys()


def test_follow_ups_assess_dismiss_escalate(demo_ledger: Ledger) -> None:
    gtin, lot = _lot(demo_ledger)
    other_gtin, other_lot = _lot(demo_ledger, 7)
    s = record_signal(
        demo_ledger,
        SignalReport("injury_report", date(2026, 3, 2), ProductRef(gtin=gtin), severity="low"),
    )
    assert s.lots == ()
    a = assess(demo_ledger, s.short_id, by="质检员", severity="high", lots=[(gtin, lot)])
    assert (a.status, a.severity, a.reported_severity) == ("assessed", "high", "low")
    assert [(x.lot, x.basis) for x in a.lots] == [(lot, "assessed")]
    e = escalate(demo_ledger, s.signal_id, "RC-TEST-1", by="coordinator")
    assert (e.status, e.campaign) == ("escalated", "RC-TEST-1")
    with pytest.raises(SignalError, match="already escalated"):
        dismiss(demo_ledger, s.signal_id)
    d = record_signal(
        demo_ledger,
        SignalReport("consumer_complaint", date(2026, 3, 3), from_gtin_lot(other_gtin, other_lot)),
    )
    with pytest.raises(SignalError, match="not in the ledger"):
        assess(demo_ledger, d.signal_id, lots=[(gtin, "NO-SUCH-LOT")])
    assert dismiss(demo_ledger, d.signal_id, note="misuse").status == "dismissed"
    with pytest.raises(SignalError, match="already dismissed"):
        dismiss(demo_ledger, d.signal_id)
    assert [x.signal_id for x in list_signals(demo_ledger, status="dismissed")] == [d.signal_id]
    # the tables are a cache: rebuilding from events gives the same answers
    before = [x.as_dict() for x in list_signals(demo_ledger)]
    assert store.rebuild(demo_ledger) == 2
    assert [x.as_dict() for x in list_signals(demo_ledger)] == before


def test_error_declaration_removes_a_signal(demo_ledger: Ledger) -> None:
    gtin, lot = _lot(demo_ledger)
    s = record_signal(
        demo_ledger, SignalReport("consumer_complaint", date(2026, 3, 2), from_gtin_lot(gtin, lot))
    )
    assert len(list_signals(demo_ledger)) == 1
    correct_event(demo_ledger, s.seq, None, stamp=default_stamp(), reason="did_not_occur")
    assert list_signals(demo_ledger) == []


def test_bad_input_is_refused_plainly(demo_ledger: Ledger) -> None:
    with pytest.raises(SignalError, match="kind must be one of"):
        record_signal(demo_ledger, SignalReport("rumour", date(2026, 1, 1), ProductRef()))
    with pytest.raises(SignalError, match="not a valid GTIN"):
        from_gtin_lot("6923456010018")
    with pytest.raises(SignalError, match="only spot checks"):
        record_signal(
            demo_ledger,
            SignalReport("consumer_complaint", date(2026, 1, 1), ProductRef(), result="fail"),
        )


def test_attachments_are_content_addressed(tmp_path: Path) -> None:
    ledger = tmp_path / "l.sqlite"
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8 not really a jpeg")
    a = store_attachment(ledger, photo)
    b = store_attachment(ledger, photo)
    assert a == b and a.media_type == "image/jpeg" and a.size == 20
    stored = attachment_path(ledger, a.sha256)
    assert stored.read_bytes() == photo.read_bytes()
    assert stored.parent.parent == tmp_path / "l.sqlite.files"
    assert check_attachment(ledger, a)
    stored.write_bytes(b"changed")
    assert not check_attachment(ledger, a)
