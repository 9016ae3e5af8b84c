"""The EPCIS 2.0 event hash ID (CBV 2.0 §8.9 / EPCIS 2.0 "Event hash ID").

An event's hash is ``ni:///sha-256;<hex>?ver=CBV2.0`` over its *pre-hash
string*: the event's fields in the canonical property order, each ``key=value``
(lists sorted, timestamps in UTC with milliseconds, numbers without trailing
zeros, CBV values as web URIs, EPC URNs and GS1 Digital Link URIs as
constrained canonical Digital Link URIs, CURIEs expanded, extension elements as
``{namespace}local`` sorted at the end). ``recordTime``, ``eventID``,
``errorDeclaration`` and comments do not take part.

This reproduces the reference implementation (github.com/RalphTro/
epcis-event-hash-generator, MIT) on its published test vectors, including
its choices where the prose is silent: ``certificationInfo`` and ``parentID``
come before the EPC lists, and ``bizTransactionList`` / ``sourceList`` /
``destinationList`` / ``ilmd`` are sorted together with the user extensions
(each entry ``type=…`` first, then the id).

The JSON path works directly on the EPCIS 2.0 JSON-LD event dict (as it
appears in ``epcisBody.eventList``); XML documents are first read into the
same shape (`tracer.epcis.xml_events`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from tracer.epcis._digital_link import normalise as _dl_normalise
from tracer.epcis.vocab import STANDARD_PREFIXES, expansion_table
from tracer.model import TRACER_NS, TRACER_PREFIX

HASH_PREFIX = "ni:///sha-256;"
HASH_SUFFIX = "?ver=CBV2.0"

Context = Any  # a JSON-LD @context (str | dict | list) or a prefix → namespace mapping


class Namespaces(dict[str, str]):
    """Resolved prefix → namespace IRI mapping, with a memo of canonical values."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.memo: dict[str, str] = {}
        self._custom: dict[str, str] | None = None

    def custom(self) -> dict[str, str]:
        """The prefixes that differ from (or add to) the standard ones."""
        if self._custom is None:
            self._custom = {p: u for p, u in self.items() if DEFAULT_NAMESPACES.get(p) != u}
        return self._custom


DEFAULT_NAMESPACES = Namespaces({**STANDARD_PREFIXES, TRACER_PREFIX: TRACER_NS})


def resolve_namespaces(context: Context = None) -> Namespaces:
    """Prefix → namespace IRI for a document's @context (standard prefixes included)."""
    if context is None:
        return DEFAULT_NAMESPACES
    if isinstance(context, Namespaces):
        return context
    ns = Namespaces(DEFAULT_NAMESPACES)
    _merge_context(ns, context)
    return ns


def _merge_context(ns: dict[str, str], context: Any) -> None:
    if isinstance(context, Mapping):
        for k, v in context.items():
            if isinstance(v, str) and not k.startswith("@") and not v.startswith("@"):
                ns[k] = v
            elif isinstance(v, Mapping) and isinstance(v.get("@id"), str) and v.get("@prefix"):
                ns[k] = v["@id"]
    elif isinstance(context, list | tuple):
        for c in context:
            _merge_context(ns, c)


# ---------------------------------------------------------------------------
# values

_WEB_VOCAB = (
    ("urn:epcglobal:cbv:bizstep:", "https://ref.gs1.org/cbv/BizStep-"),
    ("urn:epcglobal:cbv:disp:", "https://ref.gs1.org/cbv/Disp-"),
    ("urn:epcglobal:cbv:btt:", "https://ref.gs1.org/cbv/BTT-"),
    ("urn:epcglobal:cbv:sdt:", "https://ref.gs1.org/cbv/SDT-"),
    ("urn:epcglobal:cbv:er:", "https://ref.gs1.org/cbv/ER-"),
)


def _canon(text: str) -> str:
    """A value's canonical form: CBV URN → web URI, numbers trimmed, GS1 keys → Digital Link."""
    if "urn:epcglobal:cbv:" in text:
        for urn, web in _WEB_VOCAB:
            text = text.replace(urn, web)
    c0 = text[:1]
    if c0.isdigit() or c0 in "+-.inINs _":
        # the reference trims numbers through a binary float: same quirks on purpose
        try:
            number = float(text)
            text = str(int(number)) if int(number) == number else str(number)
        except (ValueError, OverflowError):
            pass
    dl = _dl_normalise(text)
    return dl if dl is not None else text


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return ""
    return str(value).strip()


def _value(value: Any, ns: Namespaces) -> str:
    """Canonical text of a scalar JSON value ('' if empty); CURIEs expanded."""
    if type(value) is str:
        memo = ns.memo
        out = memo.get(value)
        if out is None:
            out = _value_uncached(value, ns)
            if len(memo) > 250_000:
                memo.clear()
            memo[value] = out
        return out
    return _value_uncached(value, ns)


