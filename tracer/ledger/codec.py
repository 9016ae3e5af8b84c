"""Event <-> EPCIS 2.0 JSON-LD event object.

The ledger stores each event as the EPCIS JSON object it would be exported
as, so export is a copy and a round trip loses nothing: members tracer does
not model stay in `Event.extra` and come back verbatim.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from tracer.event_members import (
    LINK_LISTS,
    STORED_LISTS,
    TRACER_MEMBERS,
    TYPED_MEMBERS,
    TYPED_PARTS,
    MemberKind,
    list_values,
)
from tracer.model import (
    Action,
    ErrorDeclaration,
    Event,
    EventType,
    Link,
    QuantityElement,
    format_time,
    parse_time,
)

_OP, _ST, _DEV = TRACER_MEMBERS  # "tracer:operator", "tracer:station", "tracer:device"

# members this codec maps to typed fields; everything else goes to `extra`
_KNOWN = frozenset(TYPED_MEMBERS | TRACER_MEMBERS.keys())


def _links(items: tuple[Link, ...], id_key: str) -> list[dict[str, str]]:
    out = []
    for link in items:
        d = {"type": link.type} if link.type else {}
        d[id_key] = link.id
        out.append(d)
    return out


def _parse_links(items: Any, id_key: str) -> tuple[Link, ...]:
    return tuple(Link(i.get("type"), str(i[id_key])) for i in items or ())


def _quantities(items: tuple[QuantityElement, ...]) -> list[dict[str, Any]]:
    return [q.to_epcis() for q in items]


# the JSON value of a list member, by kind
ENCODE_LIST: dict[MemberKind, Callable[[Any], Any]] = {
    "epcs": list,
    "quantities": _quantities,
    "text": lambda value: value,
}


def _parse_quantities(items: Any) -> tuple[QuantityElement, ...]:
    return tuple(QuantityElement.from_epcis(q) for q in items or ())


_DECLARATION_MEMBERS = ("declarationTime", "reason", "correctiveEventIDs")


def error_declaration_to_epcis(
    ed: ErrorDeclaration, format_time: Callable[[datetime], str]
) -> dict[str, Any]:
    """The ``errorDeclaration`` member (`format_time` is the codec's own)."""
    decl: dict[str, Any] = {"declarationTime": format_time(ed.declaration_time)}
    if ed.reason:
        decl["reason"] = ed.reason
    if ed.corrective_event_ids:
        decl["correctiveEventIDs"] = list(ed.corrective_event_ids)
    decl.update(ed.extra)
    return decl


def error_declaration_from_epcis(
    decl: Mapping[str, Any], reason: Callable[[Any], Any] = lambda r: r
) -> ErrorDeclaration:
    """Inverse of `error_declaration_to_epcis`; `reason` maps the reason code as stored."""
    return ErrorDeclaration(
        declaration_time=parse_time(decl["declarationTime"]),
        reason=reason(decl.get("reason")),
        corrective_event_ids=tuple(decl.get("correctiveEventIDs") or ()),
        extra={k: v for k, v in decl.items() if k not in _DECLARATION_MEMBERS},
    )


def event_to_epcis(e: Event, *, with_id: bool = True) -> dict[str, Any]:
    """The EPCIS 2.0 JSON-LD object for one event (members in standard order)."""
    d: dict[str, Any] = {"type": e.event_type.value}
    if with_id and e.event_id:
        d["eventID"] = e.event_id
    d["eventTime"] = format_time(e.event_time)
    if e.record_time is not None:
        d["recordTime"] = format_time(e.record_time)
    d["eventTimeZoneOffset"] = e.event_time_zone_offset
    if e.error_declaration is not None:
        d["errorDeclaration"] = error_declaration_to_epcis(e.error_declaration, format_time)
    if e.parent_id is not None:
        d["parentID"] = e.parent_id
    for m, value in list_values(e, STORED_LISTS[e.event_type]):
        d[m.name] = ENCODE_LIST[m.kind](value)
    if e.action is not None:
        d["action"] = e.action.value
    if e.biz_step:
        d["bizStep"] = e.biz_step
    if e.disposition:
        d["disposition"] = e.disposition
    if e.read_point:
        d["readPoint"] = {"id": e.read_point}
    if e.biz_location:
        d["bizLocation"] = {"id": e.biz_location}
    for link in LINK_LISTS:
        items = getattr(e, link.field)
        if items:
            d[link.name] = _links(items, link.item)
    if e.ilmd is not None:
        d["ilmd"] = dict(e.ilmd)
    if e.certification_info is not None:
        d["certificationInfo"] = e.certification_info
    for key, value in ((_OP, e.operator), (_ST, e.station), (_DEV, e.device)):
        if value:
            d[key] = value
    d.update(e.extra)
    return d


def event_from_epcis(d: Mapping[str, Any]) -> Event:
    """Inverse of `event_to_epcis`; unknown members are kept in `extra`."""
    event_type = EventType(d["type"])
    event_time = parse_time(d["eventTime"])
    decl = d.get("errorDeclaration")
    error_declaration = None if decl is None else error_declaration_from_epcis(decl)
    epc_list: tuple[str, ...] = tuple(d.get("epcList") or ())
    quantity_list = _parse_quantities(d.get("quantityList"))
    child_epcs: tuple[str, ...] = tuple(d.get("childEPCs") or ())
    child_q = _parse_quantities(d.get("childQuantityList"))
    action = d.get("action")
    rp = d.get("readPoint")
    bl = d.get("bizLocation")
    return Event(
        event_type=event_type,
        event_time=event_time,
        event_time_zone_offset=d.get("eventTimeZoneOffset", "+00:00"),
        action=Action(action) if action else None,
        epc_list=epc_list,
        quantity_list=quantity_list,
        parent_id=d.get("parentID"),
        child_epcs=child_epcs,
        child_quantity_list=child_q,
        input_epc_list=tuple(d.get("inputEPCList") or ()),
        input_quantity_list=_parse_quantities(d.get("inputQuantityList")),
        output_epc_list=tuple(d.get("outputEPCList") or ()),
        output_quantity_list=_parse_quantities(d.get("outputQuantityList")),
        transformation_id=d.get("transformationID"),
        biz_step=d.get("bizStep"),
        disposition=d.get("disposition"),
        read_point=rp.get("id") if isinstance(rp, Mapping) else rp,
        biz_location=bl.get("id") if isinstance(bl, Mapping) else bl,
        biz_transactions=_parse_links(d.get("bizTransactionList"), "bizTransaction"),
        sources=_parse_links(d.get("sourceList"), "source"),
        destinations=_parse_links(d.get("destinationList"), "destination"),
        ilmd=d.get("ilmd"),
        error_declaration=error_declaration,
        record_time=parse_time(d["recordTime"]) if d.get("recordTime") else None,
        operator=d.get(_OP),
        station=d.get(_ST),
        device=d.get(_DEV),
        event_id=d.get("eventID"),
        certification_info=d.get("certificationInfo"),
        extra={k: v for k, v in d.items() if k not in _KNOWN or _carries_more(k, v)},
    )


def _carries_more(key: str, value: Any) -> bool:
    """Whether `value` holds more than the typed field can (an extension on a readPoint,
    a link or a quantity): then the member is also kept verbatim in `extra`, which wins
    when encoding."""
    allowed = TYPED_PARTS.get(key)
    if allowed is None:
        return False
    items = value if isinstance(value, list) else [value]
    return any(isinstance(i, Mapping) and not allowed.issuperset(i) for i in items)
