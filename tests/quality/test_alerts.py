"""Alert rules with known answers on the demo ledger; one step from an alert to a recall."""

from __future__ import annotations

from datetime import date, timedelta

from tracer.ledger import Ledger
from tracer.quality.alerts import evaluate, get_alert, recall_from_alert
from tracer.quality.linking import split_class
from tracer.quality.rules import load_rules, set_rules
from tracer.quality.signal_model import ProductRef, SignalReport
from tracer.quality.signals import dismiss, list_signals, record_signal

from .scenario import finished_lots, input_material_lots, retail_destinations


def _complaint(ledger: Ledger, gtin: str, lot: str, day: date, **kw: object) -> str:
    report = SignalReport(
        str(kw.pop("kind", "consumer_complaint")),
        day,
        ProductRef(gtin=gtin, lot=lot),
        **kw,  # type: ignore[arg-type]
    )
    return record_signal(ledger, report).signal_id


def _shipped_lot(ledger: Ledger) -> tuple[str, str]:
    for g, lot, _d in finished_lots(ledger)[6:]:
        if len(retail_destinations(ledger.connection, g, lot)) >= 3:
            return g, lot
    raise AssertionError("demo has no lot at three retailers")


def test_three_complaints_on_one_lot_raise_one_alert_with_its_retailers(
    demo_ledger: Ledger,
) -> None:
    gtin, lot = _shipped_lot(demo_ledger)
    d0 = date(2026, 6, 1)
    _complaint(demo_ledger, gtin, lot, d0)
    _complaint(demo_ledger, gtin, lot, d0 + timedelta(days=9), severity="high")
    assert evaluate(demo_ledger) == []  # two are not a cluster
    _complaint(demo_ledger, gtin, lot, d0 + timedelta(days=20))
    (alert,) = evaluate(demo_ledger)
    assert (alert.rule, alert.subject, alert.lots) == ("lot", f"{gtin}/{lot}", [(gtin, lot)])
    assert len(alert.signals) == 3 and alert.status == "open"
    assert alert.trace is not None
    expected = retail_destinations(demo_ledger.connection, gtin, lot)
    assert {r.sgln for r in alert.trace.retailers} == expected
    assert alert.trace.units_at_retail > 0
    assert alert.trace.units_produced >= alert.trace.units_at_retail
    names = {r.name_zh for r in alert.trace.retailers}
    assert all(names)

    # one step to a recall: a campaign on the lot, every signal escalated to it
    campaign = recall_from_alert(demo_ledger, alert.alert_id, reason="小零件脱落，窒息风险")
    from tracer.recall import get_campaign

    c = get_campaign(demo_ledger, campaign)
    assert {t.sgln for t in c.targets} >= expected
    assert {s.status for s in list_signals(demo_ledger)} == {"escalated"}
    after = get_alert(demo_ledger, alert.alert_id, with_trace=False)
    assert (after.status, after.campaigns) == ("escalated", [campaign])
    assert evaluate(demo_ledger, include_escalated=False) == []


def test_window_threshold_and_dismissal(demo_ledger: Ledger) -> None:
    gtin, lot = _shipped_lot(demo_ledger)
    d0 = date(2026, 6, 1)
    ids = [_complaint(demo_ledger, gtin, lot, d0 + timedelta(days=k * 20)) for k in range(3)]
    assert evaluate(demo_ledger) == []  # 40 days from first to last: no 30-day window holds 3
    set_rules(demo_ledger, {"lot_window_days": "45"})
    assert load_rules(demo_ledger).lot_window_days == 45
    assert [a.rule for a in evaluate(demo_ledger, with_trace=False)] == ["lot"]
    dismiss(demo_ledger, ids[1], note="customer misuse")
    assert evaluate(demo_ledger, with_trace=False) == []


def test_injury_and_failed_spot_check_alert_alone(demo_ledger: Ledger) -> None:
    gtin, lot = _shipped_lot(demo_ledger)
    _complaint(demo_ledger, gtin, lot, date(2026, 6, 1), kind="injury_report", severity="medium")
    assert evaluate(demo_ledger, with_trace=False) == []
    _complaint(demo_ledger, gtin, lot, date(2026, 6, 2), kind="injury_report", severity="high",
               reporter="市儿童医院", description="划伤手指")  # fmt: skip
    _complaint(demo_ledger, gtin, lot, date(2026, 6, 3), kind="market_spot_check", result="pass")
    _complaint(demo_ledger, gtin, lot, date(2026, 6, 4), kind="market_spot_check", result="fail")
    alerts = evaluate(demo_ledger, with_trace=False)
    # three signals (not counting the passed check? it counts: it is a signal) cluster on the lot
    assert sorted(a.rule for a in alerts) == ["injury", "lot", "spot_check"]
    injury = next(a for a in alerts if a.rule == "injury")
    assert "划伤手指" in injury.title and injury.lots == [(gtin, lot)]
    set_rules(demo_ledger, {"failed_spot_check": "no", "injury_severity": "critical"})
    assert [a.rule for a in evaluate(demo_ledger, with_trace=False)] == ["lot"]


def test_signals_on_lots_from_one_supplier_lot_raise_an_input_lot_alert(
    demo_ledger: Ledger,
) -> None:
    made_from = input_material_lots(demo_ledger.connection)
    material, outputs = max(made_from.items(), key=lambda kv: len(set(kv[1])))
    outs = sorted(set(outputs))[:3]
    assert len(outs) == 3
    for k, cls in enumerate(outs):
        split = split_class(cls)
        assert split is not None and split[1] is not None
        _complaint(demo_ledger, split[0], split[1], date(2026, 6, 1) + timedelta(days=k))
    alerts = evaluate(demo_ledger, with_trace=False)
    # every material lot that went into all three lots is a suspect (oracle: raw events)
    shared = sorted(
        f"{mk[0]}/{mk[1]}"
        for mat, made in made_from.items()
        if set(outs) <= set(made) and (mk := split_class(mat)) is not None
    )
    assert material in {m for m, made in made_from.items() if set(outs) <= set(made)}
    assert len(shared) >= 1
    assert sorted((a.rule, a.subject) for a in alerts) == [("input_lot", x) for x in shared]
    assert all(len(a.signals) == 3 for a in alerts)
