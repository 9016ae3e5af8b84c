"""Demo events from a finished lot to the shop shelf: packing, shipping, selling.

A lot that passed inspection is packed into cases and a pallet (SSCC), shipped to
a distribution centre, unpacked, split across retailers, received and sold; a
few cases come back, and a few shipments are corrected with an EPCIS
errorDeclaration and a corrective event. The generator (`tracer.demo.events`)
hands over its random stream, serial counters and event stamping through
`LotContext`, so the draws happen in the same order as when this was one class.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Protocol

from tracer.demo.chain import DemoChain
from tracer.demo.lot import DemoLot
from tracer.model import (
    Action,
    ErrorDeclaration,
    Event,
    EventType,
    Link,
    Location,
    QuantityElement,
    pgln_uri,
)

OWNING = "owning_party"
LOCATION = "location"


class LotContext(Protocol):
    """What the distribution steps need from the generator of the current lot."""

    chain: DemoChain
    rng: random.Random

    def stamp(self, event: Event, /) -> Event: ...

    def event(self, t: datetime, **kw: object) -> Event: ...

    def next_sscc(self, cp: str) -> str: ...

    def doc_id(self, kind: str, party: Location) -> Link: ...


def party_and_place(loc: Location) -> tuple[Link, Link]:
    """A source or destination: the owning party (PGLN) and the place (SGLN)."""
    return (Link(OWNING, pgln_uri(loc.party_gln or loc.gln)), Link(LOCATION, loc.sgln))


def pack_and_ship(
    gen: LotContext, lot: DemoLot, items: list[str], cases: int, factory: Location, t: datetime
) -> Iterator[Event]:
    rng = gen.rng
    per_case = lot.product.items_per_case
    cp = lot.product.company_prefix
    factory_sgln = factory.sgln
    case_ids: list[str] = []
    case_items: dict[str, list[str]] = {}
    for c in range(cases):
        sscc = gen.next_sscc(cp)
        case_ids.append(sscc)
        chunk = items[c * per_case : (c + 1) * per_case]
        case_items[sscc] = chunk
        yield gen.event(
            t,
            event_type=EventType.AGGREGATION,
            action=Action.ADD,
            parent_id=sscc,
            child_epcs=tuple(chunk),
            child_quantity_list=()
            if chunk
            else (QuantityElement(lot.lot_class, float(per_case), None),),
            biz_step="packing",
            disposition="in_progress",
            read_point=factory_sgln,
            biz_location=factory_sgln,
            station="pack-1",
        )
    pallet = gen.next_sscc(cp)
    yield gen.event(
        t + timedelta(minutes=30),
        event_type=EventType.AGGREGATION,
        action=Action.ADD,
        parent_id=pallet,
        child_epcs=tuple(case_ids),
        biz_step="packing",
        disposition="in_progress",
        read_point=factory_sgln,
        biz_location=factory_sgln,
        station="pack-1",
    )
    dc = gen.chain.warehouses[rng.randrange(len(gen.chain.warehouses))]
    dc_sgln = dc.sgln
    ship = (gen.doc_id("desadv", factory), gen.doc_id("po", dc))
    t_ship = t + timedelta(days=1)
    yield gen.event(
        t_ship,
        event_type=EventType.OBJECT,
        action=Action.OBSERVE,
        epc_list=(pallet,),
        biz_step="shipping",
        disposition="in_transit",
        read_point=factory_sgln,
        biz_transactions=ship,
        sources=party_and_place(factory),
        destinations=party_and_place(dc),
    )
    t_dc = t_ship + timedelta(days=2)
    yield gen.event(
        t_dc,
        event_type=EventType.OBJECT,
        action=Action.OBSERVE,
        epc_list=(pallet,),
        biz_step="receiving",
        disposition="in_progress",
        read_point=dc_sgln,
        biz_location=dc_sgln,
        biz_transactions=ship,
    )
    yield gen.event(
        t_dc + timedelta(hours=3),
        event_type=EventType.AGGREGATION,
        action=Action.DELETE,
        parent_id=pallet,
        child_epcs=tuple(case_ids),
        biz_step="unpacking",
        disposition="in_progress",
        read_point=dc_sgln,
        biz_location=dc_sgln,
    )
    # split the cases across retailers; a few stay on hand at the DC
    on_hand = rng.randrange(0, 2)
    to_ship = case_ids[: len(case_ids) - on_hand]
    t_out = t_dc + timedelta(days=1)
    while to_ship:
        n = min(len(to_ship), rng.randrange(1, 4))
        batch, to_ship = to_ship[:n], to_ship[n:]
        shop = gen.chain.retailers[rng.randrange(len(gen.chain.retailers))]
        yield from _ship_to_shop(gen, lot, batch, case_items, dc, shop, t_out)
        t_out += timedelta(hours=rng.randrange(1, 30))


def _ship_to_shop(
    gen: LotContext,
    lot: DemoLot,
    cases: list[str],
    case_items: dict[str, list[str]],
    dc: Location,
    shop: Location,
    t: datetime,
) -> Iterator[Event]:
    rng = gen.rng
    dc_sgln, shop_sgln = dc.sgln, shop.sgln
    docs = (gen.doc_id("desadv", dc),)
    shipping = gen.event(
        t,
        event_type=EventType.OBJECT,
        action=Action.OBSERVE,
        epc_list=tuple(cases),
        biz_step="shipping",
        disposition="in_transit",
        read_point=dc_sgln,
        biz_transactions=docs,
        sources=party_and_place(dc),
        destinations=party_and_place(shop),
    )
    if rng.random() < 0.01:
        # keyed to the wrong shop, then corrected: errorDeclaration + corrective event
        wrong = gen.chain.retailers[
            (gen.chain.retailers.index(shop) + 1) % len(gen.chain.retailers)
        ]
        mistaken = replace(
            shipping,
            destinations=party_and_place(wrong),
            event_id=None,
        )
        mistaken = gen.stamp(mistaken)
        yield mistaken
        yield shipping
        yield gen.stamp(
            replace(
                mistaken,
                event_id=None,
                error_declaration=ErrorDeclaration(
                    declaration_time=t + timedelta(hours=2),
                    reason="incorrect_data",
                    corrective_event_ids=(str(shipping.event_id),),
                ),
            )
        )
    else:
        yield shipping
    t_in = t + timedelta(days=rng.randrange(1, 4))
    yield gen.event(
        t_in,
        event_type=EventType.OBJECT,
        action=Action.OBSERVE,
        epc_list=tuple(cases),
        biz_step="receiving",
        disposition="sellable_not_accessible",
        read_point=shop_sgln,
        biz_location=shop_sgln,
        biz_transactions=docs,
    )
    per_case = lot.product.items_per_case
    received_items = [i for c in cases for i in case_items[c]]
    sold_n = rng.randrange(0, len(cases) * per_case + 1)
    t_sale = t_in + timedelta(days=rng.randrange(1, 20))
    if sold_n and received_items:
        for start in range(0, sold_n, 50):
            yield gen.event(
                t_sale,
                event_type=EventType.OBJECT,
                action=Action.OBSERVE,
                epc_list=tuple(received_items[start : min(sold_n, start + 50)]),
                biz_step="retail_selling",
                disposition="retail_sold",
                read_point=shop_sgln,
                biz_location=shop_sgln,
            )
            t_sale += timedelta(days=1)
    elif sold_n:
        yield gen.event(
            t_sale,
            event_type=EventType.OBJECT,
            action=Action.OBSERVE,
            quantity_list=(QuantityElement(lot.lot_class, float(sold_n), None),),
            biz_step="retail_selling",
            disposition="retail_sold",
            read_point=shop_sgln,
            biz_location=shop_sgln,
        )
    if rng.random() < 0.03 and sold_n < len(cases) * per_case:
        back = (cases[-1],)
        t_ret = t_sale + timedelta(days=2)
        yield gen.event(
            t_ret,
            event_type=EventType.OBJECT,
            action=Action.OBSERVE,
            epc_list=back,
            biz_step="shipping",
            disposition="returned",
            read_point=shop_sgln,
            sources=(Link(LOCATION, shop_sgln),),
            destinations=(Link(LOCATION, dc_sgln),),
        )
        yield gen.event(
            t_ret + timedelta(days=2),
            event_type=EventType.OBJECT,
            action=Action.OBSERVE,
            epc_list=back,
            biz_step="receiving",
            disposition="returned",
            read_point=dc_sgln,
            biz_location=dc_sgln,
        )
