"""An event as the rows the ledger stores, and the hash chain over them.

Each event row's digest covers every stored column, so `verify` finds a
single changed byte anywhere in a row; the chain links each digest to the
previous row's chain value, so a removed or inserted row breaks it too.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timezone
from typing import Any, NamedTuple

from tracer.errors import LedgerError
from tracer.event_members import FOREIGN_FIELDS
from tracer.ledger.docjson import doc_parts
from tracer.model import Event, EventType, format_time

GENESIS = b"\x00" * 32

EVENT_COLUMNS = (
    "seq",
    "event_id",
    "declares_error",
    "event_type",
    "action",
    "event_time",
    "tz_offset",
    "record_time",
    "biz_step",
    "disposition",
    "read_point",
    "biz_location",
    "operator",
    "station",
    "device",
    "doc",
)

EventRow = tuple[Any, ...]


def utc_text(t: datetime) -> str:
    """UTC text that sorts as time does: the ledger's index key for eventTime."""
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    return t.astimezone(UTC).isoformat(timespec="milliseconds")[:23] + "Z"


def row_digest(row: EventRow) -> bytes:
    """sha256 over every column; None and "" differ (\x1f stands for NULL)."""
    text = "\x1e".join("\x1f" if v is None else str(v) for v in row)
    return hashlib.sha256(text.encode("utf-8")).digest()


def next_chain(previous: bytes, digest: bytes) -> bytes:
    return hashlib.sha256(previous + digest).digest()


@dataclass(frozen=True, slots=True)
class EventRows:
    """Everything one event adds to the ledger's tables."""

    event: EventRow
    identifiers: list[tuple[int, str, str, float | None, str | None]]
    links: list[tuple[int, str, str | None, str]]
    item_lots: list[tuple[str, str, int]]


def lot_class_of(event: Event) -> str | None:
    """`urn:epc:class:lgtin:CP.IR.LOT` for the items a commissioning event names."""
    lot = event.lot_number
    if lot is None:
        return None
    for epc in event.epc_list:
        if epc.startswith("urn:epc:id:sgtin:"):
            cp, ir, _serial = epc[len("urn:epc:id:sgtin:") :].split(".", 2)
            return f"urn:epc:class:lgtin:{cp}.{ir}.{lot}"
    return None


@dataclass(frozen=True, slots=True)
class RecordTime:
    """The batch's record time, formatted once for every row of the batch."""

    epcis: str
    utc: str

    @classmethod
    def of(cls, t: datetime) -> RecordTime:
        return cls(format_time(t), utc_text(t))


class PreparedEvent(NamedTuple):
    """An event's rows before the writer numbers and chains them.

    Everything but the seq and the batch's record time, so that any process
    can build it (the demo's workers do): `Ledger.append` prepares every
    event this way too, and `materialise` / the writer add the two values.
    """

    key: tuple[str, int]  # (event_id, declares_error): the ledger's unique key
    head: tuple[Any, ...]  # columns event_id .. tz_offset
    tail: tuple[Any, ...]  # columns biz_step .. device
    digest_head: str  # `row_digest` text of `head`
    digest_tail: str  # `row_digest` text of `tail`
    doc: str  # the stored JSON, or its part before the record time
    doc_after: str | None  # the part after the record time; None: `doc` is whole
    identifiers: tuple[tuple[str, str, float | None, str | None], ...]  # role, id, qty, uom
    links: tuple[tuple[str, str | None, str], ...]  # kind, type, id
    item_lots: tuple[tuple[str, str], ...]  # epc, lot_class


_UTC_CACHE: dict[datetime, str] = {}


def _utc_of(t: datetime) -> str:
    """`utc_text`, memoised for fixed offsets (equal instants, equal text)."""
    tz = t.tzinfo
    if type(t) is not datetime or (tz is not None and type(tz) is not timezone):
        return utc_text(t)
    out = _UTC_CACHE.get(t)
    if out is None:
        out = utc_text(t)
        if len(_UTC_CACHE) > 100_000:
            _UTC_CACHE.clear()
        _UTC_CACHE[t] = out
    return out


