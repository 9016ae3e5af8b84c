"""CBV 2.0 / GS1 standard vocabularies: bare JSON names ↔ web URIs ↔ EPCIS 1.x URNs.

EPCIS 2.0 JSON-LD writes standard values bare (``"shipping"``, ``"in_transit"``,
``"Temperature"``); EPCIS XML writes them as URNs (``urn:epcglobal:cbv:bizstep:
shipping``) or CURIEs (``gs1:Temperature``); the event hash uses the web URI
(``https://ref.gs1.org/cbv/BizStep-shipping``). The term lists come from the
official JSON-LD context shipped in ``resources/epcis-context.jsonld``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

CBV = "https://ref.gs1.org/cbv/"
GS1 = "https://gs1.org/voc/"
EPCIS = "https://ref.gs1.org/epcis/"

# Prefixes the standard EPCIS 2.0 context defines; a document's own @context
# overrides or extends them.
STANDARD_PREFIXES: dict[str, str] = {
    "epcis": EPCIS,
    "cbv": CBV,
    "cbvmda": "urn:epcglobal:cbv:mda:",
    "gs1": GS1,
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
}


@dataclass(frozen=True)
class Vocabulary:
    name: str
    uri_prefix: str  # web URI of a term = uri_prefix + bare name
    urn_prefix: str | None  # EPCIS 1.x / XML URN form, if any
    curie_prefix: str | None  # XML CURIE form (gs1:Temperature), if any
    terms: frozenset[str]

    def expand(self, value: str) -> str:
        """Bare standard name → web URI; anything else unchanged."""
        return self.uri_prefix + value if value in self.terms else value

    def short(self, value: str) -> str:
        """Web URI / URN / CURIE of a standard term → bare name; anything else unchanged."""
        if value in self.terms or ":" not in value:
            return value
        for prefix in (self.uri_prefix, self.urn_prefix, self.curie_prefix):
            if prefix and value.startswith(prefix):
                bare = value[len(prefix) :]
                if bare in self.terms:
                    return bare
        return value

    def xml(self, value: str) -> str:
        """The form EPCIS 2.0 XML uses for this value."""
        bare = self.short(value)
        if bare in self.terms:
            if self.urn_prefix:
                return self.urn_prefix + bare
            if self.curie_prefix:
                return self.curie_prefix + bare
            return self.uri_prefix + bare
        return value


def _context() -> dict[str, Any]:
    from tracer.epcis import resource_path

    with open(resource_path("epcis-context.jsonld"), encoding="utf-8") as fh:
        ctx: dict[str, Any] = json.load(fh)["@context"]
    return ctx


def _terms(node: Any) -> frozenset[str]:
    ctx = node.get("@context", {}) if isinstance(node, dict) else {}
    if isinstance(ctx, list):
        merged: dict[str, Any] = {}
        for c in ctx:
            if isinstance(c, dict):
                merged.update(c)
        ctx = merged
    return frozenset(k for k, v in ctx.items() if not k.startswith("@") and isinstance(v, str))


@cache
def vocabularies() -> dict[str, Vocabulary]:
    c = _context()
    sensor = c["sensorElementList"]["@context"]["sensorReport"]["@context"]
    return {
        "bizStep": Vocabulary(
            "bizStep", CBV + "BizStep-", "urn:epcglobal:cbv:bizstep:", None, _terms(c["bizStep"])
        ),
        "disposition": Vocabulary(
            "disposition", CBV + "Disp-", "urn:epcglobal:cbv:disp:", None, _terms(c["disposition"])
        ),
        "bizTransactionType": Vocabulary(
            "bizTransactionType",
            CBV + "BTT-",
            "urn:epcglobal:cbv:btt:",
            None,
            _terms(c["bizTransactionList"]["@context"]["type"]),
        ),
        "sourceDestType": Vocabulary(
            "sourceDestType",
            CBV + "SDT-",
            "urn:epcglobal:cbv:sdt:",
            None,
            _terms(c["sourceList"]["@context"]["type"]),
        ),
        "errorReason": Vocabulary(
            "errorReason",
            CBV + "ER-",
            "urn:epcglobal:cbv:er:",
            None,
            _terms(c["errorDeclaration"]["@context"]["reason"]),
        ),
        "measurementType": Vocabulary("measurementType", GS1, None, "gs1:", _terms(sensor["type"])),
        "sensorAlertType": Vocabulary(
            "sensorAlertType", GS1, None, "gs1:", _terms(sensor["exception"])
        ),
        "component": Vocabulary(
            "component", CBV + "Comp-", None, "cbv:Comp-", _terms(sensor["component"])
        ),
    }


@cache
def expansion_table(kind: str) -> dict[str, str]:
    """bare name → web URI, for the hash's hot path."""
    v = vocabularies()[kind]
    return {t: v.uri_prefix + t for t in v.terms}
