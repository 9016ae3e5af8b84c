"""Plain dataclasses shared by every layer.

An `Event` is EPCIS 2.0 shaped so that it survives an EPCIS round trip: the
fields trace and the UI query are typed, everything else the standard (or a
partner's extension) allows stays in `extra`, verbatim, so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any


class EventType(StrEnum):
    OBJECT = "ObjectEvent"
    AGGREGATION = "AggregationEvent"
    TRANSFORMATION = "TransformationEvent"
    TRANSACTION = "TransactionEvent"
    ASSOCIATION = "AssociationEvent"


class Action(StrEnum):
    ADD = "ADD"
    OBSERVE = "OBSERVE"
    DELETE = "DELETE"


class Role(StrEnum):
    """Which list of an event an identifier came from."""

    EPC = "epc"
    PARENT = "parent"
    CHILD = "child"
    INPUT = "input"
    OUTPUT = "output"


class LocationKind(StrEnum):
    SUPPLIER = "supplier"
    FACTORY = "factory"
    WAREHOUSE = "warehouse"
    DISTRIBUTOR = "distributor"
    RETAILER = "retailer"
    ECOMMERCE = "e-commerce"


# tracer's own extension namespace: who captured an event, and where.
TRACER_NS = "https://tracer.example.org/epcis/"
TRACER_PREFIX = "tracer"


@dataclass(frozen=True, slots=True)
class QuantityElement:
    """A class-level identifier (e.g. an LGTIN) with an amount."""

    epc_class: str
    quantity: float | None = None
    uom: str | None = None

    def to_epcis(self) -> dict[str, Any]:
        out: dict[str, Any] = {"epcClass": self.epc_class}
        if self.quantity is not None:
            q = self.quantity
            out["quantity"] = int(q) if float(q).is_integer() else q
        if self.uom:
            out["uom"] = self.uom
        return out

    @classmethod
    def from_epcis(cls, d: Mapping[str, Any]) -> QuantityElement:
        q = d.get("quantity")
        return cls(str(d["epcClass"]), None if q is None else float(q), d.get("uom"))


@dataclass(frozen=True, slots=True)
class Link:
    """A typed reference: a bizTransaction, a source or a destination."""

    type: str | None
    id: str


@dataclass(frozen=True, slots=True)
class ErrorDeclaration:
    declaration_time: datetime
    reason: str | None = None
    corrective_event_ids: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Identifier:
    """One identifier of one event, as the ledger indexes it."""

    role: Role
    id: str
    quantity: float | None = None
    uom: str | None = None


@dataclass(frozen=True)
class Event:
    event_type: EventType
    event_time: datetime
    event_time_zone_offset: str = "+08:00"
    action: Action | None = Action.OBSERVE
    epc_list: tuple[str, ...] = ()
    quantity_list: tuple[QuantityElement, ...] = ()
    parent_id: str | None = None
    child_epcs: tuple[str, ...] = ()
    child_quantity_list: tuple[QuantityElement, ...] = ()
    input_epc_list: tuple[str, ...] = ()
    input_quantity_list: tuple[QuantityElement, ...] = ()
    output_epc_list: tuple[str, ...] = ()
    output_quantity_list: tuple[QuantityElement, ...] = ()
    transformation_id: str | None = None
    biz_step: str | None = None
    disposition: str | None = None
    read_point: str | None = None
    biz_location: str | None = None
    biz_transactions: tuple[Link, ...] = ()
    sources: tuple[Link, ...] = ()
    destinations: tuple[Link, ...] = ()
    ilmd: Mapping[str, Any] | None = None
    error_declaration: ErrorDeclaration | None = None
    record_time: datetime | None = None
    operator: str | None = None
    station: str | None = None
    device: str | None = None
    event_id: str | None = None
    certification_info: Any = None
    # every other member of the EPCIS event, verbatim (sensorElementList,
    # persistentDisposition, user extensions with their prefixes, ...)
    extra: Mapping[str, Any] = field(default_factory=dict)

    def with_id(self, event_id: str) -> Event:
        """The same event with `event_id` (as `dataclasses.replace`, ~10x cheaper).

        Every stamped event is copied once; re-running ``__init__`` over 31
        fields cost more than hashing it. A shallow copy of the field values
        is what `replace` makes too (no field has a `__post_init__` step).
        """
        new = object.__new__(type(self))
        state = new.__dict__
        state.update(self.__dict__)
        state["event_id"] = event_id
        return new

    def identifiers(self) -> Iterator[Identifier]:
        """Every identifier the event names, tagged with its role."""
        if self.parent_id:
            yield Identifier(Role.PARENT, self.parent_id)
        epc_role = Role.CHILD if self.event_type is EventType.AGGREGATION else Role.EPC
        groups: tuple[tuple[Role, tuple[str, ...], tuple[QuantityElement, ...]], ...] = (
            (epc_role, self.epc_list, self.quantity_list),
            (Role.CHILD, self.child_epcs, self.child_quantity_list),
            (Role.INPUT, self.input_epc_list, self.input_quantity_list),
            (Role.OUTPUT, self.output_epc_list, self.output_quantity_list),
        )
        for role, epcs, quantities in groups:
            for epc in epcs:
                yield Identifier(role, epc, 1.0)
            for q in quantities:
                yield Identifier(role, q.epc_class, q.quantity, q.uom)

    @property
    def lot_number(self) -> str | None:
        """The lot named in the ILMD of a commissioning event, if any."""
        if not self.ilmd:
            return None
        for key in ("cbvmda:lotNumber", "lotNumber"):
            if key in self.ilmd:
                return str(self.ilmd[key])
        return None


def format_time(t: datetime) -> str:
    """EPCIS date-time: ISO 8601 with milliseconds and an explicit offset."""
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    s = t.isoformat(timespec="milliseconds")
    return s.replace("+00:00", "Z")


def parse_time(s: str) -> datetime:
    t = datetime.fromisoformat(s.replace("Z", "+00:00"))
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    return t


def offset_of(t: datetime) -> str:
    off = t.utcoffset() or timedelta(0)
    minutes = int(off.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True, slots=True)
class Product:
    gtin: str
    name: str
    name_zh: str | None = None
    spec: str | None = None
    standard: str | None = None  # the enterprise / national standard it declares
    brand: str | None = None
    producer_gln: str | None = None
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class Lot:
    gtin: str
    lot: str
    production_date: str | None = None  # ISO date
    expiry_date: str | None = None
    quantity: float | None = None
    location_gln: str | None = None


@dataclass(frozen=True, slots=True)
class Location:
    gln: str  # 13-digit GLN; `id` is the SGLN URI used in events
    name: str
    kind: LocationKind
    name_zh: str | None = None
    address: str | None = None
    region: str | None = None  # province
    city: str | None = None
    contact: str | None = None
    phone: str | None = None
    email: str | None = None
    party_gln: str | None = None

    @property
    def sgln(self) -> str:
        return sgln_uri(self.gln)


@dataclass(frozen=True, slots=True)
class Party:
    gln: str
    name: str
    name_zh: str | None = None
    role: str | None = None  # manufacturer, supplier, distributor, retailer


@dataclass(frozen=True, slots=True)
class Station:
    name: str
    location_gln: str | None = None
    biz_step: str | None = None
    disposition: str | None = None
    destination_gln: str | None = None
    device: str | None = None


@dataclass(frozen=True, slots=True)
class Operator:
    name: str
    pin_hash: str | None = None
    role: str | None = None


def pgln_uri(gln: str, company_prefix_len: int = 7) -> str:
    """Party GLN → `urn:epc:id:pgln:CompanyPrefix.PartyRef` (sourceList owning_party)."""
    body = gln[:12]
    return f"urn:epc:id:pgln:{body[:company_prefix_len]}.{body[company_prefix_len:]}"


def sgln_uri(gln: str, extension: str = "0", company_prefix_len: int = 7) -> str:
    """GLN → `urn:epc:id:sgln:CompanyPrefix.LocationRef.Ext`."""
    body = gln[:12]
    return f"urn:epc:id:sgln:{body[:company_prefix_len]}.{body[company_prefix_len:]}.{extension}"
