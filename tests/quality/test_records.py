"""Quality records per product, producer and supplier, checked against raw-event oracles."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from tracer.ledger import Ledger
from tracer.quality.alerts import recall_from_alert
from tracer.quality.linking import split_class
from tracer.quality.records import quality_record
from tracer.quality.signal_model import ProductRef, SignalError, SignalReport
from tracer.quality.signals import record_signal

from .scenario import finished_lots, input_material_lots


def _inspections_oracle(ledger: Ledger, gtin: str) -> tuple[int, int]:
    done = passed = 0
    for (doc,) in ledger.connection.execute(
        "SELECT doc FROM events WHERE biz_step = 'inspecting'"
    ).fetchall():
        d = json.loads(doc)
        cls = d["quantityList"][0]["epcClass"]
        split = split_class(cls)
        if split and split[0] == gtin:
            done += 1
            passed += d.get("disposition") == "conformant"
    return done, passed


def test_product_record_pass_rates_and_signals(demo_ledger: Ledger) -> None:
    gtin, lot, _ = finished_lots(demo_ledger)[3]
    for day, result in ((1, "pass"), (2, "fail"), (3, "pass")):
        record_signal(
            demo_ledger,
            SignalReport(
                "ecommerce_spot_check",
                date(2026, 5, day),
                ProductRef(gtin=gtin, lot=lot),
                result=result,
                severity="high" if result == "fail" else "low",
            ),
        )
    rec = quality_record(demo_ledger, "product", gtin)
    done, passed = _inspections_oracle(demo_ledger, gtin)
    assert done > 5
    assert (rec.inspections.done, rec.inspections.passed) == (done, passed)
    assert (rec.spot_checks.done, rec.spot_checks.passed) == (3, 2)
    assert rec.spot_checks.rate is not None and rec.spot_checks.rate < rec.target == 0.92
    assert rec.signals_by("kind") == {"ecommerce_spot_check": 3}
    assert any(h.kind == "signal" and h.outcome == "fail" for h in rec.history)
    # a period leaves out what happened outside it
    may2 = quality_record(
        demo_ledger, "product", gtin, since=date(2026, 5, 2), until=date(2026, 5, 2)
    )
    assert (may2.spot_checks.done, may2.spot_checks.passed) == (1, 0)
    with pytest.raises(SignalError, match="no product"):
        quality_record(demo_ledger, "product", "06901234567892")


def test_bad_supplier_lot_shows_in_every_product_made_from_it(demo_ledger: Ledger) -> None:
    made_from = input_material_lots(demo_ledger.connection)
    material, outputs = max(made_from.items(), key=lambda kv: len({o for o in kv[1]}))
    mg, mlot = split_class(material)  # type: ignore[misc]
    assert mlot is not None
    made_gtins = {split_class(o)[0] for o in outputs}  # type: ignore[index]
    all_finished = {g for g, _l, _d in finished_lots(demo_ledger)}
    assert made_gtins and all_finished - made_gtins  # some products are not made from it
    record_signal(
        demo_ledger,
        SignalReport(
            "market_spot_check",
            date(2026, 4, 1),
            ProductRef(gtin=mg, lot=mlot),
            result="fail",
            severity="high",
            reporter="省市场监管局",
            description="邻苯二甲酸酯超标",
        ),
    )
    for g in sorted(all_finished):
        rec = quality_record(demo_ledger, "product", g)
        flagged = {f.lot for f in rec.flagged_inputs}
        if g in made_gtins:
            assert (mg, mlot) in flagged, g
            f = next(f for f in rec.flagged_inputs if f.lot == (mg, mlot))
            assert "邻苯二甲酸酯超标" in f.reasons[0][1]
            assert {lot for _g, lot in f.made_into} == {
                split_class(o)[1]
                for o in outputs
                if split_class(o)[0] == g  # type: ignore[index]
            }
            assert any(h.kind == "input_lot" for h in rec.history)
        else:
            assert (mg, mlot) not in flagged, g
    # the supplier's own record holds the signal and the lots made from its lot
    supplier = demo_ledger.connection.execute(
        "SELECT producer_gln FROM products WHERE gtin = ?", (mg.lstrip("0"),)
    ).fetchone()[0]
    srec = quality_record(demo_ledger, "supplier", supplier)
    assert srec.spot_checks.done == 1 and srec.spot_checks.passed == 0
    assert {split_class(o)[1] for o in outputs} <= {lot for _g, lot in srec.lots}  # type: ignore[index]
    assert srec.inspections.done >= len(set(outputs))


def test_producer_record_counts_recalls_and_on_time_acknowledgements(demo_ledger: Ledger) -> None:
    from tracer.recall import get_campaign, record_ack, record_notified

    gtin, lot, _ = finished_lots(demo_ledger)[6]
    for k in range(3):
        record_signal(
            demo_ledger,
            SignalReport(
                "consumer_complaint", date(2026, 6, 1 + k), ProductRef(gtin=gtin, lot=lot)
            ),
        )
    cid = recall_from_alert(demo_ledger, f"lot:{gtin}/{lot}", reason="测试召回")
    c = get_campaign(demo_ledger, cid)
    t0 = datetime(2026, 6, 10, 9, tzinfo=UTC)
    first, second = c.targets[0], c.targets[1]
    for t in (first, second):
        record_notified(demo_ledger, cid, t.sgln, when=t0)
    record_ack(demo_ledger, cid, first.sgln, when=t0 + timedelta(days=1))
    record_ack(demo_ledger, cid, second.sgln, when=t0 + timedelta(days=6))
    producer = demo_ledger.connection.execute(
        "SELECT producer_gln FROM products WHERE gtin = ?", (gtin.lstrip("0"),)
    ).fetchone()[0]
    rec = quality_record(demo_ledger, "producer", producer)
    (line,) = rec.recalls
    assert (line.campaign_id, line.targets, line.acknowledged, line.acknowledged_on_time) == (
        cid,
        len(c.targets),
        2,
        1,
    )
    assert rec.acknowledgements.done == len(c.targets) and rec.acknowledgements.passed == 1
    assert gtin in {g for g, _n, _z in rec.products}
    assert {s.status for s in rec.signals} == {"escalated"}
    assert any(h.kind == "recall" and h.subject == cid for h in rec.history)
