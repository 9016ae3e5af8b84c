"""Inspection results as EPCIS events, holds, and pass rates."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tracer.demo.build import canonical_stamp
from tracer.ledger import EventQuery, Ledger, masterdata
from tracer.quality.inspection import (
    Defects,
    Inspection,
    gtin_of_class,
    hold_event,
    pass_rates,
    record_inspection,
)
from tracer.quality.sampling import plan

CST = timezone(timedelta(hours=8))


def test_gtin_of_lgtin_class() -> None:
    assert gtin_of_class("urn:epc:class:lgtin:6923456.001001.L1") == "06923456010017"
    assert gtin_of_class("urn:epc:id:sscc:6923456.0000000001") is None


def test_pass_and_fail_become_inspecting_events(demo_ledger: Ledger) -> None:
    lot = masterdata.lots(demo_ledger)[0]
    p = plan(int(lot.quantity or 100), 1.0)
    t = datetime(2026, 5, 1, 10, tzinfo=CST)
    ok = Inspection(
        lot.gtin, lot.lot, p, nonconforming=p.accept, operator="李娜", station="qc-2", time=t
    )
    bad = Inspection(lot.gtin, lot.lot, p, nonconforming=0, defects=Defects(critical=1),
                     operator="李娜", station="qc-2", time=t + timedelta(minutes=5))  # fmt: skip
    assert ok.accepted and not bad.accepted
    r1 = record_inspection(demo_ledger, ok, canonical_stamp())
    r2 = record_inspection(demo_ledger, bad, canonical_stamp())
    e1, e2 = demo_ledger.get(r1.added[0]).event, demo_ledger.get(r2.added[0]).event  # type: ignore[union-attr]
    assert (e1.biz_step, e1.disposition, e2.disposition) == (
        "inspecting",
        "conformant",
        "non_conformant",
    )
    info = e2.extra["tracer:inspection"]
    assert info["sampleSize"] == p.sample_size and info["defectsByClass"]["critical"] == 1
    assert e1.quantity_list[0].quantity == p.sample_size
    # the events are found by the lot
    seqs = {
        s.seq
        for s in demo_ledger.events(EventQuery(lot=(lot.gtin, lot.lot), biz_step="inspecting"))
    }
    assert {r1.added[0], r2.added[0]} <= seqs
    rates = {r.key: r for r in pass_rates(demo_ledger, by="station")}
    assert rates["qc-2"].inspected == 2 and rates["qc-2"].passed == 1


def test_hold_event(demo_ledger: Ledger) -> None:
    lot = masterdata.lots(demo_ledger)[0]
    e = hold_event(lot.gtin, lot.lot, 120.0, stamp=canonical_stamp(), operator="李娜")
    assert e.biz_step == "holding" and e.event_id and e.quantity_list[0].quantity == 120.0


def test_pass_rates_by_product_and_month_match_the_demo(demo_ledger: Ledger) -> None:
    events = list(demo_ledger.events(EventQuery(biz_step="inspecting")))
    by_product = pass_rates(demo_ledger, by="product")
    assert sum(r.inspected for r in by_product) == len(events)
    assert sum(r.passed for r in by_product) == sum(
        s.event.disposition == "conformant" for s in events
    )
    gtins = {p.gtin.zfill(14) for p in masterdata.products(demo_ledger)}
    assert {r.key for r in by_product} <= gtins
    months = pass_rates(demo_ledger, by="month")
    assert all(len(r.key) == 7 for r in months) and sum(r.inspected for r in months) == len(events)
