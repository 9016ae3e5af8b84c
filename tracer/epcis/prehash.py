"""The pre-hash string of an EPCIS 2.0 event (CBV 2.0 §8.9 / EPCIS 2.0 "Event hash ID").

The event's members in the canonical property order, each ``key=value`` with
its value in canonical form (`tracer.epcis.hash_values`); lists sorted;
extension members as ``{namespace}local`` sorted at the end together with the
link lists and ``ilmd``, as the reference implementation orders them (see
`tracer.epcis.event_hash`). ``recordTime``, ``eventID``, ``errorDeclaration``
and comments do not take part.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from tracer.epcis.hash_values import (
    Context,
    Namespaces,
    canonical_key,
    canonical_time,
    canonical_value,
    merge_context,
    resolve_namespaces,
    scalar_text,
)
from tracer.epcis.vocab import expansion_table
from tracer.event_members import LINK_LISTS, QUANTITY_KEYS

# ---------------------------------------------------------------------------
# keys, generic (extension) elements

_IGNORED = frozenset({"#text", "rdfs:comment", "comment", "@context"})


def generic_member(key: str, value: Any, ns: Namespaces, out: list[str]) -> None:
    """Pre-hash strings of one (extension) member; lists give one entry per item."""
    if isinstance(value, list | tuple):
        for item in value:
            generic_member(key, item, ns, out)
        return
    if isinstance(value, Mapping):
        text = canonical_value(value["#text"], ns) if "#text" in value else ""
        out.append(key + ("=" + text if text else "") + _generic_children(value, ns))
        return
    text = canonical_value(value, ns)
    out.append(key + "=" + text if text else key)


def _generic_children(obj: Mapping[str, Any], ns: Namespaces) -> str:
    parts: list[str] = []
    for k, v in obj.items():
        if k not in _IGNORED:
            generic_member(canonical_key(k, ns), v, ns, parts)
    parts.sort()
    return "".join(parts)


def _extensions(obj: Mapping[str, Any], known: frozenset[str], ns: Namespaces) -> str:
    """Sorted pre-hash strings of the members of `obj` that the standard does not define."""
    parts: list[str] = []
    for k, v in obj.items():
        if k not in known and k not in _IGNORED:
            generic_member(canonical_key(k, ns), v, ns, parts)
    if not parts:
        return ""
    parts.sort()
    return "".join(parts)


# ---------------------------------------------------------------------------
# standard fields

_QE_KNOWN = QUANTITY_KEYS
_POINT_KNOWN = frozenset({"id"})
_SENSOR_ELEMENT_KNOWN = frozenset({"sensorMetadata", "sensorReport"})
_SENSOR_METADATA_ORDER = (
    "time",
    "startTime",
    "endTime",
    "deviceID",
    "deviceMetadata",
    "rawData",
    "dataProcessingMethod",
    "bizRules",
)
_SENSOR_REPORT_ORDER = (
    "type",
    "exception",
    "deviceID",
    "deviceMetadata",
    "rawData",
    "dataProcessingMethod",
    "time",
    "microorganism",
    "chemicalSubstance",
    "value",
    "component",
    "stringValue",
    "booleanValue",
    "hexBinaryValue",
    "uriValue",
    "minValue",
    "maxValue",
    "meanValue",
    "sDev",
    "percRank",
    "percValue",
    "uom",
    "coordinateReferenceSystem",
)
_TIME_FIELDS = frozenset({"time", "startTime", "endTime"})
_SENSOR_METADATA_KNOWN = frozenset(_SENSOR_METADATA_ORDER)
_SENSOR_REPORT_KNOWN = frozenset(_SENSOR_REPORT_ORDER)
_SENSOR_REPORT_VOCAB = {
    "type": "measurementType",
    "exception": "sensorAlertType",
    "component": "component",
}


def _as_list(value: Any) -> Iterable[Any]:
    if value is None:
        return ()
    if isinstance(value, list | tuple):
        return value
    return (value,)


def _epcs(name: str, values: Any, ns: Namespaces) -> str:
    items = [v for v in (canonical_value(x, ns) for x in _as_list(values)) if v]
    if not items:
        return ""
    items.sort()
    return name + "epc=" + "epc=".join(items)


def _quantities(name: str, values: Any, ns: Namespaces) -> str:
    items: list[str] = []
    for qe in _as_list(values):
        if not isinstance(qe, Mapping):
            continue
        s = ""
        for field in ("epcClass", "quantity", "uom"):
            if field in qe:
                v = canonical_value(qe[field], ns)
                if v:
                    s += field + "=" + v
        if len(qe) > 3 or not _QE_KNOWN.issuperset(qe):
            s += _extensions(qe, _QE_KNOWN, ns)
        if s:
            items.append("quantityElement" + s)
    if not items:
        return ""
    items.sort()
    return name + "".join(items)


def _vocab_value(kind: str, value: Any, ns: Namespaces) -> str:
    if type(value) is str:
        value = _EXPANSIONS[kind].get(value, value)
    return canonical_value(value, ns)


def _point(name: str, value: Any, ns: Namespaces) -> str:
    if isinstance(value, Mapping):
        s = ""
        if "id" in value:
            v = canonical_value(value["id"], ns)
            if v:
                s = "id=" + v
        if len(value) > 1:
            s += _extensions(value, _POINT_KNOWN, ns)
    else:
        v = canonical_value(value, ns)
        s = "id=" + v if v else ""
    return name + s if s else ""


def _sensor_part(
    name: str,
    obj: Mapping[str, Any],
    order: tuple[str, ...],
    known: frozenset[str],
    ns: Namespaces,
) -> str:
    s = ""
    for field in order:
        if field in obj:
            raw = obj[field]
            if field in _TIME_FIELDS:
                v = canonical_time(raw)
            elif field in _SENSOR_REPORT_VOCAB and name == "sensorReport":
                v = _vocab_value(_SENSOR_REPORT_VOCAB[field], raw, ns)
            else:
                v = canonical_value(raw, ns)
            if v:
                s += field + "=" + v
    s += _extensions(obj, known, ns)
    return name + s if s else ""


def _sensor_elements(name: str, values: Any, ns: Namespaces) -> str:
    items: list[str] = []
    for element in _as_list(values):
        if not isinstance(element, Mapping):
            continue
        s = ""
        md = element.get("sensorMetadata")
        if isinstance(md, Mapping):
            s += _sensor_part(
                "sensorMetadata", md, _SENSOR_METADATA_ORDER, _SENSOR_METADATA_KNOWN, ns
            )
        reports = [
            r
            for r in (
                _sensor_part("sensorReport", rep, _SENSOR_REPORT_ORDER, _SENSOR_REPORT_KNOWN, ns)
                for rep in _as_list(element.get("sensorReport"))
                if isinstance(rep, Mapping)
            )
            if r
        ]
        reports.sort()
        s += "".join(reports)
        s += _extensions(element, _SENSOR_ELEMENT_KNOWN, ns)
        if s:
            items.append("sensorElement" + s)
    if not items:
        return ""
    items.sort()
    return name + "".join(items)


def _links(list_name: str, id_name: str, kind: str, values: Any, ns: Namespaces) -> str:
    items: list[str] = []
    known = frozenset({"type", id_name})
    for link in _as_list(values):
        if isinstance(link, Mapping):
            s = ""
            t = link.get("type")
            if t is not None:
                t = _vocab_value(kind, t, ns)
                if t:
                    s = "type=" + t
            v = canonical_value(link.get(id_name), ns)
            s += id_name + "=" + v if v else id_name
            if len(link) > 2 or not known.issuperset(link):
                s += _extensions(link, known, ns)
        else:
            v = canonical_value(link, ns)
            s = id_name + "=" + v if v else id_name
        items.append(s)
    items.sort()
    return list_name + "".join(items)


def _simple(name: str, value: Any, ns: Namespaces) -> str:
    v = canonical_value(value, ns)
    return name + "=" + v if v else ""


def _time(name: str, value: Any, ns: Namespaces) -> str:
    v = canonical_time(value)
    return name + "=" + v if v else ""


def _certification(name: str, value: Any, ns: Namespaces) -> str:
    items = sorted(x for x in (canonical_value(c, ns) for c in _as_list(value)) if x)
    return name + "=" + (name + "=").join(items) if items else ""


def _biz_step(name: str, value: Any, ns: Namespaces) -> str:
    v = _vocab_value("bizStep", value, ns)
    return name + "=" + v if v else ""


def _disposition(name: str, value: Any, ns: Namespaces) -> str:
    v = _vocab_value("disposition", value, ns)
    return name + "=" + v if v else ""


def _persistent_disposition(name: str, value: Any, ns: Namespaces) -> str:
    if not isinstance(value, Mapping):
        return ""
    s = ""
    for field in ("set", "unset"):
        items = sorted(
            field + "=" + x
            for x in (_vocab_value("disposition", d, ns) for d in _as_list(value.get(field)))
            if x
        )
        s += "".join(items)
    s += _extensions(value, frozenset({"set", "unset"}), ns)
    return name + s if s else ""


# canonical property order (as the reference implementation applies it)
_ORDER: tuple[tuple[str, Any], ...] = (
    ("eventTime", _time),
    ("eventTimeZoneOffset", _simple),
    ("certificationInfo", _certification),
    ("parentID", _simple),
    ("epcList", _epcs),
    ("inputEPCList", _epcs),
    ("childEPCs", _epcs),
    ("quantityList", _quantities),
    ("childQuantityList", _quantities),
    ("inputQuantityList", _quantities),
    ("outputEPCList", _epcs),
    ("outputQuantityList", _quantities),
    ("action", _simple),
    ("transformationID", _simple),
    ("bizStep", _biz_step),
    ("disposition", _disposition),
    ("persistentDisposition", _persistent_disposition),
    ("readPoint", _point),
    ("bizLocation", _point),
    ("sensorElementList", _sensor_elements),
)
_ORDER_INDEX = {name: (i, fn) for i, (name, fn) in enumerate(_ORDER)}
_EXCLUDED = frozenset({"type", "recordTime", "eventID", "errorDeclaration"}) | _IGNORED
_LINK_BY_NAME = {link.name: (link.item, link.vocabulary) for link in LINK_LISTS}
_EXPANSIONS: dict[str, dict[str, str]] = {}


def _load_expansions() -> None:
    for kind in (
        "bizStep",
        "disposition",
        "bizTransactionType",
        "sourceDestType",
        "measurementType",
        "sensorAlertType",
        "component",
        "errorReason",
    ):
        _EXPANSIONS[kind] = expansion_table(kind)


def prehash(event: Mapping[str, Any], context: Context = None) -> str:
    """The canonical pre-hash string of one EPCIS 2.0 JSON-LD event.

    `context` is the document's ``@context`` (or an already resolved
    `Namespaces`); the standard EPCIS prefixes (``gs1``, ``cbv``, ``cbvmda``, …)
    and ``tracer`` are always known.
    """
    ns = resolve_namespaces(context)
    if "@context" in event:
        ns = Namespaces(ns)
        merge_context(ns, event["@context"])
    if not _EXPANSIONS:
        _load_expansions()
    slots: list[str] = [""] * len(_ORDER)
    rest: list[str] = []
    order_index = _ORDER_INDEX
    for k, v in event.items():
        hit = order_index.get(k)
        if hit is not None:
            slots[hit[0]] = hit[1](k, v, ns)
        elif k in _EXCLUDED:
            continue
        elif k in _LINK_BY_NAME:
            if v:
                id_name, kind = _LINK_BY_NAME[k]
                rest.append(_links(k, id_name, kind, v, ns))
        else:
            generic_member(canonical_key(k, ns), v, ns, rest)
    if rest:
        rest.sort()
        return "eventType=" + scalar_text(event.get("type")) + "".join(slots) + "".join(rest)
    return "eventType=" + scalar_text(event.get("type")) + "".join(slots)