def _digest_text(values: tuple[Any, ...]) -> str:
    return "\x1e".join(["\x1f" if v is None else str(v) for v in values])


def identifier_rows(event: Event) -> list[tuple[str, str, float | None, str | None]]:
    """`Event.identifiers()` as (role, id, quantity, uom) rows, without the objects."""
    out: list[tuple[str, str, float | None, str | None]] = []
    if event.parent_id:
        out.append(("parent", event.parent_id, None, None))
    epc_role = "child" if event.event_type is EventType.AGGREGATION else "epc"
    for role, epcs, quantities in (
        (epc_role, event.epc_list, event.quantity_list),
        ("child", event.child_epcs, event.child_quantity_list),
        ("input", event.input_epc_list, event.input_quantity_list),
        ("output", event.output_epc_list, event.output_quantity_list),
    ):
        if epcs:
            out += [(role, epc, 1.0, None) for epc in epcs]
        if quantities:
            out += [(role, q.epc_class, q.quantity, q.uom) for q in quantities]
    return out


def prepare_event(event: Event) -> PreparedEvent:
    """Every row the event adds, but for its seq and the batch's record time."""
    if not event.event_id:
        raise ValueError("an event needs its eventID (canonical hash) before it is appended")
    for name in FOREIGN_FIELDS[event.event_type]:
        if getattr(event, name):
            raise LedgerError(
                f"an {event.event_type.value} cannot carry {name} (event {event.event_id}): "
                "the EPCIS 2.0 schema has no such member for this event type"
            )
    declares = 1 if event.error_declaration is not None else 0
    head = (
        event.event_id,
        declares,
        event.event_type._value_,  # = .value, without the enum property's call
        event.action._value_ if event.action else None,
        _utc_of(event.event_time),
        event.event_time_zone_offset,
    )
    tail = (
        event.biz_step,
        event.disposition,
        event.read_point,
        event.biz_location,
        event.operator,
        event.station,
        event.device,
    )
    doc, doc_after = doc_parts(event)
    links = [("bizTransaction", b.type, b.id) for b in event.biz_transactions]
    if event.sources:
        links += [("source", s.type, s.id) for s in event.sources]
    if event.destinations:
        links += [("destination", d.type, d.id) for d in event.destinations]
    item_lots: tuple[tuple[str, str], ...] = ()
    if event.event_type is EventType.OBJECT and declares == 0:
        lot_class = lot_class_of(event)
        if lot_class:
            item_lots = tuple((epc, lot_class) for epc in event.epc_list)
    return _make_prepared(
        (event.event_id, declares),
        head,
        tail,
        _digest_text(head),
        _digest_text(tail),
        doc,
        doc_after,
        tuple(identifier_rows(event)),
        tuple(links),
        item_lots,
    )


def _make_prepared(*fields: Any) -> PreparedEvent:
    return tuple.__new__(PreparedEvent, fields)


def prepared_doc(p: PreparedEvent, record_time: RecordTime) -> str:
    return p.doc if p.doc_after is None else p.doc + record_time.epcis + p.doc_after


def prepared_digest(p: PreparedEvent, seq: int, record_time: RecordTime, doc: str) -> bytes:
    """`row_digest` of the materialised row, from the prepared texts."""
    text = f"{seq}\x1e{p.digest_head}\x1e{record_time.utc}\x1e{p.digest_tail}\x1e{doc}"
    return hashlib.sha256(text.encode("utf-8")).digest()


def materialise(p: PreparedEvent, seq: int, record_time: RecordTime) -> EventRows:
    doc = prepared_doc(p, record_time)
    return EventRows(
        (seq, *p.head, record_time.utc, *p.tail, doc),
        [(seq, *i) for i in p.identifiers],
        [(seq, *k) for k in p.links],
        [(epc, lot_class, seq) for epc, lot_class in p.item_lots],
    )


def build_rows(event: Event, seq: int, record_time: datetime | RecordTime) -> EventRows:
    rt = record_time if isinstance(record_time, RecordTime) else RecordTime.of(record_time)
    return materialise(prepare_event(event), seq, rt)
