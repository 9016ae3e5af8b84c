"""The event hash straight from a `tracer.model.Event`, for the shapes tracer writes.

`event_hash` canonicalises any EPCIS 2.0 JSON-LD event. Building that dict
for a typed `Event` and walking it generically cost ~100 µs an event, which
capped the demo generator, RFID portal bursts and bulk ingest. This module
writes the very same pre-hash string from the typed fields: EPC and quantity
lists, bizStep/disposition/readPoint/bizLocation, links, ILMD and ``tracer:*``
members, with canonical values memoised (`canonical_value`'s own memo) and event times
converted from the datetime directly.

Anything else (certificationInfo, sensor data, unknown extensions, an event
``@context``, verbatim standard members in ``extra``, odd time zones) gets
None, and `tracer.epcis.codec.hash_event` takes the general path.
tests/epcis/test_fast_hash.py proves the two agree.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

from tracer.epcis.event_hash import HASH_PREFIX, HASH_SUFFIX
from tracer.epcis.fast_keys import fast_digital_link
from tracer.epcis.hash_values import DEFAULT_NAMESPACES, canonical_value
from tracer.epcis.prehash import generic_member
from tracer.epcis.vocab import expansion_table
from tracer.event_members import LINK_LISTS
from tracer.model import TRACER_NS, Action, Event, EventType, Link, QuantityElement

_NS = DEFAULT_NAMESPACES
_MEMO = _NS.memo  # raw string -> canonical text, shared with the general path
_CBVMDA = "{" + _NS["cbvmda"] + "}"
_TRACER = "{" + TRACER_NS + "}"
_TYPED_TRACER = frozenset({"tracer:operator", "tracer:station", "tracer:device"})
_OBJECT = EventType.OBJECT
_AGGREGATING = (EventType.AGGREGATION, EventType.ASSOCIATION)
_ZERO = timedelta(0)
_SECOND = timedelta(seconds=1)
_BAD = timedelta(days=-999)  # marks a fixed zone the fast path leaves alone
_ERRORS = (TypeError, AttributeError, ValueError, OverflowError, KeyError)


class _Caches:
    """Bounded memo tables of canonical fragments (plain dicts, cleared when full)."""

    def __init__(self) -> None:
        self.times: dict[datetime, str] = {}
        self.zones: dict[timezone, timedelta] = {}
        self.quantities: dict[float, str] = {}
        self.fragments: dict[tuple[str, Any], str] = {}


_C = _Caches()
_TYPE_NAMES = {t: t.value for t in EventType}
_ACTIONS = {a: "action=" + canonical_value(a.value, _NS) for a in Action}
_LIMIT = 200_000
_MEMO_LIMIT = 250_000  # as `canonical_value` bounds the memo


def _canon(value: Any) -> str:
    """`canonical_value` of the general path, with its memo looked up inline for strings."""
    if type(value) is str:
        out = _MEMO.get(value)
        if out is not None:
            return out
        return _new_value(value)
    return canonical_value(value, _NS)


def canonical_text(value: str) -> str:
    """The canonical text of one string value in a pre-hash (an EPC URI's Digital Link)."""
    return _canon(value)


def _new_value(value: str) -> str:
    """A string not in the memo yet: plain EPC URIs converted without regexes."""
    out = fast_digital_link(value)
    if out is None:
        return canonical_value(value, _NS)
    if len(_MEMO) > _MEMO_LIMIT:
        _MEMO.clear()
    _MEMO[value] = out
    return out


def _event_time(t: datetime) -> str | None:
    """`canonical_time(format_time(t))` without the text round trip; None if unusual."""
    if type(t) is not datetime:
        return None
    tz = t.tzinfo
    if tz is None:
        off = _ZERO
    elif type(tz) is timezone:
        known = _C.zones.get(tz)
        if known is None:
            known = tz.utcoffset(None)
            if known.microseconds or known.seconds % 60:
                known = _BAD  # format_time would print seconds: general path
            _C.zones[tz] = known
        off = known
        if off is _BAD:
            return None
    else:
        o = t.utcoffset()
        if o is None or o.microseconds or o.seconds % 60:
            return None
        off = o
    times = _C.times
    out = times.get(t)
    if out is not None:
        return out
    micro = t.microsecond
    ms = micro // 1000
    if micro % 1000 and (micro // 100) % 10 >= 5:
        ms += 1  # the 4th decimal rounds half up
    u = t.replace(microsecond=0, tzinfo=None) - off
    if ms == 1000:
        u += _SECOND
        ms = 0
    out = (
        f"{u.year:04d}-{u.month:02d}-{u.day:02d}T{u.hour:02d}:{u.minute:02d}:{u.second:02d}."
        f"{ms:03d}Z"
    )
    if len(times) > _LIMIT:
        times.clear()
    times[t] = out
    return out


def _epcs(name: str, values: tuple[str, ...]) -> str:
    memo = _MEMO
    items = []
    for x in values:
        if type(x) is str:
            v = memo.get(x)
            if v is None:
                v = _new_value(x)
        else:
            v = canonical_value(x, _NS)
        if v:
            items.append(v)
    if not items:
        return ""
    items.sort()
    return name + "epc=" + "epc=".join(items)


def _quantity_text(q: Any) -> str:
    cache = _C.quantities
    out = cache.get(q)
    if out is None:
        out = canonical_value(int(q) if float(q).is_integer() else q, _NS)
        if len(cache) > _LIMIT:
            cache.clear()
        cache[q] = out
    return out


def _quantities(name: str, values: tuple[QuantityElement, ...]) -> str:
    items = []
    for qe in values:
        v = _canon(qe.epc_class)
        s = "epcClass=" + v if v else ""
        if qe.quantity is not None:
            v = _quantity_text(qe.quantity)
            if v:
                s += "quantity=" + v
        if qe.uom:
            v = _canon(qe.uom)
            if v:
                s += "uom=" + v
        if s:
            items.append("quantityElement" + s)
    if not items:
        return ""
    items.sort()
    return name + "".join(items)


def _vocab(field: str, kind: str, value: Any) -> str:
    """``field=<web URI>`` of a CBV value (bare names expanded), '' if empty."""
    if type(value) is not str:  # no expansion, and no cache key to confuse with a str
        v = _canon(value)
        return field + "=" + v if v else ""
    key = (field, value)
    frags = _C.fragments
    out = frags.get(key)
    if out is None:
        v = _canon(expansion_table(kind).get(value, value))
        out = field + "=" + v if v else ""
        if len(frags) > _LIMIT:
            frags.clear()
        frags[key] = out
    return out


def _point(field: str, value: Any) -> str:
    key = (field, value)
    frags = _C.fragments
    out = frags.get(key)
    if out is None:
        v = _canon(value)
        out = field + "id=" + v if v else ""
        if len(frags) > _LIMIT:
            frags.clear()
        frags[key] = out
    return out


def _links(list_name: str, id_name: str, kind: str, links: tuple[Link, ...]) -> str:
    expand = expansion_table(kind)
    items = []
    for link in links:
        s = ""
        t = link.type
        if t:
            v = _canon(expand.get(t, t) if type(t) is str else t)
            if v:
                s = "type=" + v
        v = _canon(link.id)
        items.append(s + id_name + "=" + v if v else s + id_name)
    items.sort()
    return list_name + "".join(items)


def _scalar_member(key: str, value: Any, rest: list[str]) -> None:
    """An extension member as `generic_member` writes it (scalars inline, others through it)."""
    if type(value) is str:
        v = _canon(value)
        rest.append(key + "=" + v if v else key)
    else:
        generic_member(key, value, _NS, rest)


def _ilmd(ilmd: Mapping[str, Any], rest: list[str]) -> None:
    parts = []
    for k, v in ilmd.items():
        if type(v) is not str or not k.startswith("cbvmda:"):
            generic_member("ilmd", dict(ilmd), _NS, rest)  # anything unusual: as the general path
            return
        c = _canon(v)
        key = _CBVMDA + k[7:]
        parts.append(key + "=" + c if c else key)
    parts.sort()
    rest.append("ilmd" + "".join(parts))


def fast_prehash(e: Event) -> str | None:
    """The pre-hash string of `e`, or None when its shape needs the general path."""
    try:
        return _prehash(e)
    except _ERRORS:
        return None  # whatever the general path makes of it (a value or the error)


def _prehash(e: Event) -> str | None:
    if e.certification_info is not None:
        return None
    extra = e.extra
    if extra:
        for k in extra:
            if not k.startswith("tracer:") or k in _TYPED_TRACER:
                return None
    t = e.event_type
    if type(t) is not EventType:
        return None
    time = _event_time(e.event_time)
    if time is None:
        return None
    out = ["eventType=", _TYPE_NAMES[t], "eventTime=", time]
    v = _canon(e.event_time_zone_offset)
    if v:
        out.append("eventTimeZoneOffset=" + v)
    if e.parent_id is not None:
        v = _canon(e.parent_id)
        if v:
            out.append("parentID=" + v)
    if t in _AGGREGATING:
        if e.input_epc_list:
            out.append(_epcs("inputEPCList", e.input_epc_list))
        if e.child_epcs or e.epc_list:
            out.append(_epcs("childEPCs", e.child_epcs or e.epc_list))
        if e.child_quantity_list or e.quantity_list:
            out.append(_quantities("childQuantityList", e.child_quantity_list or e.quantity_list))
    else:
        if e.epc_list:
            out.append(_epcs("epcList", e.epc_list))
        if e.input_epc_list:
            out.append(_epcs("inputEPCList", e.input_epc_list))
        if e.child_epcs:
            out.append(_epcs("childEPCs", e.child_epcs))
        if e.quantity_list:
            out.append(_quantities("quantityList", e.quantity_list))
        if e.child_quantity_list:
            out.append(_quantities("childQuantityList", e.child_quantity_list))
    if e.input_quantity_list:
        out.append(_quantities("inputQuantityList", e.input_quantity_list))
    if e.output_epc_list:
        out.append(_epcs("outputEPCList", e.output_epc_list))
    if e.output_quantity_list:
        out.append(_quantities("outputQuantityList", e.output_quantity_list))
    a = e.action
    if a is not None:
        frag = _ACTIONS.get(a) if type(a) is Action else None
        if frag is None:
            v = _canon(a.value)
            frag = "action=" + v if v else ""
        out.append(frag)
    if e.transformation_id:
        v = _canon(e.transformation_id)
        if v:
            out.append("transformationID=" + v)
    if e.biz_step:
        out.append(_vocab("bizStep", "bizStep", e.biz_step))
    if e.disposition:
        out.append(_vocab("disposition", "disposition", e.disposition))
    if e.read_point:
        out.append(_point("readPoint", e.read_point))
    if e.biz_location:
        out.append(_point("bizLocation", e.biz_location))
    rest: list[str] = []
    for link in LINK_LISTS:
        links = getattr(e, link.field)
        if links:
            rest.append(_links(link.name, link.item, link.vocabulary, links))
    if e.ilmd is not None:
        _ilmd(e.ilmd, rest)
    if e.operator:
        _scalar_member(_TRACER + "operator", e.operator, rest)
    if e.station:
        _scalar_member(_TRACER + "station", e.station, rest)
    if e.device:
        _scalar_member(_TRACER + "device", e.device, rest)
    if extra:
        for k, value in extra.items():
            generic_member(_TRACER + k[7:], value, _NS, rest)
    if rest:
        rest.sort()
        out.extend(rest)
    return "".join(out)


def fast_event_hash(e: Event) -> str | None:
    """``ni:///sha-256;…?ver=CBV2.0`` of `e`, or None for the general path."""
    pre = fast_prehash(e)
    if pre is None:
        return None
    return HASH_PREFIX + hashlib.sha256(pre.encode("utf-8")).hexdigest() + HASH_SUFFIX
