"""Trace on the generated demo ledger, checked against a naive replay and properties."""

from __future__ import annotations

from collections import Counter, defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracer.ledger import EventQuery, Ledger
from tracer.model import Event, EventType
from tracer.recall import backward_trace, forward_trace


def _finished_lots(ledger: Ledger) -> list[tuple[str, str]]:
    rows = ledger.connection.execute(
        "SELECT gtin, lot FROM lots WHERE lot LIKE 'L%' ORDER BY gtin, lot"
    ).fetchall()
    return [(g, lot) for g, lot in rows]


def _naive_received(events: list[Event], lot: tuple[str, str]) -> Counter[str]:
    """Units of the lot received per location, by reading every event of the ledger
    in Python: cases' contents from packing, then receipts of those cases."""
    from tracer.ledger.query import lot_classes

    classes = set(lot_classes(*lot))
    items: set[str] = set()
    contents: dict[str, float] = defaultdict(float)
    received: Counter[str] = Counter()
    cancelled = {e.event_id for e in events if e.error_declaration is not None}
    for e in events:
        if e.error_declaration is not None or e.event_id in cancelled:
            continue
        if (
            e.biz_step == "commissioning"
            and e.event_type is EventType.OBJECT
            and e.lot_number == lot[1]
            and any(c.endswith("." + lot[1]) for c in classes)
        ):
            items.update(x for x in e.epc_list if x.split(".")[-1].startswith(lot[1]))
        if e.event_type is EventType.AGGREGATION and e.biz_step == "packing" and e.parent_id:
            n = sum(1 for x in e.child_epcs if x in items)
            n += sum(q.quantity or 0 for q in e.child_quantity_list if q.epc_class in classes)
            n += sum(contents.get(x, 0) for x in e.child_epcs)
            if n:
                contents[e.parent_id] = n
        if e.biz_step == "receiving" and e.biz_location and e.disposition != "returned":
            n = sum(contents.get(x, 0) for x in e.epc_list)
            if n:
                received[e.biz_location] += n
    return received


def test_demo_lots_match_a_naive_replay(demo_ledger: Ledger) -> None:
    lots = _finished_lots(demo_ledger)
    events = [s.event for s in demo_ledger.events()]
    checked = 0
    for lot in lots[:: max(1, len(lots) // 12)]:
        g = forward_trace(demo_ledger, lot)
        expected = _naive_received(events, lot)
        got = {
            sgln: t.units("received") - t.units("returned_in")
            for sgln, t in g.locations.items()
            if t.units("received") - t.units("returned_in")
        }
        assert got == dict(expected), lot
        for t in g.locations.values():
            # nothing leaves a place that never had it
            assert t.outflow() <= t.inflow() + 1e-9, (lot, t.sgln, t.as_dict())
        checked += 1
    assert checked >= 10


def test_corrected_shipments_never_reach_the_wrong_shop(demo_ledger: Ledger) -> None:
    conn = demo_ledger.connection
    rows = conn.execute(
        "SELECT e.doc FROM events e WHERE e.declares_error = 1 AND e.biz_step = 'shipping'"
    ).fetchall()
    assert rows, "the demo ledger should contain corrected shipments"
    import json

    for (doc,) in rows:
        d = json.loads(doc)
        wrong = next(x["destination"] for x in d["destinationList"] if x["type"] == "location")
        case = d["epcList"][0]
        g = forward_trace(demo_ledger, case)
        assert wrong not in g.locations
        corrective = d["errorDeclaration"]["correctiveEventIDs"][0]
        right = next(demo_ledger.events(EventQuery(epc=case, biz_step="shipping")))
        assert right.event.event_id in (corrective, right.event.event_id)
        assert any(e.kind == "shipped" for e in g.edges)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(pick=st.integers(min_value=0, max_value=10_000))
def test_every_place_reached_traces_back_to_the_lot(demo_ledger: Ledger, pick: int) -> None:
    """Property: each unit that reached a place in forward(X) has X in its backward trace."""
    lots = _finished_lots(demo_ledger)
    lot = lots[pick % len(lots)]
    g = forward_trace(demo_ledger, lot)
    start_class = g.start_ids[0]
    for edge in g.edges_of("shipped"):
        for unit in sorted(edge.via)[:2]:
            back = backward_trace(demo_ledger, unit)
            assert start_class in back.lots, (lot, unit)
            assert edge.target in back.locations


def test_material_lot_reaches_products_made_from_it(demo_ledger: Ledger) -> None:
    row = demo_ledger.connection.execute(
        "SELECT gtin, lot FROM lots WHERE lot LIKE 'M%' ORDER BY gtin, lot LIMIT 1"
    ).fetchone()
    g = forward_trace(demo_ledger, tuple(row))
    products = [info for info in g.lots.values() if info.depth == 1]
    assert products, "a material lot is used by at least one product lot"
    retail = g.retail_locations()
    assert retail
    # every product lot found also traces back to the material
    for info in products[:3]:
        back = backward_trace(demo_ledger, (info.gtin or "", info.lot or ""))
        assert g.start_ids[0] in back.lots


def test_an_observation_at_no_place_adds_no_location(demo_ledger: Ledger) -> None:
    """E.g. a consumer complaint naming the lot: it moves nothing anywhere."""
    from datetime import UTC, datetime

    from tracer.epcis.codec import stamp
    from tracer.model import Action, QuantityElement

    lot = _finished_lots(demo_ledger)[0]
    before = forward_trace(demo_ledger, lot)
    lot_class = next(iter(before.lots))
    demo_ledger.append(
        [
            stamp(
                Event(
                    event_type=EventType.OBJECT,
                    event_time=datetime(2026, 11, 1, tzinfo=UTC),
                    action=Action.OBSERVE,
                    quantity_list=(QuantityElement(lot_class, 1.0),),
                    biz_step="inspecting",
                )
            )
        ]
    )
    after = forward_trace(demo_ledger, lot)
    assert "?" not in after.locations
    assert set(after.locations) == set(before.locations)
