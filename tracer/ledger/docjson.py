"""The stored EPCIS JSON of an event, written as text straight from the `Event`.

The ledger keeps each event as ``json.dumps(event_to_epcis(e))`` (compact,
UTF-8) with the batch's recordTime added. Building the dict and encoding it
was a third of an append's Python time; here the same bytes are written from
the typed fields for every event tracer itself makes. Events with verbatim
members that override a standard one, or values of unexpected types, go the
dict way (`tracer.ledger.codec.event_to_epcis` + `json.dumps`), which stays
the reference: tests/ledger/test_prepared.py compares both byte for byte.

The record time is only known when the batch is written, so the text comes
in two parts around the place its value goes: ``before + time + after``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timezone
from json.encoder import encode_basestring as _s
from typing import Any

from tracer.event_members import LINK_LISTS, STORED_LISTS, MemberKind
from tracer.ledger.codec import _KNOWN, event_to_epcis
from tracer.model import Event, EventType, QuantityElement, format_time

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_MARK = "\x00tracer-record-time\x00"
_MARK_JSON = _s(_MARK)
_LIMIT = 100_000


class _Caches:
    def __init__(self) -> None:
        self.times: dict[tuple[datetime, Any], str] = {}
        self.quantities: dict[float, str] = {}


_C = _Caches()


def dumps(value: Any) -> str:
    """`json.dumps(value, ensure_ascii=False, separators=(",", ":"))`, encoder reused."""
    return _ENCODER.encode(value)


def time_text(t: datetime) -> str:
    """`format_time(t)` (ms precision, own offset, 'Z' for UTC), memoised for plain zones."""
    tz = t.tzinfo
    if type(t) is not datetime or (tz is not None and type(tz) is not timezone):
        return format_time(t)  # zoneinfo: equal datetimes may print different offsets
    key = (t, tz)
    times = _C.times
    out = times.get(key)
    if out is None:
        out = format_time(t)
        if len(times) > _LIMIT:
            times.clear()
        times[key] = out
    return out


def _object(value: Any) -> str:
    """`dumps` of a dict; flat ones of strings and ints (ILMD, tracer:* members) inline."""
    if type(value) is dict:
        parts = []
        for k, v in value.items():
            if type(k) is not str:
                return dumps(value)
            tv = type(v)
            if tv is str:
                parts.append(_s(k) + ":" + _s(v))
            elif tv is int:
                parts.append(_s(k) + ":" + int.__repr__(v))
            else:
                return dumps(value)
        return "{" + ",".join(parts) + "}"
    return dumps(value)


def _list(values: tuple[str, ...]) -> str:
    if not values:
        return "[]"
    for v in values:
        if type(v) is not str:
            raise TypeError("not a string")
    return "[" + ",".join(map(_s, values)) + "]"


def _quantity(q: Any) -> str:
    cache = _C.quantities
    out = cache.get(q)
    if out is None:
        out = dumps(int(q) if float(q).is_integer() else q)
        if len(cache) > _LIMIT:
            cache.clear()
        cache[q] = out
    return out


def _quantities(items: tuple[QuantityElement, ...]) -> str:
    parts = []
    for qe in items:
        if type(qe.epc_class) is not str:
            raise TypeError("not a string")
        s = '{"epcClass":' + _s(qe.epc_class)
        if qe.quantity is not None:
            s += ',"quantity":' + _quantity(qe.quantity)
        if qe.uom:
            s += ',"uom":' + _s(qe.uom)
        parts.append(s + "}")
    return "[" + ",".join(parts) + "]"


def _links(items: tuple[Any, ...], id_key: str) -> str:
    parts = []
    for link in items:
        if link.type:
            parts.append('{"type":' + _s(link.type) + "," + id_key + _s(link.id) + "}")
        else:
            parts.append("{" + id_key + _s(link.id) + "}")
    return "[" + ",".join(parts) + "]"


def _text(value: Any) -> str:
    if type(value) is not str:
        raise TypeError("not a string")
    return _s(value)


_WRITE: dict[MemberKind, Callable[[Any], str]] = {
    "epcs": _list,
    "quantities": _quantities,
    "text": _text,
}
# per event type, its list members as (',"name":', field, fallback, required, writer)
_LISTS = {
    t: tuple((f',"{m.name}":', m.field, m.fallback, m.required, _WRITE[m.kind]) for m in members)
    for t, members in STORED_LISTS.items()
}
_LINKS = tuple((f',"{link.name}":', link.field, f'"{link.item}":') for link in LINK_LISTS)


def _opt(out: list[str], key: str, value: Any) -> None:
    if value:
        if type(value) is not str:
            raise TypeError("not a string")
        out.append(key + _s(value))


def _fast(e: Event, record_time: bool) -> tuple[str, str | None] | None:
    extra = e.extra
    if extra and not _KNOWN.isdisjoint(extra):
        return None  # a verbatim member replaces a typed one in place: the dict way
    t = e.event_type
    if type(t) is not EventType or type(e.event_id) is not str:
        return None
    out = ['{"type":"', t.value, '","eventID":', _s(e.event_id), ',"eventTime":"']
    out.append(time_text(e.event_time))
    out.append('"')
    if e.record_time is not None:
        out.append(',"recordTime":"' + time_text(e.record_time) + '"')
    out.append(',"eventTimeZoneOffset":' + _s(e.event_time_zone_offset))
    ed = e.error_declaration
    if ed is not None:
        if ed.extra:
            return None
        s = ',"errorDeclaration":{"declarationTime":"' + time_text(ed.declaration_time) + '"'
        if ed.reason:
            s += ',"reason":' + _s(ed.reason)
        if ed.corrective_event_ids:
            s += ',"correctiveEventIDs":' + _list(tuple(ed.corrective_event_ids))
        out.append(s + "}")
    if e.parent_id is not None:
        out.append(',"parentID":' + _s(e.parent_id))
    for key, field, fallback, required, write in _LISTS[t]:
        value = getattr(e, field)
        if not value and fallback:
            value = getattr(e, fallback)
        if value or required:
            out.append(key + write(value))
    if e.action is not None:
        out.append(',"action":"' + e.action.value + '"')
    _opt(out, ',"bizStep":', e.biz_step)
    _opt(out, ',"disposition":', e.disposition)
    if e.read_point:
        out.append(',"readPoint":{"id":' + _s(e.read_point) + "}")
    if e.biz_location:
        out.append(',"bizLocation":{"id":' + _s(e.biz_location) + "}")
    for key, field, item in _LINKS:
        links = getattr(e, field)
        if links:
            out.append(key + _links(links, item))
    if e.ilmd is not None:
        if not isinstance(e.ilmd, dict):
            return None
        out.append(',"ilmd":' + _object(e.ilmd))
    if e.certification_info is not None:
        out.append(',"certificationInfo":' + dumps(e.certification_info))
    _opt(out, ',"tracer:operator":', e.operator)
    _opt(out, ',"tracer:station":', e.station)
    _opt(out, ',"tracer:device":', e.device)
    for k, v in extra.items():
        out.append("," + _s(k) + ":" + _object(v))
    if e.record_time is not None or not record_time:
        out.append("}")
        return "".join(out), None
    out.append(',"recordTime":"')
    return "".join(out), '"}'


def _general(e: Event, record_time: bool) -> tuple[str, str | None]:
    doc = event_to_epcis(e)
    if not record_time or doc.get("recordTime"):
        return dumps(doc), None
    doc["recordTime"] = _MARK
    before, after = dumps(doc).split(_MARK_JSON)
    return before + '"', '"' + after


def doc_parts(e: Event, *, record_time: bool = True) -> tuple[str, str | None]:
    """The event's stored JSON: (text, None), or (before, after) the batch's recordTime.

    With `record_time`, an event without its own recordTime gets the batch's,
    as `json.dumps({**event_to_epcis(e), "recordTime": <time>})` places it.
    """
    try:
        fast = _fast(e, record_time)
    except (TypeError, AttributeError, ValueError, OverflowError):
        fast = None
    return fast if fast is not None else _general(e, record_time)
