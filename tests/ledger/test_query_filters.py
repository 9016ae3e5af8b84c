"""EventQuery filters and paging, checked against answers computed in Python.

Every filter is paged newest first and oldest first through the cursor
(`before_seq` / `after_seq`) under each plan (a sparse filter's index drives
the page; dense filters walk the primary key; dense filters rare together
let the least dense one drive), and must give exactly the events a plain
scan of all events selects.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from tracer.ledger import EventQuery, Ledger, StoredEvent, masterdata
from tracer.ledger import query as query_module
from tracer.model import Event


def gtin13_of(identifier: str) -> str | None:
    """GTIN-14 without its check digit, of an SGTIN or LGTIN URI (else None)."""
    for head in ("urn:epc:id:sgtin:", "urn:epc:class:lgtin:"):
        if identifier.startswith(head):
            company, ref, _rest = identifier[len(head) :].split(".", 2)
            return ref[0] + company + ref[1:]
    return None


def lot_of(ledger: Ledger) -> dict[str, str]:
    """SGTIN -> its lot class, from the commissioning events' ILMD (independently of item_lots)."""
    out = {}
    for s in ledger.events():
        lot = (s.event.ilmd or {}).get("cbvmda:lotNumber")
        if s.event.action is not None and s.event.biz_step == "commissioning" and lot:
            for epc in s.event.epc_list:
                company, ref, _ = epc.removeprefix("urn:epc:id:sgtin:").split(".", 2)
                out[epc] = f"urn:epc:class:lgtin:{company}.{ref}.{lot}"
    return out


def walk(ledger: Ledger, q: EventQuery, *, newest_first: bool, page: int = 7) -> list[int]:
    seqs: list[int] = []
    while True:
        if newest_first:
            cursor = {"before_seq": seqs[-1]} if seqs else {}
        else:
            cursor = {"after_seq": seqs[-1]} if seqs else {}
        q2 = EventQuery(**{**_fields(q), **cursor, "limit": page, "newest_first": newest_first})
        got = [s.seq for s in ledger.events(q2)]
        seqs += got
        if len(got) < page:
            return seqs


def _fields(q: EventQuery) -> dict[str, object]:
    return {f: getattr(q, f) for f in q.__slots__}  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def ledger(demo_ledger_template) -> Ledger:  # type: ignore[no-untyped-def]
    with Ledger.open(demo_ledger_template, readonly=True) as led:
        yield led  # type: ignore[misc]


def cases(ledger: Ledger) -> list[tuple[str, EventQuery, Callable[[Event], bool]]]:
    everything = list(ledger.events())
    products = masterdata.products(ledger)
    finished = next(p for p in products if p.gtin.startswith("6923456"))
    material = next(p for p in products if p.gtin.startswith("6945678"))
    lot = next(x for x in masterdata.lots(ledger) if x.gtin.lstrip("0").startswith("6934567"))
    lots = lot_of(ledger)
    lot_class_tail = f".{lot.lot}"
    ship = next(s.event for s in everything if s.event.biz_step == "shipping" and s.event.epc_list)
    retailer = next(x for x in masterdata.locations(ledger) if x.kind.value == "retailer")
    t0 = everything[len(everything) // 2].event.event_time
    operator = next(s.event.operator for s in everything if s.event.operator)

    def has_product(gtin: str) -> Callable[[Event], bool]:
        g13 = gtin.zfill(14)[:13]
        return lambda e: any(gtin13_of(i.id) == g13 for i in e.identifiers())

    def in_lot(e: Event) -> bool:
        for i in e.identifiers():
            cls = i.id if i.id.startswith("urn:epc:class:lgtin:") else lots.get(i.id)
            if cls and cls.endswith(lot_class_tail) and gtin13_of(cls) == lot.gtin.zfill(14)[:13]:
                return True
        return False

    return [
        ("product (serialised)", EventQuery(product=finished.gtin), has_product(finished.gtin)),
        ("product (material, class level)", EventQuery(product=material.gtin), has_product(material.gtin)),
        ("product with no events", EventQuery(product="06900000000007"), lambda e: False),
        ("lot", EventQuery(lot=(lot.gtin, lot.lot)), in_lot),
        ("epc", EventQuery(epc=ship.epc_list[0]), lambda e: any(i.id == ship.epc_list[0] for i in e.identifiers())),
        ("location", EventQuery(location=retailer.gln),
         lambda e: retailer.sgln in (e.read_point, e.biz_location)),
        ("step", EventQuery(biz_step="shipping"), lambda e: e.biz_step == "shipping"),
        ("rare step", EventQuery(biz_step="destroying"), lambda e: e.biz_step == "destroying"),
        ("operator", EventQuery(operator=operator), lambda e: e.operator == operator),
        ("time", EventQuery(since=t0, until=t0 + timedelta(days=2)),
         lambda e: t0 <= e.event_time < t0 + timedelta(days=2)),
        ("product and step", EventQuery(product=finished.gtin, biz_step="retail_selling"),
         lambda e: e.biz_step == "retail_selling" and has_product(finished.gtin)(e)),
        ("product and location", EventQuery(product=finished.gtin, location=retailer.gln),
         lambda e: has_product(finished.gtin)(e) and retailer.sgln in (e.read_point, e.biz_location)),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("cap", "budget"),
    [(3, 10**9), (3, 0), (10**9, 10**9)],
    ids=["dense-plan", "rare-together-plan", "sparse-plan"],
)
def test_every_filter_pages_exactly_its_events(
    ledger: Ledger, cap: int, budget: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(query_module, "SPARSE_CAP", cap)
    monkeypatch.setattr(query_module, "WALK_BUDGET", budget)
    everything: list[StoredEvent] = list(ledger.events())
    for name, q, keep in cases(ledger):
        expected = [s.seq for s in everything if keep(s.event)]
        if name != "product with no events":
            assert expected, name  # the demo has them: the check can fail
        assert walk(ledger, q, newest_first=True) == expected[::-1], name
        assert walk(ledger, q, newest_first=False) == expected, name
        assert ledger.event_count(q) == len(expected), name
        assert [s.seq for s in ledger.events(q)] == expected, name


def test_product_takes_any_gtin_length_and_roles(ledger: Ledger) -> None:
    material = next(p for p in masterdata.products(ledger) if p.gtin.startswith("6945678"))
    roles = {
        i.role.value
        for s in ledger.events(EventQuery(product=material.gtin))
        for i in s.event.identifiers()
        if gtin13_of(i.id) == material.gtin.zfill(14)[:13]
    }
    assert {"epc", "input"} <= roles  # class-level quantities, consumed by transformations
    short = [s.seq for s in ledger.events(EventQuery(product=material.gtin.lstrip("0")))]
    assert short == [s.seq for s in ledger.events(EventQuery(product=material.gtin.zfill(14)))]


def test_dense_page_walks_the_primary_key_sparse_page_uses_an_index(ledger: Ledger) -> None:
    conn = ledger.connection
    q = EventQuery(biz_step="shipping", limit=5, newest_first=True)
    plans = {}
    for cap in (3, 10**9):
        query_module.SPARSE_CAP, old = cap, query_module.SPARSE_CAP
        try:
            sql, params = query_module.build_event_query(conn, q)
        finally:
            query_module.SPARSE_CAP = old
        plans[cap] = " | ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params))
    assert "SCAN e" in plans[3] and "TEMP B-TREE" not in plans[3]
    assert "events_biz_step" in plans[10**9] and "TEMP B-TREE" not in plans[10**9]