def _value_uncached(value: Any, ns: Namespaces) -> str:
    text = _scalar(value)
    if not text:
        return ""
    colon = text.find(":")
    if colon > 0:
        uri = ns.get(text[:colon])
        if uri is not None:
            text = uri + text[colon + 1 :]
    return _canon(text)


_TS = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(?:[.,](\d+))?\s*(Z|z|[+-]\d\d(?::?\d\d)?)?$"
)


@lru_cache(maxsize=4096)
def _offset(spec: str) -> timedelta:
    sign = -1 if spec[0] == "-" else 1
    digits = spec[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + (int(digits[2:4]) if len(digits) > 2 else 0)
    return timedelta(minutes=sign * minutes)


_ZERO = timedelta(0)
_HOURS: dict[tuple[str, str, str, str, timedelta], str] = {}


def canonical_time(value: Any) -> str:
    """UTC, millisecond precision (4th decimal rounds half up), 'Z'."""
    text = _scalar(value)
    m = _TS.match(text)
    if m is None:
        return _canon(text) if text else text
    y, mo, d, h, mi, s, frac, tz = m.groups()
    ms = 0
    if frac:
        ms = int(frac[:3].ljust(3, "0"))
        if len(frac) > 3 and frac[3] >= "5":
            ms += 1
    off = _ZERO if tz is None or tz in "Zz" else _offset(tz)
    if ms < 1000:
        if off is _ZERO:
            return f"{y}-{mo}-{d}T{h}:{mi}:{s}.{ms:03d}Z"
        if off.seconds % 3600 == 0:
            # whole-hour offset: only the date and hour move
            key = (y, mo, d, h, off)
            hour = _HOURS.get(key)
            if hour is None:
                t = datetime(int(y), int(mo), int(d), int(h)) - off
                hour = f"{t.year:04d}-{t.month:02d}-{t.day:02d}T{t.hour:02d}"
                if len(_HOURS) > 100_000:
                    _HOURS.clear()
                _HOURS[key] = hour
            return f"{hour}:{mi}:{s}.{ms:03d}Z"
    t = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s)) - off
    if ms:
        t += timedelta(milliseconds=ms)
    return (
        f"{t.year:04d}-{t.month:02d}-{t.day:02d}T{t.hour:02d}:{t.minute:02d}:{t.second:02d}."
        f"{t.microsecond // 1000:03d}Z"
    )


# ---------------------------------------------------------------------------
# keys, generic (extension) elements

_IGNORED = frozenset({"#text", "rdfs:comment", "comment", "@context"})


def _key(key: str, ns: Namespaces) -> str:
    """``prefix:local`` → ``{namespace}local`` when the prefix is known."""
    colon = key.find(":")
    if colon > 0:
        uri = ns.get(key[:colon])
        if uri is not None:
            return "{" + uri + "}" + key[colon + 1 :]
    return key


def _generic(key: str, value: Any, ns: Namespaces, out: list[str]) -> None:
    """Pre-hash strings of one (extension) member; lists give one entry per item."""
    if isinstance(value, list | tuple):
        for item in value:
            _generic(key, item, ns, out)
        return
    if isinstance(value, Mapping):
        text = _value(value["#text"], ns) if "#text" in value else ""
        out.append(key + ("=" + text if text else "") + _generic_children(value, ns))
        return
    text = _value(value, ns)
    out.append(key + "=" + text if text else key)


def _generic_children(obj: Mapping[str, Any], ns: Namespaces) -> str:
    parts: list[str] = []
    for k, v in obj.items():
        if k not in _IGNORED:
            _generic(_key(k, ns), v, ns, parts)
    parts.sort()
    return "".join(parts)


def _extensions(obj: Mapping[str, Any], known: frozenset[str], ns: Namespaces) -> str:
    """Sorted pre-hash strings of the members of `obj` that the standard does not define."""
    parts: list[str] = []
    for k, v in obj.items():
        if k not in known and k not in _IGNORED:
            _generic(_key(k, ns), v, ns, parts)
    if not parts:
        return ""
    parts.sort()
    return "".join(parts)


# ---------------------------------------------------------------------------
# standard fields

_QE_KNOWN = frozenset({"epcClass", "quantity", "uom"})
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

# event members handled in the canonical order, or excluded from the hash
_EVENT_KNOWN = frozenset(
    {
        "type",
        "eventTime",
        "eventTimeZoneOffset",
        "certificationInfo",
        "parentID",
        "epcList",
        "inputEPCList",
        "childEPCs",
        "quantityList",
        "childQuantityList",
        "inputQuantityList",
        "outputEPCList",
        "outputQuantityList",
        "action",
        "transformationID",
        "bizStep",
        "disposition",
        "persistentDisposition",
        "readPoint",
        "bizLocation",
        "sensorElementList",
        # excluded
        "recordTime",
        "eventID",
        "errorDeclaration",
    }
)
_LINK_LISTS = (
    ("bizTransactionList", "bizTransaction", "bizTransactionType"),
    ("sourceList", "source", "sourceDestType"),
    ("destinationList", "destination", "sourceDestType"),
)
_LINK_LIST_NAMES = frozenset(name for name, _, _ in _LINK_LISTS)


