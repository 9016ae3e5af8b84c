"""Reading EPCIS documents: format detection, streaming events, validation.

A `Document` reads one file: EPCIS 2.0 JSON / JSON-LD (document or query
document), EPCIS 2.0 XML or EPCIS 1.2 XML (document, query or master-data
document). Its events come as EPCIS 2.0 JSON-LD shaped dicts together with the
document's ``@context``; its master data as EPCIS 2.0 JSON vocabularies.
Large files stream (ijson / lxml iterparse), so memory stays bounded.
"""

from __future__ import annotations

import copy
import io
import json
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

from lxml import etree

from tracer.epcis.validate import (
    Problem,
    check_json_envelope,
    check_json_event,
    root_namespace,
    xml_schema,
)
from tracer.epcis.xml_events import (
    EVENT_TAGS,
    EVENT_TYPES,
    Prefixes,
    _local,
    iter_xml_events,
    vocabulary_from_xml,
    wrapper_depth,
)
from tracer.errors import TracerError

# below this size a document is read whole (faster); above it, streamed
STREAM_THRESHOLD = int(os.environ.get("TRACER_EPCIS_STREAM_BYTES", 32 * 1024 * 1024))

Progress = Callable[[int], None]  # bytes read so far


class _Counting(io.RawIOBase):
    """A binary reader that reports how many bytes were read."""

    def __init__(self, fh: BinaryIO, progress: Progress | None) -> None:
        self._fh = fh
        self._progress = progress
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        n = self._fh.readinto(b)  # type: ignore[attr-defined]
        self.count += n or 0
        if self._progress is not None and n:
            self._progress(self.count)
        return n or 0

    def read(self, size: int = -1) -> bytes:
        data = self._fh.read(size)
        self.count += len(data)
        if self._progress is not None and data:
            self._progress(self.count)
        return data


def sniff(path: Path) -> str:
    """'json' or 'xml'."""
    with open(path, "rb") as fh:
        head = fh.read(4096)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<"):
        return "xml"
    if text.startswith((b"{", b"[")):
        return "json"
    raise TracerError(f"{path}: neither JSON nor XML")


