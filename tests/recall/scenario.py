"""A hand-built supply chain small enough to work out every answer by hand.

supplier S --M (1000 kg)--> factory F
F: T1  M 100 kg -> intermediate lot I (50)
   T2  I 50     -> product lot P (24 serialised items), Q (6 items, unrelated)
F: cases C1 (P 1-8), C2 (P 9-16), C3 (P 17-24), C5 (Q 1-6), C6 (12 units of
   lot-level lot K); pallet PL <- C1 C2 C3 C5
F -> DC D (pallet PL), D unpacks PL
D -> R1: C1 + C5 (one shipment);  R1 sells P items 1, 2, 3
D -> R2: C2;  R2 returns C2 to D (shipping, disposition returned), D receives it
D -> R4: C3 by mistake -> errorDeclaration, corrective D -> R3: C3
F -> R1: C6 (lot K, 12 units, lot-level); R1 sells 5 of K (lot-level)
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tracer.demo.build import canonical_stamp
from tracer.ledger import Ledger, masterdata
from tracer.model import (
    Action,
    ErrorDeclaration,
    Event,
    EventType,
    Link,
    Location,
    LocationKind,
    Lot,
    Product,
    QuantityElement,
)

CST = timezone(timedelta(hours=8))
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=CST)
stamp = canonical_stamp()


def loc(n: int, name: str, kind: LocationKind, region: str = "Zhejiang") -> Location:
    body = f"6990000{n:05d}"
    from tracer.gs1_check import check_digit

    return Location(
        gln=body + check_digit(body),
        name=name,
        kind=kind,
        name_zh=f"{name}（测试）",
        region=region,
        city="Hangzhou",
        contact="王伟",
        phone=f"0571-8800{n:04d}",
        email=f"qa{n}@example.cn",
        address=f"杭州市人民路{n}号",
    )


S = loc(1, "Supplier S", LocationKind.SUPPLIER)
F = loc(2, "Factory F", LocationKind.FACTORY)
D = loc(3, "DC D", LocationKind.WAREHOUSE, "Shanghai")
R1 = loc(11, "Shop R1", LocationKind.RETAILER)
R2 = loc(12, "Shop R2", LocationKind.RETAILER, "Jiangsu")
R3 = loc(13, "Shop R3", LocationKind.RETAILER, "Jiangsu")
R4 = loc(14, "Shop R4", LocationKind.ECOMMERCE, "Guangdong")


def gtin14(n: int) -> str:
    from tracer.gs1_check import check_digit

    body = f"069900000000{n}"
    return body + check_digit(body)


GTIN_M, GTIN_I, GTIN_P, GTIN_Q, GTIN_K = (gtin14(n) for n in (1, 2, 3, 4, 5))


def lgtin(gtin: str, lot: str) -> str:
    return f"urn:epc:class:lgtin:6990000.{gtin[0]}{gtin[8:13]}.{lot}"


def sgtin(gtin: str, lot: str, n: int) -> str:
    return f"urn:epc:id:sgtin:6990000.{gtin[0]}{gtin[8:13]}.{lot}{n:03d}"


def sscc(n: int) -> str:
    return f"urn:epc:id:sscc:6990000.0{n:09d}"


M = lgtin(GTIN_M, "M1")
I = lgtin(GTIN_I, "I1")  # noqa: E741
P = lgtin(GTIN_P, "P1")
Q = lgtin(GTIN_Q, "Q1")
K = lgtin(GTIN_K, "K1")
P_ITEMS = [sgtin(GTIN_P, "P1", n) for n in range(1, 25)]
Q_ITEMS = [sgtin(GTIN_Q, "Q1", n) for n in range(1, 7)]
C1, C2, C3, C5, C6, PL = (sscc(n) for n in (1, 2, 3, 5, 6, 9))


@dataclass
class Chain:
    """Events in time order; helpers keep the test readable."""

    t: datetime = T0
    events: list[Event] = field(default_factory=list)

    def tick(self, hours: float = 1) -> datetime:
        self.t += timedelta(hours=hours)
        return self.t

    def add(self, **kw: object) -> Event:
        e = stamp(Event(event_time=self.tick(), **kw))  # type: ignore[arg-type]
        self.events.append(e)
        return e

    def commission_class(self, where: Location, cls: str, qty: float, lot: str) -> None:
        self.add(
            event_type=EventType.OBJECT,
            action=Action.ADD,
            quantity_list=(QuantityElement(cls, qty),),
            biz_step="commissioning",
            biz_location=where.sgln,
            read_point=where.sgln,
            ilmd={"cbvmda:lotNumber": lot},
        )

    def commission_items(self, where: Location, items: list[str], lot: str) -> None:
        self.add(
            event_type=EventType.OBJECT,
            action=Action.ADD,
            epc_list=tuple(items),
            biz_step="commissioning",
            biz_location=where.sgln,
            read_point=where.sgln,
            ilmd={"cbvmda:lotNumber": lot},
        )

    def transform(
        self, where: Location, inputs: list[tuple[str, float]], outputs: list[tuple[str, float]]
    ) -> None:
        self.add(
            event_type=EventType.TRANSFORMATION,
            action=None,
            input_quantity_list=tuple(QuantityElement(c, q) for c, q in inputs),
            output_quantity_list=tuple(QuantityElement(c, q) for c, q in outputs),
            biz_step="commissioning",
            biz_location=where.sgln,
        )

    def pack(
        self,
        where: Location,
        parent: str,
        children: list[str],
        quantities: tuple[QuantityElement, ...] = (),
        action: Action = Action.ADD,
    ) -> None:
        self.add(
            event_type=EventType.AGGREGATION,
            action=action,
            parent_id=parent,
            child_epcs=tuple(children),
            child_quantity_list=quantities,
            biz_step="packing" if action is Action.ADD else "unpacking",
            biz_location=where.sgln,
        )

    def ship_event(
        self,
        src: Location,
        dst: Location,
        epcs: list[str],
        quantities: tuple[QuantityElement, ...] = (),
        disposition: str = "in_transit",
    ) -> Event:
        return stamp(
            Event(
                event_type=EventType.OBJECT,
                event_time=self.tick(),
                action=Action.OBSERVE,
                epc_list=tuple(epcs),
                quantity_list=quantities,
                biz_step="shipping",
                disposition=disposition,
                read_point=src.sgln,
                sources=(Link("location", src.sgln),),
                destinations=(Link("location", dst.sgln),),
            )
        )

    def ship(self, src: Location, dst: Location, epcs: list[str], **kw: object) -> Event:
        e = self.ship_event(src, dst, epcs, **kw)  # type: ignore[arg-type]
        self.events.append(e)
        return e

    def receive(
        self,
        where: Location,
        epcs: list[str],
        quantities: tuple[QuantityElement, ...] = (),
        disposition: str = "in_progress",
    ) -> None:
        self.add(
            event_type=EventType.OBJECT,
            action=Action.OBSERVE,
            epc_list=tuple(epcs),
            quantity_list=quantities,
            biz_step="receiving",
            disposition=disposition,
            biz_location=where.sgln,
            read_point=where.sgln,
        )

    def sell(
        self, where: Location, epcs: list[str], quantities: tuple[QuantityElement, ...] = ()
    ) -> None:
        self.add(
            event_type=EventType.OBJECT,
            action=Action.OBSERVE,
            epc_list=tuple(epcs),
            quantity_list=quantities,
            biz_step="retail_selling",
            disposition="retail_sold",
            biz_location=where.sgln,
        )


def scenario_events() -> list[Event]:
    c = Chain()
    c.commission_class(S, M, 1000, "M1")
    c.ship(S, F, [], quantities=(QuantityElement(M, 1000, "KGM"),))
    c.receive(F, [], quantities=(QuantityElement(M, 1000, "KGM"),))
    c.transform(F, [(M, 100)], [(I, 50)])
    c.transform(F, [(I, 50)], [(P, 24), (Q, 6)])
    c.commission_items(F, P_ITEMS, "P1")
    c.commission_items(F, Q_ITEMS, "Q1")
    c.commission_class(F, K, 12, "K1")
    c.pack(F, C1, P_ITEMS[0:8])
    c.pack(F, C2, P_ITEMS[8:16])
    c.pack(F, C3, P_ITEMS[16:24])
    c.pack(F, C5, Q_ITEMS)
    c.pack(F, C6, [], (QuantityElement(K, 12),))
    c.pack(F, PL, [C1, C2, C3, C5])
    c.ship(F, D, [PL])
    c.receive(D, [PL])
    c.pack(D, PL, [C1, C2, C3, C5], action=Action.DELETE)
    c.ship(D, R1, [C1, C5])
    c.receive(R1, [C1, C5])
    c.sell(R1, P_ITEMS[0:3])
    c.ship(D, R2, [C2])
    c.receive(R2, [C2])
    c.ship(R2, D, [C2], disposition="returned")
    c.receive(D, [C2], disposition="returned")
    wrong = c.ship(D, R4, [C3])
    right = c.ship_event(D, R3, [C3])
    c.events.append(right)
    c.events.append(
        stamp(
            dataclasses.replace(
                wrong,
                event_id=None,
                error_declaration=ErrorDeclaration(
                    declaration_time=c.tick(),
                    reason="incorrect_data",
                    corrective_event_ids=(str(right.event_id),),
                ),
            )
        )
    )
    c.receive(R3, [C3])
    c.ship(F, R1, [C6])
    c.receive(R1, [C6])
    c.sell(R1, [], (QuantityElement(K, 5),))
    return c.events


def build_scenario(path: Path) -> Path:
    with Ledger.open(path) as ledger:
        masterdata.upsert(ledger, [S, F, D, R1, R2, R3, R4])
        masterdata.upsert(
            ledger,
            [
                Product(GTIN_M[1:], "Resin M", "树脂M", unit="kg"),
                Product(GTIN_I[1:], "Compound I", "混合料I", unit="kg"),
                Product(GTIN_P[1:], "Toy P", "玩具P", unit="piece"),
                Product(GTIN_Q[1:], "Toy Q", "玩具Q", unit="piece"),
                Product(GTIN_K[1:], "Kettle K", "水壶K", unit="box"),
            ],
        )
        masterdata.upsert(ledger, [Lot(GTIN_P, "P1", "2026-03-02", "2028-03-02", 24, F.gln)])
        ledger.append(scenario_events())
    return path
