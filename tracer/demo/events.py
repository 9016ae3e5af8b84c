"""Demo events: the life of each lot from raw material to the shop shelf.

Deterministic for a seed: material lots are commissioned at suppliers and
shipped to the factories, transformed into product lots, inspected (a few
fail and are destroyed) and serialised or kept at lot level here; packing,
shipping to distribution centres and retailers, selling, returns and
corrected shipments follow in `tracer.demo.distribution`.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone

from tracer.codes.keys import gcp_length
from tracer.demo.chain import DemoChain
from tracer.demo.distribution import pack_and_ship, party_and_place
from tracer.demo.lot import DemoLot
from tracer.model import Action, Event, EventType, Link, Location, Lot, QuantityElement

CST = timezone(timedelta(hours=8))
LOT_SERIALS = 64  # SSCCs and document numbers reserved per lot
MATERIAL_BLOCK = 8  # finished lots made from one lot of each material
START = datetime(2026, 1, 5, 8, 0, tzinfo=CST)

Stamp = Callable[[Event], Event]


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
        self._material_lots: dict[str, DemoLot] = {}
        self._gcp_sizes: dict[str, int] = {}

    def _begin_lot(self, index: int) -> None:
        """Every lot draws from its own seeded stream and its own block of serials,
        so any range of lots can be generated alone (in parallel) with the same result."""
        self.rng = random.Random(f"{self.seed}:{index}")
        self._sscc = index * LOT_SERIALS
        self._doc = index * LOT_SERIALS

    # -- identifiers and stamping (the `LotContext` of tracer.demo.distribution) --

    def next_sscc(self, cp: str) -> str:
        """The next SSCC URI from this lot's block of serials."""
        self._sscc += 1
        body = f"0{cp}{self._sscc:0{16 - len(cp)}d}"
        size = self._gcp_sizes.get(cp)
        if size is None:  # the GCP table answers by prefix: once per company prefix
            size = self._gcp_sizes[cp] = gcp_length(body[1:])
        # = sscc_uri(body + check digit): the URI leaves the check digit out
        return f"urn:epc:id:sscc:{body[1 : 1 + size]}.{body[0]}{body[1 + size : 17]}"

    def doc_id(self, kind: str, party: Location) -> Link:
        """The next business document of `party` from this lot's block of numbers."""
        self._doc += 1
        return Link(
            f"{kind}",
            f"urn:epcglobal:cbv:bt:{party.gln}:{self._doc:08d}",
        )

    def event(self, t: datetime, **kw: object) -> Event:
        """An event at China Standard Time, stamped with its event hash."""
        e = Event(event_time=t, event_time_zone_offset="+08:00", **kw)  # type: ignore[arg-type]
        return self.stamp(e)

    # -- materials -----------------------------------------------------------

    def _material_lots_for_block(self, block: int, t: datetime, emit: bool) -> Iterator[Event]:
        """One lot of each material per block of lots, shipped to both factories."""
        for dp in (p for p in self.chain.products if p.kind == "material"):
            supplier = next(s for s in self.chain.suppliers if s.gln == dp.product.producer_gln)
            t0 = t - timedelta(days=6)
            gtin = dp.product.gtin
            lot = DemoLot(dp, f"M{t0:%y%m%d}{block % 10000:04d}", 2000, t0)
            self._material_lots[gtin] = lot
            if emit:
                yield from self._material_lot_events(lot, supplier, t0)

    def _material_lot_events(
        self, lot: DemoLot, supplier: Location, t0: datetime
    ) -> Iterator[Event]:
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
        yield self.event(
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
            ship = (self.doc_id("desadv", supplier),)
            yield self.event(
                t0 + timedelta(days=1, hours=n),
                event_type=EventType.OBJECT,
                action=Action.OBSERVE,
                quantity_list=half,
                biz_step="shipping",
                disposition="in_transit",
                read_point=supplier.sgln,
                biz_transactions=ship,
                sources=party_and_place(supplier),
                destinations=party_and_place(factory),
            )
            yield self.event(
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
        lot = DemoLot(dp, f"L{t:%y%m%d}{index % 10000:04d}", cases * per_case, t)
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
        yield self.event(
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
            yield self.event(
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
        yield self.event(
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
            yield self.event(
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
        yield from pack_and_ship(self, lot, items, cases, factory, t + timedelta(hours=6))

    def first_events(self, n: int) -> list[Event]:
        """The first `n` events, lot after lot: a realistic stream for benchmarks and tests."""
        out: list[Event] = []
        index = 0
        while len(out) < n:
            out.extend(self.lot_events(index))
            index += 1
        return out[:n]

    def lots_events(self, start: int, stop: int) -> list[tuple[list[Event], list[Lot]]]:
        """Per lot, its events and master data, for lots start..stop-1 (a unit of work)."""
        out = []
        for i in range(start, stop):
            self.lots = []
            out.append((list(self.lot_events(i)), self.lots))
        return out
