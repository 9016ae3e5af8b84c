"""`tracer export`: the ledger (or a query of it) as an EPCIS 2.0 JSON-LD or XML document.

Events are read from the ledger page by page and written as they come (the
body goes to a temporary file first), so memory stays bounded; the header
then gets the master data of the locations and products the events mention,
and the document context the extension prefixes they use.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tracer.epcis.codec import event_to_epcis, format_time
from tracer.epcis.masterdata import vocabulary_list
from tracer.epcis.source_ids import key_of, source_ids
from tracer.model import TRACER_NS, TRACER_PREFIX, Event

EPCIS_CONTEXT_URL = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
PAGE = 5_000
FORMATS = ("epcis-json", "epcis-xml")

_SGTIN = re.compile(r"^urn:epc:id:sgtin:(\d+)\.(\d+)\.")


@dataclass
class ExportReport:
    path: str
    format: str
    events: int = 0
    locations: int = 0
    classes: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "format": self.format,
            "events": self.events,
            "master_data": {"locations": self.locations, "classes": self.classes},
            "seconds": round(self.seconds, 3),
        }


def iter_ledger_events(ledger: Any, query: Any = None, page: int = PAGE) -> Iterator[Any]:
    """Stored events matching `query`, in ledger order, a page at a time."""
    from tracer.ledger import EventQuery

    q = query or EventQuery()
    after = q.after_seq
    remaining = q.limit
    while True:
        n = page if remaining is None else min(page, remaining)
        if n <= 0:
            return
        rows = list(ledger.events(replace(q, after_seq=after, limit=n, newest_first=False)))
        if not rows:
            return
        yield from rows
        after = rows[-1].seq
        if remaining is not None:
            remaining -= len(rows)
        if len(rows) < n:
            return


class _Mentions:
    """Locations and EPC classes the exported events name."""

    def __init__(self) -> None:
        self.locations: set[str] = set()
        self.classes: set[str] = set()

    def add(self, e: Event) -> None:
        for loc in (e.read_point, e.biz_location):
            if loc:
                self.locations.add(loc)
        for link in (*e.sources, *e.destinations):
            if link.type == "location":
                self.locations.add(link.id)
        for ident in e.identifiers():
            i = ident.id
            if i.startswith("urn:epc:class:") or i.startswith("urn:epc:idpat:"):
                self.classes.add(i)
            else:
                m = _SGTIN.match(i)
                if m:
                    self.classes.add(f"urn:epc:idpat:sgtin:{m.group(1)}.{m.group(2)}.*")


_SCHEMES = frozenset({"urn", "http", "https", "geo", "ni", "mailto", "tag", "did", "data"})


def _prefixes_used(obj: Any, out: set[str]) -> None:
    """Every `p` of a `p:…` key or string value (CURIE candidates)."""
    if isinstance(obj, str):
        c = obj.find(":")
        if 0 < c < 40 and obj[:c] not in _SCHEMES and obj[c + 1 : c + 2] != "/":
            out.add(obj[:c])
    elif isinstance(obj, Mapping):
        for k, v in obj.items():
            c = k.find(":")
            if c > 0:
                out.add(k[:c])
            _prefixes_used(v, out)
    elif isinstance(obj, list | tuple):
        for v in obj:
            _prefixes_used(v, out)


class _Contexts:
    """Decides which extension prefixes the document-level @context can declare.

    Events keep their own @context (so each means exactly what it meant when it
    was recorded); a prefix is also declared for the whole document when every
    event that defines it agrees and no event uses it undefined.
    """

    def __init__(self) -> None:
        self.defined: dict[str, set[str]] = {}
        self.undefined: set[str] = set()

    def add(self, d: Mapping[str, Any]) -> None:
        local = d.get("@context")
        local = local if isinstance(local, Mapping) else {}
        for p, u in local.items():
            if isinstance(u, str):
                self.defined.setdefault(p, set()).add(u)
        used: set[str] = set()
        _prefixes_used({k: v for k, v in d.items() if k != "@context"}, used)
        self.undefined |= {p for p in used if p not in local}

    def document_context(self) -> dict[str, str]:
        from tracer.epcis.event_hash import DEFAULT_NAMESPACES

        ctx = {TRACER_PREFIX: TRACER_NS}
        for p, uris in sorted(self.defined.items()):
            if len(uris) != 1 or p in ctx:
                continue
            u = next(iter(uris))
            if p not in self.undefined or DEFAULT_NAMESPACES.get(p) == u:
                ctx[p] = u
        return ctx


def export(
    ledger: Any,
    out: str | Path,
    *,
    fmt: str = "epcis-json",
    query: Any = None,
    progress: Callable[[int], None] | None = None,
    master_data: bool = True,
) -> ExportReport:
    """Write the events matching `query` (all by default) as one EPCIS 2.0 document."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    t0 = time.perf_counter()
    out = Path(out)
    report = ExportReport(str(out), fmt)
    mentions = _Mentions()
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, body_path = tempfile.mkstemp(prefix=".tracer-export-", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as body:
            if fmt == "epcis-json":
                context = _json_body(ledger, query, body, mentions, report, progress)
            else:
                context = _xml_body(ledger, query, body, mentions, report, progress)
        vocab = (
            vocabulary_list(ledger.connection, mentions.locations, mentions.classes)
            if master_data
            else []
        )
        for v in vocab:
            n = len(v["vocabularyElementList"])
            if v["type"].endswith("EPCClass"):
                report.classes += n
            else:
                report.locations += n
        tmp_out = out.with_name(f".{out.name}.partial")
        with open(tmp_out, "wb") as fh, open(body_path, "rb") as body_in:
            if fmt == "epcis-json":
                _json_document(fh, body_in, context, vocab)
            else:
                _xml_document(fh, body_in, context, vocab)
        os.replace(tmp_out, out)
    finally:
        if os.path.exists(body_path):
            os.unlink(body_path)
    report.seconds = time.perf_counter() - t0
    return report


def _exported_events(
    ledger: Any,
    query: Any,
    mentions: _Mentions,
    report: ExportReport,
    progress: Callable[[int], None] | None,
) -> Iterator[dict[str, Any]]:
    """Each matching event as its EPCIS dict; counted (and progress told) once it is written.

    An event that came with its own eventID (a partner's) is written with it
    (`tracer.epcis.source_ids`): the partner gets their ids back, and the hash,
    which leaves eventID out, is the same on a re-import.
    """
    for page in _pages(iter_ledger_events(ledger, query)):
        given = source_ids(ledger, [key_of(s.event) for s in page])
        for stored in page:
            e = stored.event
            mentions.add(e)
            d = event_to_epcis(e)
            if given:
                own = given.get(key_of(e))
                if own is not None:
                    d["eventID"] = own
            if e.record_time is None and stored.record_time:
                d["recordTime"] = stored.record_time
            yield d
            report.events += 1
            if progress and report.events % 1000 == 0:
                progress(report.events)


def _pages(stored: Iterator[Any]) -> Iterator[list[Any]]:
    page: list[Any] = []
    for s in stored:
        page.append(s)
        if len(page) >= PAGE:
            yield page
            page = []
    if page:
        yield page


def _json_body(
    ledger: Any,
    query: Any,
    body: Any,
    mentions: _Mentions,
    report: ExportReport,
    progress: Callable[[int], None] | None,
) -> dict[str, str]:
    contexts = _Contexts()
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    first = True
    for d in _exported_events(ledger, query, mentions, report, progress):
        contexts.add(d)
        body.write((b"" if first else b",\n") + dumps(d).encode("utf-8"))
        first = False
    return contexts.document_context()


def _json_document(
    fh: Any, body: Any, context: dict[str, str], vocab: list[dict[str, Any]]
) -> None:
    head: dict[str, Any] = {
        "@context": [EPCIS_CONTEXT_URL, context],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": format_time(datetime.now(UTC)),
    }
    if vocab:
        head["epcisHeader"] = {"epcisMasterData": {"vocabularyList": vocab}}
    text = json.dumps(head, ensure_ascii=False, indent=1)
    fh.write(text[:-2].encode("utf-8"))  # drop the closing "\n}"
    fh.write(b',\n "epcisBody": {\n  "eventList": [\n')
    shutil.copyfileobj(body, fh, 1 << 20)
    fh.write(b"\n  ]\n }\n}\n")


def _xml_body(
    ledger: Any,
    query: Any,
    body: Any,
    mentions: _Mentions,
    report: ExportReport,
    progress: Callable[[int], None] | None,
) -> dict[str, str]:
    from lxml import etree

    from tracer.epcis.xml_writer import Namespaces, event_to_xml

    context: dict[str, str] = {TRACER_PREFIX: TRACER_NS}
    used: dict[str, str] = {}
    for d in _exported_events(ledger, query, mentions, report, progress):
        local = d.get("@context")
        ns = Namespaces({**context, **local} if isinstance(local, Mapping) else context)
        el = event_to_xml(d, ns)
        for p, u in ns.used.items():
            if used.get(p, u) == u:
                used[p] = u
        body.write(etree.tostring(el, encoding="utf-8"))
        body.write(b"\n")
    return used


def _xml_document(
    fh: Any, body: Any, namespaces: dict[str, str], vocab: list[dict[str, Any]]
) -> None:
    from lxml import etree

    from tracer.epcis.xml_writer import EPCIS_NS, XSI_NS, Namespaces, vocabulary_to_xml

    nsmap = {"epcis": EPCIS_NS, "xsi": XSI_NS}
    for p, u in namespaces.items():
        if p not in nsmap and u not in nsmap.values():
            nsmap[p] = u
    created = format_time(datetime.now(UTC))
    decls = " ".join(f'xmlns:{p}="{u}"' for p, u in nsmap.items())
    fh.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    fh.write(
        f'<epcis:EPCISDocument {decls} schemaVersion="2.0" creationDate="{created}">\n'.encode()
    )
    if vocab:
        header = etree.Element("EPCISHeader")
        md = etree.SubElement(etree.SubElement(header, "extension"), "EPCISMasterData")
        vl = etree.SubElement(md, "VocabularyList")
        ns = Namespaces(namespaces)
        for v in vocab:
            vl.append(vocabulary_to_xml(v, ns))
        fh.write(etree.tostring(header, encoding="utf-8"))
        fh.write(b"\n")
    fh.write(b"<EPCISBody>\n<EventList>\n")
    shutil.copyfileobj(body, fh, 1 << 20)
    fh.write(b"</EventList>\n</EPCISBody>\n</epcis:EPCISDocument>\n")