def _as_list(value: Any) -> Iterable[Any]:
    if value is None:
        return ()
    if isinstance(value, list | tuple):
        return value
    return (value,)


def _epcs(name: str, values: Any, ns: Namespaces) -> str:
    items = [v for v in (_value(x, ns) for x in _as_list(values)) if v]
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
                v = _value(qe[field], ns)
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
    return _value(value, ns)


def _point(name: str, value: Any, ns: Namespaces) -> str:
    if isinstance(value, Mapping):
        s = ""
        if "id" in value:
            v = _value(value["id"], ns)
            if v:
                s = "id=" + v
        if len(value) > 1:
            s += _extensions(value, _POINT_KNOWN, ns)
    else:
        v = _value(value, ns)
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
                v = _value(raw, ns)
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
            v = _value(link.get(id_name), ns)
            s += id_name + "=" + v if v else id_name
            if len(link) > 2 or not known.issuperset(link):
                s += _extensions(link, known, ns)
        else:
            v = _value(link, ns)
            s = id_name + "=" + v if v else id_name
        items.append(s)
    items.sort()
    return list_name + "".join(items)


def _simple(name: str, value: Any, ns: Namespaces) -> str:
    v = _value(value, ns)
    return name + "=" + v if v else ""


def _time(name: str, value: Any, ns: Namespaces) -> str:
    v = canonical_time(value)
    return name + "=" + v if v else ""


def _certification(name: str, value: Any, ns: Namespaces) -> str:
    items = sorted(x for x in (_value(c, ns) for c in _as_list(value)) if x)
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
_LINK_BY_NAME = {name: (id_name, kind) for name, id_name, kind in _LINK_LISTS}
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
        _merge_context(ns, event["@context"])
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
            _generic(_key(k, ns), v, ns, rest)
    if rest:
        rest.sort()
        return "eventType=" + _scalar(event.get("type")) + "".join(slots) + "".join(rest)
    return "eventType=" + _scalar(event.get("type")) + "".join(slots)


def hash_prehash(pre: str) -> str:
    return HASH_PREFIX + hashlib.sha256(pre.encode("utf-8")).hexdigest() + HASH_SUFFIX


def event_hash(event: Mapping[str, Any], context: Context = None) -> str:
    """``ni:///sha-256;…?ver=CBV2.0`` of one EPCIS 2.0 JSON-LD event."""
    return (
        HASH_PREFIX
        + hashlib.sha256(prehash(event, context).encode("utf-8")).hexdigest()
        + HASH_SUFFIX
    )


# ---------------------------------------------------------------------------
# documents


def _json_document_events(doc: Mapping[str, Any]) -> tuple[Context, list[Mapping[str, Any]]]:
    context = doc.get("@context")
    body = doc.get("epcisBody")
    if isinstance(body, Mapping):
        if "eventList" in body:
            return context, list(body["eventList"] or [])
        if "queryResults" in body:
            return context, list(body["queryResults"]["resultsBody"]["eventList"] or [])
        if "event" in body:
            return context, [body["event"]]
    if doc.get("type") in (
        "ObjectEvent",
        "AggregationEvent",
        "TransformationEvent",
        "TransactionEvent",
        "AssociationEvent",
    ):
        return context, [doc]
    raise ValueError("not an EPCIS document: no epcisBody.eventList / queryResults / event")


def document_prehashes(path: str | Path) -> list[str]:
    """Pre-hash strings of every event of an EPCIS JSON(-LD) or XML document, in order."""
    p = Path(path)
    events: list[Mapping[str, Any]]
    with open(p, "rb") as fh:
        head = fh.read(512).lstrip()
    if head.startswith(b"<") or p.suffix.lower() == ".xml":
        from tracer.epcis.xml_events import read_xml_events

        # XML is read into the JSON-LD shape the importer uses (extension
        # prefixes collected into a context), so an XML document, its import
        # and its JSON-LD export hash alike.
        context, xml_events = read_xml_events(p)
        events = list(xml_events)
    else:
        with open(p, encoding="utf-8") as fh:
            doc = json.load(fh)
        context, events = _json_document_events(doc)
    ns = resolve_namespaces(context)
    return [prehash(e, ns) for e in events]


def document_hashes(path: str | Path) -> list[str]:
    """Event hash IDs of every event of an EPCIS JSON(-LD) or XML document, in order."""
    return [hash_prehash(p) for p in document_prehashes(path)]
