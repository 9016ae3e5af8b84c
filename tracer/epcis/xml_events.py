"""EPCIS 2.0 and 1.2 XML events → EPCIS 2.0 JSON-LD shaped dicts.

The mapping follows the standard's XML ↔ JSON correspondence: list wrappers
become arrays, attributes of ``sensorMetadata`` / ``sensorReport`` and the
``type`` of ``bizTransaction`` / ``source`` / ``destination`` become members,
standard CBV values become their bare JSON names, EPCIS 1.x ``<extension>`` /
``<baseExtension>`` wrappers disappear, and user extension elements become
``prefix:local`` members with their namespaces collected into a JSON-LD
``@context`` fragment.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from lxml import etree

from tracer.epcis.vocab import STANDARD_PREFIXES, vocabularies
from tracer.model import TRACER_NS, TRACER_PREFIX

EVENT_TYPES = frozenset(
    {
        "ObjectEvent",
        "AggregationEvent",
        "TransformationEvent",
        "TransactionEvent",
        "AssociationEvent",
        "QuantityEvent",
    }
)
_WRAPPERS = frozenset({"extension", "baseExtension"})
_SIMPLE = frozenset(
    {
        "eventTime",
        "recordTime",
        "eventTimeZoneOffset",
        "eventID",
        "parentID",
        "action",
        "transformationID",
        "certificationInfo",
    }
)
_EPC_LISTS = frozenset({"epcList", "childEPCs", "inputEPCList", "outputEPCList"})
_QTY_LISTS = frozenset(
    {"quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"}
)
_LINK_LISTS = {
    "bizTransactionList": ("bizTransaction", "bizTransactionType"),
    "sourceList": ("source", "sourceDestType"),
    "destinationList": ("destination", "sourceDestType"),
}
_NUMERIC_REPORT = frozenset(
    {"value", "minValue", "maxValue", "meanValue", "sDev", "percRank", "percValue"}
)
_REPORT_VOCAB = {
    "type": "measurementType",
    "exception": "sensorAlertType",
    "component": "component",
}
# prefixes that would read as URI schemes or clash with the standard ones
_RESERVED = frozenset({"http", "https", "urn", "geo", "ni", "mailto", "tag", "did"})


_XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"


def number(text: str) -> int | float | str:
    t = text.strip()
    try:
        f = float(t)
    except ValueError:
        return t
    if f.is_integer() and "e" not in t.lower() and "." not in t and abs(f) < 2**53:
        return int(f)
    return f


class Prefixes:
    """Namespace → prefix for extension members, collected as a JSON-LD context."""

    def __init__(self, clark: bool = False) -> None:
        # clark=True: write extension keys as "{namespace}local" (for hashing)
        self.clark = clark
        # tracer's own namespace reads as tracer: whatever the document calls it (older
        # exports say ns0:), so that the importer's fast path takes the document
        self.by_ns: dict[str, str] = {v: k for k, v in STANDARD_PREFIXES.items()}
        self.by_ns[TRACER_NS] = TRACER_PREFIX
        self.used: dict[str, str] = {}  # prefix → ns (extension namespaces seen)
        self.version = 0  # bumped whenever `used` grows

    def prefix(self, ns: str, suggested: str | None) -> str:
        p = self.by_ns.get(ns)
        if p is not None:
            if p not in STANDARD_PREFIXES and p not in self.used:
                self.used[p] = ns
                self.version += 1
            return p
        taken = set(STANDARD_PREFIXES) | set(self.used) | _RESERVED | {TRACER_PREFIX}
        cand = suggested if suggested and suggested not in taken else None
        i = 1
        while cand is None or cand in taken:
            cand = f"ext{i}"
            i += 1
        self.by_ns[ns] = cand
        self.used[cand] = ns
        self.version += 1
        return cand

    def context(self) -> dict[str, str]:
        return dict(self.used)


class _Q(NamedTuple):
    namespace: str | None
    localname: str


_QCACHE: dict[str, _Q] = {}


def _qn(x: Any) -> _Q:
    """(namespace, local name) of an element or a Clark-notation name, cached."""
    tag = x if isinstance(x, str) else x.tag
    q = _QCACHE.get(tag)
    if q is None:
        if tag[:1] == "{":
            ns, _, local = tag[1:].partition("}")
            q = _Q(ns, local)
        else:
            q = _Q(None, tag)
        if len(_QCACHE) < 20_000:
            _QCACHE[tag] = q
    return q


def _local(el: etree._Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return _qn(tag).localname


def _text(el: etree._Element) -> str:
    return (el.text or "").strip()


def _children(el: etree._Element) -> Iterator[etree._Element]:
    """Child elements, with EPCIS 1.x extension wrappers flattened."""
    for c in el:
        tag = c.tag
        if type(tag) is not str:
            continue  # comments, processing instructions
        if tag in _WRAPPERS:  # un-namespaced: the tag is the bare local name
            yield from _children(c)
        else:
            yield c


def _ext_key(el_or_name: Any, prefixes: Prefixes, suggested: str | None = None) -> str:
    q = _qn(el_or_name)
    if q.namespace is None:
        return q.localname
    if prefixes.clark:
        return "{" + q.namespace + "}" + q.localname
    return prefixes.prefix(q.namespace, suggested) + ":" + q.localname


def _generic(el: etree._Element, prefixes: Prefixes) -> Any:
    """An extension element → str (leaf) or dict of its members."""
    kids = list(_children(el))
    attrs = [
        (k, v)
        for k, v in el.attrib.items()
        if _qn(k).namespace != "http://www.w3.org/2001/XMLSchema-instance"
    ]
    if not kids and not attrs:
        return _text(el)
    out: dict[str, Any] = {}
    for k, v in attrs:
        _add(out, _ext_key(k, prefixes, _prefix_of(el, _qn(k).namespace)), v)
    for c in kids:
        _add(out, _ext_key(c, prefixes, c.prefix), _generic(c, prefixes))
    if _text(el) and kids == []:
        out["#text"] = _text(el)
    return out


def _add(obj: dict[str, Any], key: str, value: Any) -> None:
    if key in obj:
        prev = obj[key]
        if isinstance(prev, list):
            prev.append(value)
        else:
            obj[key] = [prev, value]
    else:
        obj[key] = value


def _attrs_obj(el: etree._Element, prefixes: Prefixes, report: bool) -> dict[str, Any]:
    voc = vocabularies()
    out: dict[str, Any] = {}
    for k, v in el.attrib.items():
        q = _qn(k)
        if q.namespace is not None:
            out[_ext_key(k, prefixes, _prefix_of(el, q.namespace))] = v
            continue
        name = q.localname
        if report and name in _REPORT_VOCAB:
            out[name] = voc[_REPORT_VOCAB[name]].short(v.strip())
        elif report and name in _NUMERIC_REPORT:
            out[name] = number(v)
        elif report and name == "booleanValue":
            out[name] = v.strip() in ("true", "1")
        else:
            out[name] = v.strip()
    for c in _children(el):
        _add(out, _ext_key(c, prefixes, c.prefix), _generic(c, prefixes))
    return out


def _prefix_of(el: etree._Element, ns: str | None) -> str | None:
    if ns is None:
        return None
    for p, u in el.nsmap.items():
        if u == ns and p:
            return p
    return None


def event_to_dict(el: etree._Element, prefixes: Prefixes) -> dict[str, Any]:
    """One XML event element → EPCIS 2.0 JSON-LD event dict."""
    voc = vocabularies()
    ev: dict[str, Any] = {"type": _local(el)}
    for c in _children(el):
        q = _qn(c)
        name = q.localname
        if q.namespace is not None:
            _add(ev, _ext_key(c, prefixes, c.prefix), _generic(c, prefixes))
        elif name in _SIMPLE:
            ev[name] = _text(c)
        elif name in ("bizStep", "disposition"):
            ev[name] = voc[name].short(_text(c))
        elif name in _EPC_LISTS:
            ev[name] = [_text(e) for e in _children(c)]
        elif name in _QTY_LISTS:
            ev[name] = [_quantity(qe, prefixes) for qe in _children(c)]
        elif name in ("readPoint", "bizLocation"):
            point: dict[str, Any] = {}
            for p in _children(c):
                if _qn(p).namespace is None and _local(p) == "id":
                    point["id"] = _text(p)
                else:
                    _add(point, _ext_key(p, prefixes, p.prefix), _generic(p, prefixes))
            ev[name] = point
        elif name in _LINK_LISTS:
            item_name, kind = _LINK_LISTS[name]
            items = []
            for link in _children(c):
                d: dict[str, Any] = {}
                t = link.get("type")
                if t is not None:
                    d["type"] = voc[kind].short(t.strip())
                d[item_name] = _text(link)
                items.append(d)
            ev[name] = items
        elif name == "persistentDisposition":
            pd: dict[str, Any] = {}
            for p in _children(c):
                pname = _local(p)
                if _qn(p).namespace is None and pname in ("set", "unset"):
                    pd.setdefault(pname, []).append(voc["disposition"].short(_text(p)))
                else:
                    _add(pd, _ext_key(p, prefixes, p.prefix), _generic(p, prefixes))
            ev[name] = pd
        elif name == "sensorElementList":
            ev[name] = [_sensor_element(se, prefixes) for se in _children(c)]
        elif name == "ilmd":
            ilmd: dict[str, Any] = {}
            for p in _children(c):
                _add(ilmd, _ext_key(p, prefixes, p.prefix), _generic(p, prefixes))
            ev[name] = ilmd
        elif name == "errorDeclaration":
            ev[name] = _error_declaration(c, prefixes)
        elif name == "quantity" and ev["type"] == "QuantityEvent":
            ev[name] = number(_text(c))
        else:  # unknown un-namespaced element: keep it verbatim
            _add(ev, name, _generic(c, prefixes))
    return ev


def _quantity(qe: etree._Element, prefixes: Prefixes) -> dict[str, Any]:
    d: dict[str, Any] = {}
    for p in _children(qe):
        q = _qn(p)
        if q.namespace is None and q.localname == "quantity":
            if _text(p) and p.get(_XSI_NIL) not in ("true", "1"):
                d["quantity"] = number(_text(p))
        elif q.namespace is None and q.localname in ("epcClass", "uom"):
            d[q.localname] = _text(p)
        else:
            _add(d, _ext_key(p, prefixes, p.prefix), _generic(p, prefixes))
    return d


def _sensor_element(se: etree._Element, prefixes: Prefixes) -> dict[str, Any]:
    d: dict[str, Any] = {}
    for p in _children(se):
        q = _qn(p)
        if q.namespace is None and q.localname in ("sensorMetadata", "sensorMetaData"):
            d["sensorMetadata"] = _attrs_obj(p, prefixes, report=False)
        elif q.namespace is None and q.localname == "sensorReport":
            d.setdefault("sensorReport", []).append(_attrs_obj(p, prefixes, report=True))
        else:
            _add(d, _ext_key(p, prefixes, p.prefix), _generic(p, prefixes))
    return d


def _error_declaration(el: etree._Element, prefixes: Prefixes) -> dict[str, Any]:
    voc = vocabularies()
    d: dict[str, Any] = {}
    for p in _children(el):
        q = _qn(p)
        if q.namespace is not None:
            _add(d, _ext_key(p, prefixes, p.prefix), _generic(p, prefixes))
        elif q.localname == "reason":
            d["reason"] = voc["errorReason"].short(_text(p))
        elif q.localname == "correctiveEventIDs":
            d["correctiveEventIDs"] = [_text(x) for x in _children(p)]
        else:
            d[q.localname] = _text(p)
    return d


def wrapper_depth(el: etree._Element, event_list: etree._Element | None = None) -> int | None:
    """How many EPCIS 1.x ``<extension>`` wrappers sit between an event and its EventList."""
    depth = 0
    parent = el.getparent()
    while parent is not None and _local(parent) == "extension":
        depth += 1
        parent = parent.getparent()
    if parent is None:
        return None
    if event_list is not None:
        return depth if parent is event_list else None
    return depth if _local(parent) == "EventList" else None


def vocabulary_from_xml(el: etree._Element) -> dict[str, Any]:
    """<Vocabulary type=…> → the EPCIS 2.0 JSON vocabulary object."""
    elements = []
    for vel in el.iter("VocabularyElement"):
        d: dict[str, Any] = {"id": (vel.get("id") or "").strip()}
        attrs = []
        for a in vel.iterchildren("attribute"):
            kids = [c for c in a if isinstance(c.tag, str)]
            value: Any = _generic(a, Prefixes(clark=True)) if kids else _text(a)
            if isinstance(value, dict):
                value.pop("id", None)
            attrs.append({"id": (a.get("id") or "").strip(), "attribute": value})
        if attrs:
            d["attributes"] = attrs
        children = [_text(c) for ch in vel.iterchildren("children") for c in ch]
        if children:
            d["children"] = children
        elements.append(d)
    return {"type": (el.get("type") or "").strip(), "vocabularyElementList": elements}


EVENT_TAGS = tuple(f"{{*}}{t}" for t in sorted(EVENT_TYPES))  # for lxml's `tag` filters
_STREAMED_TAGS = (*EVENT_TAGS, "{*}Vocabulary")


def _in_event(el: etree._Element) -> bool:
    return any(_local(a) in EVENT_TYPES for a in el.iterancestors())


def iter_xml_events(
    source: Any, prefixes: Prefixes, vocabularies: list[dict[str, Any]] | None = None
) -> Iterator[dict[str, Any]]:
    """Stream the events of an EPCIS XML document (file path or file object).

    Master data (``VocabularyList`` in the header or the body of a master-data
    document) is appended to `vocabularies` as it is met. The parser hands
    only event and Vocabulary elements to Python (lxml's `tag` filter): a
    1 KB event has some 25 elements, and a start and an end callback for
    each took more time than the event's conversion.
    """
    for _, el in etree.iterparse(
        source, events=("end",), tag=_STREAMED_TAGS, huge_tree=True, remove_comments=True
    ):
        if _local(el) == "Vocabulary":
            if vocabularies is not None and not _in_event(el):
                vocabularies.append(vocabulary_from_xml(el))
                el.clear()
            continue
        if wrapper_depth(el) is not None:
            yield event_to_dict(el, prefixes)
            el.clear()
            # free the processed siblings
            while el.getprevious() is not None:
                del el.getparent()[0]


def read_xml_events(
    path: str | Path, clark: bool = False
) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """All events of an XML document, and the @context fragment for their extensions."""
    prefixes = Prefixes(clark)
    events = list(iter_xml_events(str(path), prefixes))
    return prefixes.context(), events
