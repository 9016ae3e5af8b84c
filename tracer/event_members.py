"""Which EPCIS 2.0 member each typed `Event` field is, per event type.

The EPCIS JSON codec (`tracer.epcis.codec`), the ledger's storage codec
(`tracer.ledger.codec`) and its text encoder (`tracer.ledger.docjson`) all
write and read the same members; this table is the one place that says which
ones an event type has, in what order, which field holds each and what kind
of value it is. Each codec keeps only its per-kind encoder.

Two writing rules exist on purpose. The ledger stores the members of the
event's own type (`STORED_LISTS`); an export keeps every list a hand-built
event carries, so nothing is lost on the way out (`EXPORTED_LISTS`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from tracer.model import TRACER_PREFIX, Event, EventType

MemberKind = Literal["epcs", "quantities", "text"]


@dataclass(frozen=True, slots=True)
class Member:
    """One list member (or transformationID) and the `Event` field that holds it."""

    name: str  # the EPCIS member, e.g. "childEPCs"
    field: str  # the `Event` attribute, e.g. "child_epcs"
    kind: MemberKind
    # the field read when `field` is empty: an aggregation built with an
    # epcList / quantityList (EPCIS 1.x habit) means its children
    fallback: str | None = None
    required: bool = False  # written even when empty (the schema requires epcList)


EPC_LIST = Member("epcList", "epc_list", "epcs")
EPC_LIST_REQUIRED = Member("epcList", "epc_list", "epcs", required=True)
QUANTITY_LIST = Member("quantityList", "quantity_list", "quantities")
CHILD_EPCS = Member("childEPCs", "child_epcs", "epcs")
CHILD_QUANTITY_LIST = Member("childQuantityList", "child_quantity_list", "quantities")
CHILDREN_OR_EPCS = Member("childEPCs", "child_epcs", "epcs", fallback="epc_list")
CHILDREN_OR_QUANTITIES = Member(
    "childQuantityList", "child_quantity_list", "quantities", fallback="quantity_list"
)
INPUT_EPC_LIST = Member("inputEPCList", "input_epc_list", "epcs")
INPUT_QUANTITY_LIST = Member("inputQuantityList", "input_quantity_list", "quantities")
OUTPUT_EPC_LIST = Member("outputEPCList", "output_epc_list", "epcs")
OUTPUT_QUANTITY_LIST = Member("outputQuantityList", "output_quantity_list", "quantities")
TRANSFORMATION_ID = Member("transformationID", "transformation_id", "text")

_TRANSFORMATION = (
    INPUT_EPC_LIST,
    INPUT_QUANTITY_LIST,
    OUTPUT_EPC_LIST,
    OUTPUT_QUANTITY_LIST,
    TRANSFORMATION_ID,
)
_OBJECT = (EPC_LIST_REQUIRED, QUANTITY_LIST)

# what the ledger stores: the members of the event's own type, in schema order
STORED_LISTS: dict[EventType, tuple[Member, ...]] = {
    EventType.OBJECT: _OBJECT,
    EventType.AGGREGATION: (CHILDREN_OR_EPCS, CHILDREN_OR_QUANTITIES),
    EventType.TRANSFORMATION: _TRANSFORMATION,
    EventType.TRANSACTION: _OBJECT,
    EventType.ASSOCIATION: (CHILD_EPCS, CHILD_QUANTITY_LIST),
}

# list fields an event type cannot hold: the ledger refuses an event carrying one,
# as it could not store it (and its eventID, hashed over it, would not verify)
_LIST_FIELDS = tuple(dict.fromkeys(m.field for members in STORED_LISTS.values() for m in members))
FOREIGN_FIELDS: dict[EventType, tuple[str, ...]] = {
    t: tuple(
        f
        for f in _LIST_FIELDS
        if f not in {m.field for m in members} | {m.fallback for m in members}
    )
    for t, members in STORED_LISTS.items()
}

# what an EPCIS export writes: the type's own members, then any other list the
# event carries (aggregating types take epcList/quantityList as their children)
_AGGREGATING = (CHILDREN_OR_EPCS, CHILDREN_OR_QUANTITIES, *_TRANSFORMATION)
EXPORTED_LISTS: dict[EventType, tuple[Member, ...]] = {
    EventType.OBJECT: (*_OBJECT, CHILD_EPCS, CHILD_QUANTITY_LIST, *_TRANSFORMATION),
    EventType.AGGREGATION: _AGGREGATING,
    EventType.TRANSFORMATION: (
        EPC_LIST,
        QUANTITY_LIST,
        CHILD_EPCS,
        CHILD_QUANTITY_LIST,
        *_TRANSFORMATION,
    ),
    EventType.TRANSACTION: (*_OBJECT, CHILD_EPCS, CHILD_QUANTITY_LIST, *_TRANSFORMATION),
    EventType.ASSOCIATION: _AGGREGATING,
}


def list_values(e: Event, members: tuple[Member, ...]) -> Iterator[tuple[Member, Any]]:
    """The members of `members` to write for `e`, each with its value.

    A member's fallback field stands in when its own is empty; an empty member
    is left out unless the schema requires it.
    """
    for m in members:
        value = getattr(e, m.field)
        if not value and m.fallback:
            value = getattr(e, m.fallback)
        if value or m.required:
            yield m, value


QUANTITY_LISTS = ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList")
QUANTITY_KEYS = frozenset({"epcClass", "quantity", "uom"})
POINTS = ("readPoint", "bizLocation")


@dataclass(frozen=True, slots=True)
class LinkList:
    """A list of typed links (bizTransactionList, sourceList, destinationList)."""

    name: str  # the EPCIS member, e.g. "sourceList"
    item: str  # each entry's id member, e.g. "source"
    vocabulary: str  # the CBV vocabulary of each entry's "type"
    field: str  # the `Event` attribute, e.g. "sources"


LINK_LISTS = (
    LinkList("bizTransactionList", "bizTransaction", "bizTransactionType", "biz_transactions"),
    LinkList("sourceList", "source", "sourceDestType", "sources"),
    LinkList("destinationList", "destination", "sourceDestType", "destinations"),
)

# tracer's own members (namespace TRACER_NS) → the `Event` field holding each
TRACER_MEMBERS = {f"{TRACER_PREFIX}:{name}": name for name in ("operator", "station", "device")}

# the standard members the typed fields hold; any other member stays in `Event.extra`
TYPED_MEMBERS = frozenset(
    {
        "type",
        "eventTime",
        "eventTimeZoneOffset",
        "recordTime",
        "eventID",
        "action",
        "parentID",
        *(m.name for members in EXPORTED_LISTS.values() for m in members),
        "bizStep",
        "disposition",
        *POINTS,
        *(link.name for link in LINK_LISTS),
        "ilmd",
        "errorDeclaration",
        "certificationInfo",
    }
)

# members whose typed field holds only part of what the standard allows (an
# extension on a readPoint, a link or a quantity element): the entry members
# the typed field can hold
TYPED_PARTS: dict[str, frozenset[str]] = {
    **{name: frozenset({"id"}) for name in POINTS},
    **{name: QUANTITY_KEYS for name in QUANTITY_LISTS},
    **{link.name: frozenset({"type", link.item}) for link in LINK_LISTS},
}
