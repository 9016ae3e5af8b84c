"""Event <-> EPCIS 2.0 JSON-LD event object.

The ledger stores each event as the EPCIS JSON object it would be exported
as, so export is a copy and a round trip loses nothing: members tracer does
not model stay in `Event.extra` and come back verbatim.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tracer.model import (
    TRACER_PREFIX,
    Action,
    ErrorDeclaration,
    Event,
    EventType,
    Link,
    QuantityElement,
    format_time,
    parse_time,
)

_OP = f"{TRACER_PREFIX}:operator"
_ST = f"{TRACER_PREFIX}:station"
_DEV = f"{TRACER_PREFIX}:device"

# members this codec maps to typed fields; everything else goes to `extra`
_KNOWN = {
    "type",
    "eventTime",
    "eventTimeZoneOffset",
    "recordTime",
    "eventID",
    "action",
    "epcList",
    "quantityList",
    "parentID",
    "childEPCs",
    "childQuantityList",
    "inputEPCList",
    "inputQuantityList",
    "outputEPCList",
    "outputQuantityList",
    "transformationID",
    "bizStep",
    "disposition",
    "readPoint",
    "bizLocation",
    "bizTransactionList",
    "sourceList",
    "destinationList",
    "ilmd",
    "errorDeclaration",
    "certificationInfo",
    _OP,
    _ST,
    _DEV,
}


def _links(items: tuple[Link, ...], type_key: str, id_key: str) -> list[dict[str, str]]:
    out = []
    for link in items:
        d = {type_key: link.type} if link.type else {}
        d[id_key] = link.id
        out.append(d)
    return out


def _parse_links(items: Any, type_key: str, id_key: str) -> tuple[Link, ...]:
    return tuple(Link(i.get(type_key), str(i[id_key])) for i in items or ())


def _quantities(items: tuple[QuantityElement, ...]) -> list[dict[str, Any]]:
    return [q.to_epcis() for q in items]


def _parse_quantities(items: Any) -> tuple[QuantityElement, ...]:
    return tuple(QuantityElement.from_epcis(q) for q in items or ())


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
        ed = e.error_declaration
        decl: dict[str, Any] = {"declarationTime": format_time(ed.declaration_time)}
        if ed.reason:
            decl["reason"] = ed.reason
        if ed.corrective_event_ids:
            decl["correctiveEventIDs"] = list(ed.corrective_event_ids)
        decl.update(ed.extra)
        d["errorDeclaration"] = decl
    if e.parent_id is not None:
        d["parentID"] = e.parent_id
    if e.event_type is EventType.AGGREGATION:
        if e.epc_list or e.child_epcs:
            d["childEPCs"] = list(e.child_epcs or e.epc_list)
        if e.child_quantity_list or e.quantity_list:
            d["childQuantityList"] = _quantities(e.child_quantity_list or e.quantity_list)
    elif e.event_type is EventType.TRANSFORMATION:
        if e.input_epc_list:
            d["inputEPCList"] = list(e.input_epc_list)
        if e.input_quantity_list:
            d["inputQuantityList"] = _quantities(e.input_quantity_list)
        if e.output_epc_list:
            d["outputEPCList"] = list(e.output_epc_list)
        if e.output_quantity_list:
            d["outputQuantityList"] = _quantities(e.output_quantity_list)
        if e.transformation_id:
            d["transformationID"] = e.transformation_id
    elif e.event_type is EventType.ASSOCIATION:
        if e.child_epcs:
            d["childEPCs"] = list(e.child_epcs)
        if e.child_quantity_list:
            d["childQuantityList"] = _quantities(e.child_quantity_list)
    else:
        if e.epc_list or e.event_type in (
            EventType.OBJECT,
            EventType.TRANSACTION,
        ):  # schema: required
            d["epcList"] = list(e.epc_list)
        if e.quantity_list:
            d["quantityList"] = _quantities(e.quantity_list)
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
    if e.biz_transactions:
        d["bizTransactionList"] = _links(e.biz_transactions, "type", "bizTransaction")
    if e.sources:
        d["sourceList"] = _links(e.sources, "type", "source")
    if e.destinations:
        d["destinationList"] = _links(e.destinations, "type", "destination")
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
    error_declaration = None
    if decl is not None:
        error_declaration = ErrorDeclaration(
            declaration_time=parse_time(decl["declarationTime"]),
            reason=decl.get("reason"),
            corrective_event_ids=tuple(decl.get("correctiveEventIDs") or ()),
            extra={
                k: v
                for k, v in decl.items()
                if k not in ("declarationTime", "reason", "correctiveEventIDs")
            },
        )
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
        biz_transactions=_parse_links(d.get("bizTransactionList"), "type", "bizTransaction"),
        sources=_parse_links(d.get("sourceList"), "type", "source"),
        destinations=_parse_links(d.get("destinationList"), "type", "destination"),
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


# members whose typed field holds only part of what the standard allows: when a
# document gives more (an extension on a readPoint, a link or a quantity),
# the member is also kept verbatim in `extra`, which wins when encoding
_TYPED_PARTS: dict[str, frozenset[str]] = {
    "readPoint": frozenset({"id"}),
    "bizLocation": frozenset({"id"}),
    "quantityList": frozenset({"epcClass", "quantity", "uom"}),
    "childQuantityList": frozenset({"epcClass", "quantity", "uom"}),
    "inputQuantityList": frozenset({"epcClass", "quantity", "uom"}),
    "outputQuantityList": frozenset({"epcClass", "quantity", "uom"}),
    "bizTransactionList": frozenset({"type", "bizTransaction"}),
    "sourceList": frozenset({"type", "source"}),
    "destinationList": frozenset({"type", "destination"}),
}


def _carries_more(key: str, value: Any) -> bool:
    allowed = _TYPED_PARTS.get(key)
    if allowed is None:
        return False
    items = value if isinstance(value, list) else [value]
    return any(isinstance(i, Mapping) and not allowed.issuperset(i) for i in items)
