"""Demo events: the life of each lot from raw material to the shop shelf.

Deterministic for a seed: material lots are commissioned at suppliers and
shipped to the factories, transformed into product lots, inspected (a few
fail and are destroyed), serialised or kept at lot level, packed into cases
and pallets (SSCC), shipped to distribution centres, split across
retailers, received, sold; a few cases come back, and a few shipments are
corrected with an EPCIS errorDeclaration and a corrective event.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from functools import cached_property

from tracer.codes.keys import escape_component, gcp_length, lgtin_uri, sgtin_uri
from tracer.demo.chain import DemoChain, DemoProduct
from tracer.model import (
    Action,
    ErrorDeclaration,
    Event,
    EventType,
    Link,
    Location,
    Lot,
    QuantityElement,
    pgln_uri,
)

CST = timezone(timedelta(hours=8))
LOT_SERIALS = 64  # SSCCs and document numbers reserved per lot
MATERIAL_BLOCK = 8  # finished lots made from one lot of each material
START = datetime(2026, 1, 5, 8, 0, tzinfo=CST)
OWNING = "owning_party"
LOCATION = "location"

Stamp = Callable[[Event], Event]


@dataclass
class _Lot:
    product: DemoProduct
    number: str
    quantity: int
    produced: datetime

    @cached_property
    def lot_class(self) -> str:
        # EPC URIs split GTINs as tracer.codes does (GS1 prefix table), so a
        # scanned barcode of a demo item names the same EPC as the ledger
        return lgtin_uri("0" + self.product.product.gtin, self.number)

    def sgtin(self, serial: int) -> str:
        # escaping works character by character and digits need none: the lot part once
        return f"{self._sgtin_lot}{serial:05d}"

    @cached_property
    def _sgtin_lot(self) -> str:
        return self._sgtin_base + escape_component(self.number)

    @cached_property
    def _sgtin_base(self) -> str:
        """`sgtin_uri` up to the serial: the GCP split looked up once per lot, not per item."""
        return sgtin_uri("0" + self.product.product.gtin, "")


def _party_and_place(loc: Location) -> tuple[Link, Link]:
    """A source or destination: the owning party (PGLN) and the place (SGLN)."""
    return (Link(OWNING, pgln_uri(loc.party_gln or loc.gln)), Link(LOCATION, loc.sgln))


class DemoEvents:
    """Generates events lot by lot; `lots` collects master data for each lot."""

    def __init__(
        self, chain: DemoChain, seed: int, stamp: Stamp, step: timedelta = timedelta(hours=2)
    ) -> None:
        self.chain = chain
        self.seed = seed
        self.step = step  # time between two lots' production
        self.rng = random.Random(seed)
        self.stamp = stamp
        self.lots: list[Lot] = []
        self._sscc = 0
        self._doc = 0
        self._material_lots: dict[str, _Lot] = {}
        self._gcp_sizes: dict[str, int] = {}

    def _begin_lot(self, index: int) -> None:
        """Every lot draws from its own seeded stream and its own block of serials,
        so any range of lots can be generated alone (in parallel) with the same result."""
        self.rng = random.Random(f"{self.seed}:{index}")
        self._sscc = index * LOT_SERIALS
        self._doc = index * LOT_SERIALS

    # -- identifiers -------------------------------------------------------

    def _next_sscc(self, cp: str) -> str:
        self._sscc += 1
        body = f"0{cp}{self._sscc:0{16 - len(cp)}d}"
        size = self._gcp_sizes.get(cp)
        if size is None:  # the GCP table answers by prefix: once per company prefix
            size = self._gcp_sizes[cp] = gcp_length(body[1:])
        # = sscc_uri(body + check digit): the URI leaves the check digit out
        return f"urn:epc:id:sscc:{body[1 : 1 + size]}.{body[0]}{body[1 + size : 17]}"

    def _doc_id(self, kind: str, party: Location) -> Link:
        self._doc += 1
        return Link(
            f"{kind}",
            f"urn:epcglobal:cbv:bt:{party.gln}:{self._doc:08d}",
        )

    def _event(self, t: datetime, **kw: object) -> Event:
        e = Event(event_time=t, event_time_zone_offset="+08:00", **kw)  # type: ignore[arg-type]
        return self.stamp(e)

    # -- materials -----------------------------------------------------------

    def _material_lots_for_block(self, block: int, t: datetime, emit: bool) -> Iterator[Event]:
        """One lot of each material per block of lots, shipped to both factories."""
        for dp in (p for p in self.chain.products if p.kind == "material"):
            supplier = next(s for s in self.chain.suppliers if s.gln == dp.product.producer_gln)
            t0 = t - timedelta(days=6)
            gtin = dp.product.gtin
            lot = _Lot(dp, f"M{t0:%y%m%d}{block % 10000:04d}", 2000, t0)
            self._material_lots[gtin] = lot
            if emit:
                yield from self._material_lot_events(lot, supplier, t0)

    def _material_lot_events(self, lot: _Lot, supplier: Location, t0: datetime) -> Iterator[Event]:
        dp = lot.product
        gtin = dp.product.gtin
        self.lots.append(
            Lot(
                gtin="0" + gtin,
                lot=lot.number,
                production_date=f"{t0:%Y-%m-%d}",
                expiry_date=f"{t0 + timedelta(days=dp.shelf_life_days):%Y-%m-%d}",
                quantity=lot.quantity,
                location_gln=supplier.gln,
            )
        )
        q = (QuantityElement(lot.lot_class, float(lot.quantity), None),)
        yield self._event(
            t0,
            event_type=EventType.OBJECT,
            action=Action.ADD,
            quantity_list=q,
            biz_step="commissioning",
            disposition="active",
            read_point=supplier.sgln,
            biz_location=supplier.sgln,
            ilmd={
                "cbvmda:lotNumber": lot.number,
                "cbvmda:itemExpirationDate": f"{t0 + timedelta(days=dp.shelf_life_days):%Y-%m-%d}",
            },
        )
        # half to each factory: a split shipment of one material lot
        half = (QuantityElement(lot.lot_class, float(lot.quantity // 2), None),)
        for n, factory in enumerate(self.chain.factories):
            ship = (self._doc_id("desadv", supplier),)
            yield self._event(
                t0 + timedelta(days=1, hours=n),
                event_type=EventType.OBJECT,
                action=Action.OBSERVE,
                quantity_list=half,
                biz_step="shipping",
                disposition="in_transit",
                read_point=supplier.sgln,
                biz_transactions=ship,
                sources=_party_and_place(supplier),
                destinations=_party_and_place(factory),
            )
            yield self._event(
                t0 + timedelta(days=3, hours=n),
                event_type=EventType.OBJECT,
                action=Action.OBSERVE,
                quantity_list=half,
                biz_step="receiving",
                disposition="in_progress",
                read_point=factory.sgln,
                biz_location=factory.sgln,
                biz_transactions=ship,
            )

    # -- one finished lot ------------------------------------------------------

    def lot_time(self, index: int) -> datetime:
        return START + self.step * index

    def lot_events(self, index: int) -> Iterator[Event]:
        """Every event of lot `index`, which depends on nothing but the seed and index."""
        self._begin_lot(index)
        rng = self.rng
        t = self.lot_time(index)
        block, first = divmod(index, MATERIAL_BLOCK)
        yield from self._material_lots_for_block(
            block, self.lot_time(block * MATERIAL_BLOCK), emit=first == 0
        )
        finished = [p for p in self.chain.products if p.kind == "finished"]
        dp = finished[index % len(finished)]
        factory = next(f for f in self.chain.factories if f.gln == dp.product.producer_gln)
        factory_sgln = factory.sgln  # computed on each access: once per lot
        cases = rng.randrange(4, 17)
        per_case = dp.items_per_case
        lot = _Lot(dp, f"L{t:%y%m%d}{index % 10000:04d}", cases * per_case, t)
        expiry = t + timedelta(days=dp.shelf_life_days)
        self.lots.append(
            Lot(
                gtin="0" + dp.product.gtin,
                lot=lot.number,
                production_date=f"{t:%Y-%m-%d}",
                expiry_date=f"{expiry:%Y-%m-%d}",
                quantity=lot.quantity,
                location_gln=factory.gln,
            )
        )
        ilmd = {
            "cbvmda:lotNumber": lot.number,
            "cbvmda:productionDate": f"{t:%Y-%m-%d}",
            "cbvmda:itemExpirationDate": f"{expiry:%Y-%m-%d}",
        }
        inputs = tuple(
            QuantityElement(self._material_lots[g].lot_class, float(rng.randrange(5, 40)), None)
            for g in dp.inputs
        )
        out = (QuantityElement(lot.lot_class, float(lot.quantity), None),)
        yield self._event(
            t,
            event_type=EventType.TRANSFORMATION,
            action=None,
            input_quantity_list=inputs,
            output_quantity_list=out,
            biz_step="commissioning",
            disposition="active",
            read_point=factory_sgln,
            biz_location=factory_sgln,
            ilmd=ilmd,
            operator="QC-" + factory.gln[-4:],
            station="line-1",
        )
        items = [lot.sgtin(i + 1) for i in range(lot.quantity)] if dp.serialised else []
        t1 = t + timedelta(hours=2)
        for start in range(0, len(items), 100):
            yield self._event(
                t1,
                event_type=EventType.OBJECT,
                action=Action.ADD,
                epc_list=tuple(items[start : start + 100]),
                biz_step="commissioning",
                disposition="active",
                read_point=factory_sgln,
                biz_location=factory_sgln,
                ilmd=ilmd,
                station="line-1",
                device="printer-1",
            )
        failed = rng.random() < 0.04
        yield self._event(
            t + timedelta(hours=4),
            event_type=EventType.OBJECT,
            action=Action.OBSERVE,
            quantity_list=(QuantityElement(lot.lot_class, float(min(32, lot.quantity)), None),),
            biz_step="inspecting",
            disposition="non_conformant" if failed else "conformant",
            read_point=factory_sgln,
            biz_location=factory_sgln,
            operator="QC-" + factory.gln[-4:],
            station="qc-1",
            extra={
                "tracer:inspection": {
                    "sampleSize": min(32, lot.quantity),
                    "defects": 3 if failed else 0,
                }
            },
        )
        if failed:
            yield self._event(
                t + timedelta(days=1),
                event_type=EventType.OBJECT,
                action=Action.DELETE,
                quantity_list=out,
                biz_step="destroying",
                disposition="destroyed",
                read_point=factory_sgln,
                biz_location=factory_sgln,
            )
            return
        yield from self._pack_and_ship(lot, items, cases, factory, t + timedelta(hours=6))

    def _pack_and_ship(
        self, lot: _Lot, items: list[str], cases: int, factory: Location, t: datetime
    ) -> Iterator[Event]:
        rng = self.rng
        per_case = lot.product.items_per_case
        cp = lot.product.company_prefix
        factory_sgln = factory.sgln
        case_ids: list[str] = []
        case_items: dict[str, list[str]] = {}
        for c in range(cases):
            sscc = self._next_sscc(cp)
            case_ids.append(sscc)
            chunk = items[c * per_case : (c + 1) * per_case]
            case_items[sscc] = chunk
            yield self._event(
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
        pallet = self._next_sscc(cp)
        yield self._event(
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
        dc = self.chain.warehouses[rng.randrange(len(self.chain.warehouses))]
        dc_sgln = dc.sgln
        ship = (self._doc_id("desadv", factory), self._doc_id("po", dc))
        t_ship = t + timedelta(days=1)
        yield self._event(
            t_ship,
            event_type=EventType.OBJECT,
            action=Action.OBSERVE,
            epc_list=(pallet,),
            biz_step="shipping",
            disposition="in_transit",
            read_point=factory_sgln,
            biz_transactions=ship,
            sources=_party_and_place(factory),
            destinations=_party_and_place(dc),
        )
        t_dc = t_ship + timedelta(days=2)
        yield self._event(
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
        yield self._event(
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
            shop = self.chain.retailers[rng.randrange(len(self.chain.retailers))]
            yield from self._ship_to_shop(lot, batch, case_items, dc, shop, t_out)
            t_out += timedelta(hours=rng.randrange(1, 30))

    def _ship_to_shop(
        self,
        lot: _Lot,
        cases: list[str],
        case_items: dict[str, list[str]],
        dc: Location,
        shop: Location,
        t: datetime,
    ) -> Iterator[Event]:
        rng = self.rng
        dc_sgln, shop_sgln = dc.sgln, shop.sgln
        docs = (self._doc_id("desadv", dc),)
        shipping = self._event(
            t,
            event_type=EventType.OBJECT,
            action=Action.OBSERVE,
            epc_list=tuple(cases),
            biz_step="shipping",
            disposition="in_transit",
            read_point=dc_sgln,
            biz_transactions=docs,
            sources=_party_and_place(dc),
            destinations=_party_and_place(shop),
        )
        if rng.random() < 0.01:
            # keyed to the wrong shop, then corrected: errorDeclaration + corrective event
            wrong = self.chain.retailers[
                (self.chain.retailers.index(shop) + 1) % len(self.chain.retailers)
            ]
            mistaken = replace(
                shipping,
                destinations=_party_and_place(wrong),
                event_id=None,
            )
            mistaken = self.stamp(mistaken)
            yield mistaken
            yield shipping
            yield self.stamp(
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
        yield self._event(
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
                yield self._event(
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
            yield self._event(
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
            yield self._event(
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
            yield self._event(
                t_ret + timedelta(days=2),
                event_type=EventType.OBJECT,
                action=Action.OBSERVE,
                epc_list=back,
                biz_step="receiving",
                disposition="returned",
                read_point=dc_sgln,
                biz_location=dc_sgln,
            )

    def lots_events(self, start: int, stop: int) -> list[tuple[list[Event], list[Lot]]]:
        """Per lot, its events and master data, for lots start..stop-1 (a unit of work)."""
        out = []
        for i in range(start, stop):
            self.lots = []
            out.append((list(self.lot_events(i)), self.lots))
        return out
