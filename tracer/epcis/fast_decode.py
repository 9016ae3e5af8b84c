"""EPCIS 2.0 JSON-LD event → `Event` for the plain shapes a bulk import is made of.

`tracer.epcis.codec.event_from_epcis` handles every event (extension
prefixes, event-level contexts, error declarations, ...) and cost ~30 µs an
event, a third of an import's front end. Most events of a big document are
plain: standard members, ``tracer:`` members, no context of their own, in a
document whose ``@context`` defines no prefix of its own. For those this
module builds the very same `Event` (equal field by field; the tests compare
both on every example) with memoised vocabulary and enum look-ups and without
the dataclass ``__init__``. Anything else gets None: the caller then uses
`event_from_epcis`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timezone
from typing import Any

from tracer.epcis.vocab import Vocabulary, vocabularies
from tracer.model import TRACER_NS, Action, Event, EventType, Link, QuantityElement, offset_of

_TYPES = {t.value: t for t in EventType}
_ACTIONS = {a.value: a for a in Action}
_QTY_KEYS = frozenset({"epcClass", "quantity", "uom"})
_TRACER_KEYS = {"operator", "station", "device"}
# member -> (how it is decoded, Event field)
_SIMPLE, _TUPLE, _TYPE, _TIME, _ACTION, _VOCAB, _POINT, _QUANTITIES, _LINKS, _RECORD = range(10)
_MEMBERS: dict[str, tuple[int, str]] = {
    "type": (_TYPE, "event_type"),
    "eventTime": (_TIME, "event_time"),
    "eventTimeZoneOffset": (_SIMPLE, "event_time_zone_offset"),
    "recordTime": (_RECORD, "record_time"),
    "eventID": (_SIMPLE, "event_id"),
    "action": (_ACTION, "action"),
    "epcList": (_TUPLE, "epc_list"),
    "quantityList": (_QUANTITIES, "quantity_list"),
    "parentID": (_SIMPLE, "parent_id"),
    "childEPCs": (_TUPLE, "child_epcs"),
    "childQuantityList": (_QUANTITIES, "child_quantity_list"),
    "inputEPCList": (_TUPLE, "input_epc_list"),
    "inputQuantityList": (_QUANTITIES, "input_quantity_list"),
    "outputEPCList": (_TUPLE, "output_epc_list"),
    "outputQuantityList": (_QUANTITIES, "output_quantity_list"),
    "transformationID": (_SIMPLE, "transformation_id"),
    "bizStep": (_VOCAB, "biz_step"),
    "disposition": (_VOCAB, "disposition"),
    "readPoint": (_POINT, "read_point"),
    "bizLocation": (_POINT, "biz_location"),
    "bizTransactionList": (_LINKS, "biz_transactions"),
    "sourceList": (_LINKS, "sources"),
    "destinationList": (_LINKS, "destinations"),
    "ilmd": (_SIMPLE, "ilmd"),
}
_VOCAB_KIND = {"biz_step": "bizStep", "disposition": "disposition"}
_LINK_KEYS = {
    "biz_transactions": ("bizTransaction", "bizTransactionType"),
    "sources": ("source", "sourceDestType"),
    "destinations": ("destination", "sourceDestType"),
}
# members event_from_epcis treats itself (or that need the document's context)
_GENERAL = frozenset({"errorDeclaration", "certificationInfo", "@context"})
_MISSING: Any = object()
_DEFAULTS: dict[str, Any] = {
    "event_type": _MISSING,
    "event_time": _MISSING,
    "event_time_zone_offset": None,
    "action": None,
    "epc_list": (),
    "quantity_list": (),
    "parent_id": None,
    "child_epcs": (),
    "child_quantity_list": (),
    "input_epc_list": (),
    "input_quantity_list": (),
    "output_epc_list": (),
    "output_quantity_list": (),
    "transformation_id": None,
    "biz_step": None,
    "disposition": None,
    "read_point": None,
    "biz_location": None,
    "biz_transactions": (),
    "sources": (),
    "destinations": (),
    "ilmd": None,
    "error_declaration": None,
    "record_time": None,
    "operator": None,
    "station": None,
    "device": None,
    "event_id": None,
    "certification_info": None,
    "extra": None,
}
_LIMIT = 100_000


class FastDecoder:
    """Decodes the events of one document (its resolved namespaces fixed)."""

    def __init__(self, namespaces: Mapping[str, str], custom: bool) -> None:
        # a prefix of the document's own: prefixes used by an event travel in its
        # `extra` as an event @context (event_from_epcis works that out)
        self.usable = not custom
        self.tracer_prefixes = {p for p, uri in namespaces.items() if uri == TRACER_NS}
        voc = vocabularies()
        self._short: dict[str, tuple[dict[str, Any], Vocabulary]] = {
            kind: ({}, voc[kind]) for kind in voc
        }
        self._offsets: dict[Any, str] = {}

    def short(self, kind: str, value: Any) -> Any:
        """`codec._short`, memoised."""
        if type(value) is not str:
            return value
        memo, voc = self._short[kind]
        out = memo.get(value)
        if out is None:
            out = voc.short(value)
            if len(memo) > _LIMIT:
                memo.clear()
            memo[value] = out
        return out

    def decode(self, d: Mapping[str, Any], event_id: str | None = None) -> Event | None:
        """The `Event` `event_from_epcis(d, ns, event_id=…)` makes, or None (use it)."""
        if not self.usable:
            return None
        try:
            return self._decode(d, event_id)
        except (KeyError, TypeError, ValueError, AttributeError):
            return None  # the general path says what is wrong with it

    def _decode(self, d: Mapping[str, Any], event_id: str | None) -> Event | None:
        f = _DEFAULTS.copy()
        extra: dict[str, Any] = {}
        members = _MEMBERS
        for k, v in d.items():
            slot = members.get(k)
            if slot is None:
                if k in _GENERAL:
                    return None
                c = k.find(":")
                if c > 0 and k[:c] in self.tracer_prefixes and k[c + 1 :] in _TRACER_KEYS:
                    f[k[c + 1 :]] = v
                else:
                    extra[k] = v
                continue
            how, name = slot
            if how == _SIMPLE:
                f[name] = v
            elif how == _TUPLE:
                f[name] = tuple(v) if v else ()
            elif how == _TYPE:
                f[name] = _TYPES[v]
            elif how == _TIME:
                f[name] = _time(v)
            elif how == _VOCAB:
                f[name] = self.short(_VOCAB_KIND[name], v)
            elif how == _POINT:
                if isinstance(v, Mapping):
                    if len(v) > ("id" in v):
                        return None  # more than an id: kept verbatim in extra
                    v = v.get("id")
                f[name] = v
            elif how == _LINKS:
                id_key, kind = _LINK_KEYS[name]
                links = self._links(v, id_key, kind)
                if links is None:
                    return None
                f[name] = links
            elif how == _QUANTITIES:
                quantities = _quantities(v)
                if quantities is None:
                    return None
                f[name] = quantities
            elif how == _ACTION:
                f[name] = _ACTIONS[v] if v else None
            else:  # _RECORD
                f[name] = _time(v) if v else None
        if f["event_type"] is _MISSING or f["event_time"] is _MISSING:
            return None
        if not f["event_time_zone_offset"]:
            f["event_time_zone_offset"] = self._offset(f["event_time"])
        if event_id is not None:
            f["event_id"] = event_id
        f["extra"] = extra
        # the frozen dataclass's __init__ (31 object.__setattr__ calls) is skipped: no
        # field has a __post_init__ step, as Event.with_id relies on too
        event = object.__new__(Event)
        event.__dict__.update(f)
        return event

    def _offset(self, t: datetime) -> str:
        tz = t.tzinfo
        out = self._offsets.get(tz)
        if out is None:
            out = offset_of(t)
            if type(tz) is not timezone:
                return out  # a zone whose offset depends on the date: not memoised
            self._offsets[tz] = out
        return out

    def _links(self, items: Any, id_key: str, kind: str) -> tuple[Link, ...] | None:
        """The links; None if one carries more than a type and an id (general path)."""
        out = []
        for i in items or ():
            t = i.get("type")
            out.append(Link(self.short(kind, t), str(i[id_key])))
            if len(i) > 2 or (len(i) == 2 and "type" not in i):
                return None
        return tuple(out)


def _quantities(items: Any) -> tuple[QuantityElement, ...] | None:
    """The elements; None if one carries what `QuantityElement` cannot hold."""
    out = []
    for q in items or ():
        v = q.get("quantity")
        if v is None:
            if "quantity" in q:
                return None
        elif not isinstance(v, int | float) or isinstance(v, bool):
            return None
        if not _QTY_KEYS.issuperset(q):
            return None
        out.append(
            QuantityElement(str(q["epcClass"]), None if v is None else float(v), q.get("uom"))
        )
    return tuple(out)


def _time(text: str) -> datetime:
    """`tracer.model.parse_time`."""
    t = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    return t
