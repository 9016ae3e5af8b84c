"""Forward and backward trace on the hand-built scenario (answers worked out by hand)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tracer.ledger import Ledger
from tracer.recall import TraceError, backward_trace, forward_trace
from tracer.recall.graph import TraceGraph

from .scenario import (
    C2,
    C3,
    GTIN_K,
    GTIN_M,
    GTIN_P,
    GTIN_Q,
    P_ITEMS,
    PL,
    R1,
    R2,
    R3,
    R4,
    T0,
    D,
    F,
    I,
    K,
    M,
    P,
    Q,
    S,
    build_scenario,
)


@pytest.fixture(scope="module")
def scenario_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_scenario(tmp_path_factory.mktemp("scenario") / "s.sqlite")


@pytest.fixture()
def ledger(scenario_path: Path):  # type: ignore[no-untyped-def]
    with Ledger.open(scenario_path, readonly=True) as led:
        yield led


def shipped(g: TraceGraph) -> dict[tuple[str, str], float]:
    return {(e.source, e.target): e.units for e in g.edges_of("shipped")}


def test_forward_from_material_lot_crosses_two_transformations(ledger: Ledger) -> None:
    g = forward_trace(ledger, (GTIN_M, "M1"))
    assert {lot: info.depth for lot, info in g.lots.items()} == {M: 0, I: 1, P: 2, Q: 2}
    # the 6 Q items were made from I too, so they are affected as well
    assert shipped(g) == {
        (S.sgln, F.sgln): 1000,  # the material itself
        (F.sgln, D.sgln): 30,  # pallet: C1 C2 C3 (24 P) + C5 (6 Q)
        (D.sgln, R1.sgln): 14,  # C1 (8 P) + C5 (6 Q)
        (D.sgln, R2.sgln): 8,
        (D.sgln, R3.sgln): 8,  # corrected: not R4
    }
    assert R4.sgln not in g.locations
    assert {(e.source, e.target, e.units) for e in g.edges_of("input")} == {
        (M, I, 100),
        (I, P, 50),
        (I, Q, 50),
    }
    assert g.locations[F.sgln].units("consumed") == 150  # 100 M + 50 I


def test_forward_from_product_lot_quantities_per_location(ledger: Ledger) -> None:
    g = forward_trace(ledger, (GTIN_P, "P1"))
    assert set(g.lots) == {P}
    assert shipped(g) == {
        (F.sgln, D.sgln): 24,  # the mixed pallet counts only P
        (D.sgln, R1.sgln): 8,
        (D.sgln, R2.sgln): 8,
        (D.sgln, R3.sgln): 8,
    }
    assert {(e.source, e.target, e.units) for e in g.edges_of("returned")} == {(R2.sgln, D.sgln, 8)}
    r1, r2, r3, dc = (g.locations[x.sgln] for x in (R1, R2, R3, D))
    assert (r1.units("received"), r1.units("sold"), r1.on_hand()) == (8, 3, 5)
    assert (r2.units("received"), r2.units("returned_out"), r2.on_hand()) == (8, 8, 0)
    assert (r3.units("received"), r3.on_hand(), r3.unconfirmed()) == (8, 8, 0)
    # DC: 24 in, 24 out, the return back: 8 on hand
    assert (dc.units("received"), dc.units("shipped_out"), dc.units("returned_in")) == (32, 24, 8)
    assert dc.on_hand() == 8
    assert g.locations[F.sgln].units("produced") == 24
    finals = {t.sgln for t in g.final_locations()}
    assert finals == {R1.sgln, R2.sgln, R3.sgln}
    assert g.items_traced == 24
    assert C2 in next(e for e in g.edges_of("returned")).via


def test_lot_level_goods_counted_through_class_quantities(ledger: Ledger) -> None:
    g = forward_trace(ledger, f"{GTIN_K}/K1")
    assert set(g.lots) == {K}
    assert shipped(g) == {(F.sgln, R1.sgln): 12}
    r1 = g.locations[R1.sgln]
    assert (r1.units("received"), r1.units("sold"), r1.on_hand()) == (12, 5, 7)


def test_forward_from_one_serial_follows_that_item_only(ledger: Ledger) -> None:
    g = forward_trace(ledger, P_ITEMS[0])
    assert shipped(g) == {(F.sgln, D.sgln): 1, (D.sgln, R1.sgln): 1}
    assert g.locations[R1.sgln].units("sold") == 1
    assert g.lots[P].partial


def test_forward_from_sscc_and_split_pallet(ledger: Ledger) -> None:
    g = forward_trace(ledger, "069900000000000099")  # PL as printed: 18 digits
    assert g.start_ids == [PL]
    # the pallet went to D whole; its cases then split over three shops
    assert shipped(g) == {
        (F.sgln, D.sgln): 30,
        (D.sgln, R1.sgln): 14,
        (D.sgln, R2.sgln): 8,
        (D.sgln, R3.sgln): 8,
    }
    g2 = forward_trace(ledger, C3)
    assert shipped(g2) == {(F.sgln, D.sgln): 8, (D.sgln, R3.sgln): 8}


def test_backward_from_item_reaches_material_and_supplier(ledger: Ledger) -> None:
    g = backward_trace(ledger, P_ITEMS[20])  # in C3, ended at R3
    assert {lot: info.depth for lot, info in g.lots.items()} == {P: 0, I: 1, M: 2}
    assert shipped(g) == {(S.sgln, F.sgln): 1000, (F.sgln, D.sgln): 1, (D.sgln, R3.sgln): 1}
    assert {(e.source, e.target) for e in g.edges_of("input")} == {(M, I), (I, P)}
    produced = {(e.source, e.target) for e in g.edges_of("produced")}
    assert (M, S.sgln) in produced
    assert S.sgln in g.locations and g.locations[S.sgln].location is not None


def test_backward_from_lot_stops_at_its_production(ledger: Ledger) -> None:
    g = backward_trace(ledger, (GTIN_Q, "Q1"))
    assert set(g.lots) == {Q, I, M}
    # Q's own distribution is forward information, not part of its backward trace
    assert shipped(g) == {(S.sgln, F.sgln): 1000}


def test_time_window_and_depth_limit(ledger: Ledger) -> None:
    early = forward_trace(ledger, (GTIN_P, "P1"), until=T0 + timedelta(hours=20))
    assert (D.sgln, R3.sgln) not in shipped(early)
    shallow = forward_trace(ledger, (GTIN_M, "M1"), max_depth=1)
    assert set(shallow.lots) == {M, I} and shallow.truncated


def test_unknown_start_is_a_plain_error(ledger: Ledger) -> None:
    with pytest.raises(TraceError, match="not in the ledger"):
        forward_trace(ledger, (GTIN_P, "NOPE"))
    with pytest.raises(TraceError, match="GTIN"):
        forward_trace(ledger, "12/ab")


def test_master_data_on_nodes(ledger: Ledger) -> None:
    g = forward_trace(ledger, (GTIN_P, "P1"))
    info = g.lots[P]
    assert (info.gtin, info.lot, info.product, info.product_zh) == (GTIN_P, "P1", "Toy P", "玩具P")
    assert info.expiry_date == "2028-03-02"
    r2 = g.locations[R2.sgln]
    assert r2.location is not None and r2.location.region == "Jiangsu"
    d = g.as_dict()
    assert d["direction"] == "forward" and len(d["locations"]) == len(g.locations)


def test_cycles_in_bad_data_never_loop(tmp_path: Path) -> None:
    """A transformation loop (M → X → M) and a packing loop (A in B in A) terminate."""
    from tracer.model import QuantityElement

    from .scenario import Chain

    c = Chain()
    x = M.replace("M1", "X1")
    c.commission_class(S, M, 10, "M1")
    c.transform(F, [(M, 10)], [(x, 10)])
    c.transform(F, [(x, 10)], [(M, 10)])
    a, b = "urn:epc:id:sscc:6990000.0000000101", "urn:epc:id:sscc:6990000.0000000102"
    c.pack(F, a, [], (QuantityElement(M, 10),))
    c.pack(F, b, [a])
    c.pack(F, a, [b])
    c.ship(F, R1, [a])
    with Ledger.open(tmp_path / "cyc.sqlite") as led:
        led.append(c.events)
        g = forward_trace(led, (GTIN_M, "M1"), max_depth=50)
        assert set(g.lots) == {M, x}
        assert shipped(g) == {(F.sgln, R1.sgln): 10}
        back = backward_trace(led, a, max_depth=50)
        assert M in back.lots