class Document:
    """One EPCIS document on disk."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.size = self.path.stat().st_size
        self.syntax = sniff(self.path)
        self.streaming = self.size > STREAM_THRESHOLD
        self._doc: dict[str, Any] | None = None
        self._envelope: dict[str, Any] | None = None
        self._event_prefix = "epcisBody.eventList.item"
        self.context: Any = None
        self._ns: Any = None
        self._ns_for: Any = None
        self.vocabularies: list[dict[str, Any]] = []
        self.format = "json"
        if self.syntax == "json":
            self._open_json()
        else:
            ns = root_namespace(str(self.path))
            self.namespace = ns
            self.format = "xml-1.2" if ns.endswith(":xsd:1") else "xml-2.0"

    # -- JSON --------------------------------------------------------------

    def _open_json(self) -> None:
        if not self.streaming:
            with open(self.path, "rb") as fh:
                try:
                    doc = json.loads(fh.read())
                except ValueError as exc:
                    raise TracerError(f"{self.path}: not valid JSON ({exc})") from exc
            if not isinstance(doc, dict):
                raise TracerError(
                    f"{self.path}: not an EPCIS document (top level is not an object)"
                )
            self._doc = doc
            self._envelope = _envelope_of(doc)
        else:
            self._envelope = _streamed_envelope(self.path)
        env = self._envelope
        self.context = env.get("@context")
        if env.get("type") == "EPCISQueryDocument":
            self._event_prefix = "epcisBody.queryResults.resultsBody.eventList.item"
        header = env.get("epcisHeader")
        if isinstance(header, Mapping):
            md = header.get("epcisMasterData")
            if isinstance(md, Mapping):
                self.vocabularies = list(md.get("vocabularyList") or [])

    def _json_events(self, progress: Progress | None = None) -> Iterator[dict[str, Any]]:
        if self._doc is not None:
            body = self._doc.get("epcisBody") or {}
            if "queryResults" in body:
                events = body["queryResults"].get("resultsBody", {}).get("eventList") or []
            else:
                events = body.get("eventList") or []
            yield from events
            if progress:
                progress(self.size)
            return
        import ijson

        with open(self.path, "rb") as raw:
            reader = _Counting(raw, progress)
            yield from ijson.items(
                io.BufferedReader(reader, 1 << 20), self._event_prefix, use_float=True
            )

    def _json_problems(self, progress: Progress | None = None) -> Iterator[Problem]:
        assert self._envelope is not None
        yield from check_json_envelope(self._envelope)
        for i, ev in enumerate(self._json_events(progress)):
            p = check_json_event(ev, i + 1)
            if p is not None:
                yield p

    # -- XML ---------------------------------------------------------------

    def _xml_events(self, progress: Progress | None = None) -> Iterator[dict[str, Any]]:
        prefixes = Prefixes()
        vocabularies: list[dict[str, Any]] = []
        with open(self.path, "rb") as raw:
            reader = io.BufferedReader(_Counting(raw, progress), 1 << 20)
            version = -1
            for ev in iter_xml_events(reader, prefixes, vocabularies):
                if prefixes.version != version:
                    version = prefixes.version
                    self.context = prefixes.context() or None
                yield ev
        self.context = prefixes.context() or None
        self.vocabularies = vocabularies

    def _xml_problems(self, progress: Progress | None = None) -> Iterator[Problem]:
        schema = xml_schema(self.namespace)
        if not self.streaming:
            try:
                tree = etree.parse(str(self.path), etree.XMLParser(huge_tree=True))
            except etree.XMLSyntaxError as exc:
                yield Problem(f"line {exc.lineno}", str(exc))
                return
            if schema.validate(tree):
                return
            starts = _event_lines(tree.getroot())
            for err in schema.error_log:
                yield Problem(_where(starts, err.line), err.message)
            return
        # big file: validate while streaming; on failure, validate event by event
        try:
            with open(self.path, "rb") as raw:
                reader = io.BufferedReader(_Counting(raw, progress), 1 << 20)
                # only event elements come back to Python (cleared: memory stays flat)
                for _, el in etree.iterparse(reader, schema=schema, huge_tree=True, tag=EVENT_TAGS):
                    el.clear()
            return
        except etree.XMLSyntaxError as exc:
            first = Problem(f"line {exc.lineno}", str(exc))
        found = False
        for p in _xml_problems_by_event(self.path, schema):
            found = True
            yield p
        if not found:
            yield first

    # -- common ------------------------------------------------------------

    @property
    def namespaces(self) -> Any:
        """`self.context` resolved (cached while the context stays the same)."""
        from tracer.epcis.event_hash import resolve_namespaces

        if self._ns_for is not self.context or self._ns is None:
            self._ns = resolve_namespaces(self.context)
            self._ns_for = self.context
        return self._ns

    def events(self, progress: Progress | None = None) -> Iterator[dict[str, Any]]:
        """The events as EPCIS 2.0 JSON-LD dicts (``self.context`` applies)."""
        if self.syntax == "json":
            return self._json_events(progress)
        return self._xml_events(progress)

    def problems(self, progress: Progress | None = None) -> Iterator[Problem]:
        """Every schema violation, each with the event it is in."""
        if self.syntax == "json":
            return self._json_problems(progress)
        return self._xml_problems(progress)

    def read_master_data(self) -> list[dict[str, Any]]:
        """The master data (for XML it is met while reading; read it here on its own)."""
        if self.syntax == "json":
            return self.vocabularies
        vocabularies: list[dict[str, Any]] = []
        for _, el in etree.iterparse(str(self.path), events=("end",), huge_tree=True):
            name = _local(el)
            if name == "Vocabulary":
                vocabularies.append(vocabulary_from_xml(el))
                el.clear()
            elif name in EVENT_TYPES:
                el.clear()
        self.vocabularies = vocabularies
        return vocabularies


def _envelope_of(doc: Mapping[str, Any]) -> dict[str, Any]:
    env = dict(doc)
    body = env.get("epcisBody")
    if isinstance(body, Mapping):
        body = dict(body)
        if "eventList" in body:
            body["eventList"] = []
        qr = body.get("queryResults")
        if isinstance(qr, Mapping) and isinstance(qr.get("resultsBody"), Mapping):
            qr = dict(qr)
            qr["resultsBody"] = {**qr["resultsBody"], "eventList": []}
            body["queryResults"] = qr
        env["epcisBody"] = body
    return env


def _streamed_envelope(path: Path) -> dict[str, Any]:
    """Top-level members before ``epcisBody`` of a big JSON document.

    Producers (tracer included) write the header first; members after the
    body of a streamed document are not read.
    """
    import ijson

    env: dict[str, Any] = {}
    with open(path, "rb") as fh:
        parser = ijson.parse(fh, use_float=True)
        for prefix, event, value in parser:
            if prefix == "" and event == "map_key":
                if value == "epcisBody":
                    break
                env[value] = _build(parser)
    if env.get("type") == "EPCISQueryDocument":
        body: dict[str, Any] = {
            "queryResults": {"queryName": "SimpleEventQuery", "resultsBody": {"eventList": []}}
        }
    else:
        body = {"eventList": []}
    env["epcisBody"] = body
    return env


def _build(parser: Any) -> Any:
    from ijson.common import ObjectBuilder

    builder = ObjectBuilder()
    depth = 0
    for _prefix, event, value in parser:
        builder.event(event, value)
        if event in ("start_map", "start_array"):
            depth += 1
        elif event in ("end_map", "end_array"):
            depth -= 1
        if depth == 0:
            break
    return builder.value


def _event_lines(root: etree._Element) -> list[tuple[int, int]]:
    """(first line, event number) of every event element, in document order."""
    out: list[tuple[int, int]] = []
    n = 0
    for el in root.iter():
        if isinstance(el.tag, str) and _local(el) in EVENT_TYPES and wrapper_depth(el) is not None:
            n += 1
            out.append((el.sourceline or 0, n))
    return out


def _where(starts: list[tuple[int, int]], line: int) -> str:
    event = None
    for first, n in starts:
        if first <= line:
            event = n
        else:
            break
    return f"event {event} (line {line})" if event else f"line {line}"


def _xml_problems_by_event(path: Path, schema: etree.XMLSchema) -> Iterator[Problem]:
    """Validate each event on its own inside a minimal copy of its document."""
    root_attrs: dict[str, str] = {}
    root_tag = None
    nsmap: dict[Any, str] = {}
    n = 0
    for action, el in etree.iterparse(
        str(path), events=("start", "end"), huge_tree=True, remove_comments=True
    ):
        if action == "start":
            if root_tag is None:
                root_tag, nsmap = el.tag, dict(el.nsmap)
                root_attrs = dict(el.attrib)
            continue
        if not (isinstance(el.tag, str) and _local(el) in EVENT_TYPES):
            continue
        depth = wrapper_depth(el)
        if depth is None:
            continue
        n += 1
        line = el.sourceline or 0
        wrapper = etree.Element(root_tag, attrib=root_attrs, nsmap=nsmap)
        body = etree.SubElement(wrapper, "EPCISBody")
        holder = etree.SubElement(body, "EventList")
        for _ in range(depth):
            holder = etree.SubElement(holder, "extension")
        holder.append(copy.deepcopy(el))
        if not schema.validate(wrapper):
            reasons = "; ".join(e.message for e in schema.error_log)
            yield Problem(f"event {n} (line {line})", reasons)
        el.clear()


def read_json_text(text: str | bytes) -> dict[str, Any]:
    doc = json.loads(text)
    if not isinstance(doc, dict):
        raise TracerError("not an EPCIS document")
    return doc
