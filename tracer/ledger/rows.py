"""An event as the rows the ledger stores, and the hash chain over them.

Each event row's digest covers every stored column, so `verify` finds a
single changed byte anywhere in a row; the chain links each digest to the
previous row's chain value, so a removed or inserted row breaks it too.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tracer.ledger.codec import event_to_epcis
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


def build_rows(event: Event, seq: int, record_time: datetime | RecordTime) -> EventRows:
    if not event.event_id:
        raise ValueError("an event needs its eventID (canonical hash) before it is appended")
    rt = record_time if isinstance(record_time, RecordTime) else RecordTime.of(record_time)
    doc = event_to_epcis(event)
    doc["recordTime"] = doc.get("recordTime") or rt.epcis
    row: EventRow = (
        seq,
        event.event_id,
        1 if event.error_declaration is not None else 0,
        event.event_type.value,
        event.action.value if event.action else None,
        utc_text(event.event_time),
        event.event_time_zone_offset,
        rt.utc,
        event.biz_step,
        event.disposition,
        event.read_point,
        event.biz_location,
        event.operator,
        event.station,
        event.device,
        json.dumps(doc, ensure_ascii=False, separators=(",", ":")),
    )
    identifiers = [(seq, i.role.value, i.id, i.quantity, i.uom) for i in event.identifiers()]
    links = [(seq, "bizTransaction", b.type, b.id) for b in event.biz_transactions]
    links += [(seq, "source", s.type, s.id) for s in event.sources]
    links += [(seq, "destination", d.type, d.id) for d in event.destinations]
    item_lots: list[tuple[str, str, int]] = []
    if event.event_type is EventType.OBJECT and event.error_declaration is None:
        lot_class = lot_class_of(event)
        if lot_class:
            item_lots = [(epc, lot_class, seq) for epc in event.epc_list]
    return EventRows(row, identifiers, links, item_lots)
