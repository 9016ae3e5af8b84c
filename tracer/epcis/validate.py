"""Validation against the official EPCIS schemas shipped in `resources/`.

JSON: the EPCIS 2.0 JSON Schema (draft 7), per event (so a 1 GB document is
checked in bounded memory and every invalid event is named) and once for the
envelope. `jsonschema_rs` (compiled) is used when installed, else `jsonschema`.

XML: the EPCIS 2.0 / 1.2 XSDs (document, query and master-data schemas) with
libxml2 through lxml, chosen by the root element's namespace.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from lxml import etree

from tracer.epcis import resource_path
from tracer.errors import TracerError


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason a document is rejected."""

    where: str  # "event 17 (line 230)", "document header", ...
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


MAX_PROBLEMS = 10_000  # an import stops collecting (but keeps counting) past this many


def collect(problems: list[Problem], p: Problem, total: int) -> int:
    """Keep `p` unless `MAX_PROBLEMS` are kept already; the new count of problems."""
    if len(problems) < MAX_PROBLEMS:
        problems.append(p)
    return total + 1


def unreadable(index: int, exc: Exception) -> Problem:
    """The event at 0-based `index` could not be converted to a ledger event."""
    return Problem(f"event {index + 1}", f"cannot be read: {exc}")


class InvalidDocument(TracerError):
    """The document does not validate; nothing was written."""

    def __init__(self, source: str, problems: list[Problem], total: int | None = None) -> None:
        self.source = source
        self.problems = problems
        self.total = total if total is not None else len(problems)
        shown = "\n".join(f"  {p}" for p in problems[:50])
        more = f"\n  … and {self.total - 50} more" if self.total > 50 else ""
        super().__init__(
            f"{source}: not a valid EPCIS document, nothing imported "
            f"({self.total} problem{'s' if self.total != 1 else ''}):\n{shown}{more}"
        )


# ---------------------------------------------------------------------------
# JSON


@cache
def _json_schema() -> dict[str, Any]:
    with open(resource_path("epcis-json-schema.json"), encoding="utf-8") as fh:
        schema: dict[str, Any] = json.load(fh)
    return schema


class _Validator:
    def __init__(self, schema: Mapping[str, Any]) -> None:
        try:
            import jsonschema_rs

            self._rs: Any = jsonschema_rs.Draft7Validator(dict(schema))
            self._py: Any = None
        except ImportError:  # pragma: no cover - depends on the environment
            import jsonschema

            self._rs = None
            self._py = jsonschema.Draft7Validator(dict(schema))

    def is_valid(self, instance: Any) -> bool:
        if self._rs is not None:
            return bool(self._rs.is_valid(instance))
        return bool(self._py.is_valid(instance))

    def reasons(self, instance: Any, limit: int = 3) -> list[str]:
        errors = (
            list(self._rs.iter_errors(instance))
            if self._rs is not None
            else list(self._py.iter_errors(instance))
        )
        out: list[str] = []
        # the most specific messages first (the schema's if/then wrappers repeat
        # the whole instance in their own message)
        errors.sort(key=lambda e: -len(list(_path(e))))
        for e in errors:
            path = "/".join(str(p) for p in _path(e))
            msg = str(getattr(e, "message", e))
            if len(msg) > 200:
                msg = msg[:200] + "…"
            text = f"{path}: {msg}" if path else msg
            if text not in out:
                out.append(text)
            if len(out) >= limit:
                break
        return out or ["does not match the EPCIS 2.0 JSON schema"]


def _path(error: Any) -> list[Any]:
    p = getattr(error, "instance_path", None)
    if p is None:
        p = getattr(error, "absolute_path", [])
    return list(p)


@cache
def event_validator() -> _Validator:
    """Validates one event of an EPCIS document's eventList."""
    s = _json_schema()
    return _Validator(
        {
            "$schema": s["$schema"],
            "$ref": "#/definitions/EPCIS-Document-Event",
            "definitions": s["definitions"],
        }
    )


@cache
def document_validator() -> _Validator:
    return _Validator(_json_schema())


def check_json_event(event: Any, position: int) -> Problem | None:
    v = event_validator()
    if v.is_valid(event):
        return None
    return Problem(f"event {position}", "; ".join(v.reasons(event)))


def check_json_envelope(doc: Mapping[str, Any]) -> list[Problem]:
    """The document without its events (pass eventList as [])."""
    v = document_validator()
    if v.is_valid(doc):
        return []
    return [Problem("document", r) for r in v.reasons(doc, limit=5)]


# ---------------------------------------------------------------------------
# XML

XML_SCHEMAS = {
    "urn:epcglobal:epcis:xsd:2": "xsd/EPCglobal-epcis-2_0.xsd",
    "urn:epcglobal:epcis-query:xsd:2": "xsd/EPCglobal-epcis-query-2_0.xsd",
    "urn:epcglobal:epcis-masterdata:xsd:2": "xsd/EPCglobal-epcis-masterdata-2_0.xsd",
    "urn:epcglobal:epcis:xsd:1": "xsd-1.2/EPCglobal-epcis-1_2.xsd",
    "urn:epcglobal:epcis-query:xsd:1": "xsd-1.2/EPCglobal-epcis-query-1_2.xsd",
    "urn:epcglobal:epcis-masterdata:xsd:1": "xsd-1.2/EPCglobal-epcis-masterdata-1_2.xsd",
}


@cache
def xml_schema(namespace: str) -> etree.XMLSchema:
    name = XML_SCHEMAS.get(namespace)
    if name is None:
        raise TracerError(f"not an EPCIS XML document (root namespace {namespace!r})")
    return etree.XMLSchema(etree.parse(str(resource_path(name))))


def root_namespace(source: Any) -> str:
    for _, el in etree.iterparse(source, events=("start",)):
        return etree.QName(el).namespace or ""
    return ""
