"""`Event` ↔ EPCIS 2.0 JSON-LD event object, losslessly; `stamp` gives an event its hash ID.

* Standard members map to the typed fields of `tracer.model.Event`; CBV values
  (bizStep, disposition, link types, error reason) are kept in the bare form
  EPCIS 2.0 JSON uses (``"shipping"``, ``"in_transit"``, ``"po"``).
* ``tracer:operator`` / ``tracer:station`` / ``tracer:device`` (namespace
  `TRACER_NS`, whatever prefix a document gives it) become ``operator`` /
  ``station`` / ``device``.
* Every other member stays in ``Event.extra`` verbatim (sensorElementList,
  persistentDisposition, user extensions, ...). So does any standard member
  that carries more than the typed field can hold (e.g. a ``readPoint`` with an
  extension, a quantity element with an extension): the typed field is filled
  for queries and the verbatim member is what gets written back.
* Extension prefixes are resolved against the document's ``@context``; the
  ones an event uses travel with it as an event-level ``@context`` member in
  ``extra`` so that the event means (and hashes) the same outside its document.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from tracer.epcis.event_hash import (
    Context,
    event_hash,
    resolve_namespaces,
)
from tracer.epcis.fast_hash import fast_event_hash
from tracer.epcis.vocab import vocabularies
from tracer.event_members import (
    EXPORTED_LISTS,
    LINK_LISTS,
    POINTS,
    QUANTITY_KEYS,
    QUANTITY_LISTS,
    TRACER_MEMBERS,
    TYPED_MEMBERS,
    list_values,
)
from tracer.ledger.codec import (
    ENCODE_LIST,
    error_declaration_from_epcis,
    error_declaration_to_epcis,
)
from tracer.model import (
    TRACER_NS,
    Action,
    Event,
    EventType,
    Link,
    QuantityElement,
    offset_of,
    parse_time,
)

_OP, _ST, _DEV = TRACER_MEMBERS  # "tracer:operator", "tracer:station", "tracer:device"
_TRACER_LOCAL = {"operator": "operator", "station": "station", "device": "device"}


def format_time(t: datetime) -> str:
    """EPCIS date-time with its own offset; milliseconds unless finer precision is present."""
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    spec = "milliseconds" if t.microsecond % 1000 == 0 else "microseconds"
    s = t.isoformat(timespec=spec)
    return s[:-6] + "Z" if s.endswith("+00:00") else s


# ---------------------------------------------------------------------------
# Event -> dict


def _links(items: tuple[Link, ...], id_key: str) -> list[dict[str, str]]:
    out = []
    for link in items:
        d = {"type": link.type} if link.type else {}
        d[id_key] = link.id
        out.append(d)
    return out


def event_to_epcis(e: Event, *, with_id: bool = True) -> dict[str, Any]:
    """The EPCIS 2.0 JSON-LD object for one event (members in the standard's order)."""
    extra = e.extra
    d: dict[str, Any] = {}
    if "@context" in extra:
        d["@context"] = extra["@context"]
    d["type"] = e.event_type.value
    if with_id and e.event_id:
        d["eventID"] = e.event_id
    d["eventTime"] = format_time(e.event_time)
    if e.record_time is not None:
        d["recordTime"] = format_time(e.record_time)
    d["eventTimeZoneOffset"] = e.event_time_zone_offset
    if e.certification_info is not None:
        d["certificationInfo"] = e.certification_info
    if e.error_declaration is not None:
        d["errorDeclaration"] = error_declaration_to_epcis(e.error_declaration, format_time)
    if e.parent_id is not None:
        d["parentID"] = e.parent_id
    for m, value in list_values(e, EXPORTED_LISTS[e.event_type]):
        d[m.name] = ENCODE_LIST[m.kind](value)
    if e.action is not None:
        d["action"] = e.action.value
    if e.biz_step:
        d["bizStep"] = e.biz_step
    if e.disposition:
        d["disposition"] = e.disposition
    if e.read_point:
        rp = extra.get("readPoint")
        d["readPoint"] = (
            {**rp, "id": e.read_point} if isinstance(rp, Mapping) else {"id": e.read_point}
        )
    if e.biz_location:
        bl = extra.get("bizLocation")
        d["bizLocation"] = (
            {**bl, "id": e.biz_location} if isinstance(bl, Mapping) else {"id": e.biz_location}
        )
    for link in LINK_LISTS:
        items = getattr(e, link.field)
        if items:
            d[link.name] = _links(items, link.item)
    if e.ilmd is not None:
        d["ilmd"] = dict(e.ilmd)
    for key, value in ((_OP, e.operator), (_ST, e.station), (_DEV, e.device)):
        if value:
            d[key] = value
    for k, v in extra.items():
        if k in ("readPoint", "bizLocation", "@context"):
            continue
        d[k] = v  # verbatim members win (they hold what the typed fields cannot)
    return d


# ---------------------------------------------------------------------------
# dict -> Event


def _parse_quantities(items: Any) -> tuple[tuple[QuantityElement, ...], bool]:
    """Quantity elements, and whether they carry members QuantityElement cannot hold."""
    out = []
    lossy = False
    for q in items or ():
        out.append(QuantityElement.from_epcis(q))
        if not lossy and (not QUANTITY_KEYS.issuperset(q) or not _same_quantity(q)):
            lossy = True
    return tuple(out), lossy


def _same_quantity(q: Mapping[str, Any]) -> bool:
    v = q.get("quantity")
    if v is None:
        return "quantity" not in q
    return isinstance(v, int | float) and not isinstance(v, bool)


def _parse_links(items: Any, id_key: str, kind: str) -> tuple[tuple[Link, ...], bool]:
    voc = vocabularies()[kind]
    out = []
    lossy = False
    for i in items or ():
        t = i.get("type")
        out.append(Link(voc.short(t) if isinstance(t, str) else t, str(i[id_key])))
        if not lossy and (len(i) > 2 or (len(i) == 2 and "type" not in i)):
            lossy = True
    return tuple(out), lossy


def _short(kind: str, value: Any) -> Any:
    return vocabularies()[kind].short(value) if isinstance(value, str) else value


def _short_reason(value: Any) -> Any:
    return _short("errorReason", value)


def _used_prefixes(obj: Any, prefixes: set[str], found: set[str]) -> None:
    if isinstance(obj, Mapping):
        for k, v in obj.items():
            c = k.find(":")
            if c > 0 and k[:c] in prefixes:
                found.add(k[:c])
            _used_prefixes(v, prefixes, found)
    elif isinstance(obj, list | tuple):
        for v in obj:
            _used_prefixes(v, prefixes, found)
    elif isinstance(obj, str):
        c = obj.find(":")
        if c > 0 and obj[:c] in prefixes:
            found.add(obj[:c])


def _local_context(d: Mapping[str, Any], context: Context, skip: set[str]) -> dict[str, str] | None:
    """The non-standard prefixes the event uses, with their namespaces."""
    ctx = context
    if "@context" in d:
        ctx = [context, d["@context"]] if context is not None else d["@context"]
    custom = resolve_namespaces(ctx).custom()
    if not custom:
        return None
    found: set[str] = set()
    _used_prefixes(
        {k: v for k, v in d.items() if k != "@context" and k not in skip}, set(custom), found
    )
    return {p: custom[p] for p in sorted(found)} or None


def event_from_epcis(
    d: Mapping[str, Any], context: Context = None, *, event_id: str | None = None
) -> Event:
    """One EPCIS 2.0 JSON-LD event (as in ``epcisBody.eventList``) → `Event`.

    `context` is the enclosing document's ``@context`` (or its resolved
    `Namespaces`); it resolves the prefixes of extension members. Unknown
    members go to ``extra`` verbatim. `event_id` replaces the event's own.
    """
    extra: dict[str, Any] = {}
    ns = resolve_namespaces(context)
    operator = station = device = None
    consumed: set[str] = set()
    for k, v in d.items():
        if k in TYPED_MEMBERS:
            continue
        c = k.find(":")
        if c > 0 and k[c + 1 :] in _TRACER_LOCAL and ns.get(k[:c]) == TRACER_NS:
            local = k[c + 1 :]
            consumed.add(k)
            if local == "operator":
                operator = v
            elif local == "station":
                station = v
            else:
                device = v
            continue
        extra[k] = v
    local_ctx = (
        _local_context(d, context, consumed) if context is not None or "@context" in d else None
    )
    if local_ctx:
        extra["@context"] = local_ctx
    elif "@context" in extra:
        del extra["@context"]

    event_type = EventType(d["type"])
    decl = d.get("errorDeclaration")
    error_declaration = None if decl is None else error_declaration_from_epcis(decl, _short_reason)
    quantities: dict[str, tuple[QuantityElement, ...]] = {}
    for key in QUANTITY_LISTS:
        if key in d:
            quantities[key], lossy = _parse_quantities(d[key])
            if lossy:
                extra[key] = d[key]
    links: dict[str, tuple[Link, ...]] = {}
    for link in LINK_LISTS:
        key = link.name
        if key in d:
            links[key], lossy = _parse_links(d[key], link.item, link.vocabulary)
            if lossy:
                extra[key] = d[key]
    points: dict[str, str | None] = {}
    for key in POINTS:
        p = d.get(key)
        if isinstance(p, Mapping):
            points[key] = p.get("id")
            if set(p) - {"id"}:
                extra[key] = dict(p)  # verbatim, id included
        else:
            points[key] = p
    action = d.get("action")
    event_time = parse_time(d["eventTime"])
    offset = d.get("eventTimeZoneOffset") or offset_of(event_time)
    return Event(
        event_type=event_type,
        event_time=event_time,
        event_time_zone_offset=offset,
        action=Action(action) if action else None,
        epc_list=tuple(d.get("epcList") or ()),
        quantity_list=quantities.get("quantityList", ()),
        parent_id=d.get("parentID"),
        child_epcs=tuple(d.get("childEPCs") or ()),
        child_quantity_list=quantities.get("childQuantityList", ()),
        input_epc_list=tuple(d.get("inputEPCList") or ()),
        input_quantity_list=quantities.get("inputQuantityList", ()),
        output_epc_list=tuple(d.get("outputEPCList") or ()),
        output_quantity_list=quantities.get("outputQuantityList", ()),
        transformation_id=d.get("transformationID"),
        biz_step=_short("bizStep", d.get("bizStep")),
        disposition=_short("disposition", d.get("disposition")),
        read_point=points.get("readPoint"),
        biz_location=points.get("bizLocation"),
        biz_transactions=links.get("bizTransactionList", ()),
        sources=links.get("sourceList", ()),
        destinations=links.get("destinationList", ()),
        ilmd=d.get("ilmd"),
        error_declaration=error_declaration,
        record_time=parse_time(d["recordTime"]) if d.get("recordTime") else None,
        operator=operator,
        station=station,
        device=device,
        event_id=event_id if event_id is not None else d.get("eventID"),
        certification_info=d.get("certificationInfo"),
        extra=extra,
    )


# ---------------------------------------------------------------------------


def hash_event(e: Event) -> str:
    """The EPCIS event hash ID of an event (its eventID and recordTime do not count)."""
    return fast_event_hash(e) or event_hash(event_to_epcis(e, with_id=False))


def stamp(e: Event) -> Event:
    """The event with its canonical hash as eventID."""
    return e.with_id(hash_event(e))
