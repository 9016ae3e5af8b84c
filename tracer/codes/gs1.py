"""Parse whatever a scanner, camera or keyboard delivers into one checked GS1 identity.

biip does the GS1 work (AI table, patterns, check digits, dates, Digital Link);
this module decides *which* reading of a string is meant (plain GTIN, SSCC,
element string, Digital Link), drives biip one element at a time so that an
error can name the Application Identifier and the position, and maps the
result to the EPC URIs the ledger stores.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from biip import ParseError
from biip.gs1_application_identifiers import GS1ApplicationIdentifier
from biip.gs1_digital_link_uris import GS1DigitalLinkURI
from biip.gs1_element_strings import GS1ElementString
from biip.gtin import Gtin
from biip.sscc import Sscc

from tracer.codes import keys
from tracer.errors import CodeError

GS = "\x1d"
# Symbology identifiers (ISO/IEC 15424) that announce GS1 data with an implied FNC1.
GS1_SYMBOLOGY_IDS = {"]C1", "]d2", "]Q3", "]e0", "]J1"}
# Symbology identifiers of EAN/UPC and ITF: the data is a bare GTIN.
GTIN_SYMBOLOGY_IDS = {"]E0", "]E3", "]E4", "]I0", "]I1"}
_SYMBOLOGY_ID = re.compile(r"^\][A-Za-z][0-9A-Za-z]")
_HRI_PAIR = re.compile(r"\((\d{2,4})\)([^(]*)")
_CHECK_DIGIT = re.compile(r"Expected (\d), got (\d)")
_DATE_AIS = {"11", "12", "13", "15", "16", "17"}


@dataclass(frozen=True)
class GS1Code:
    """One scanned code as GS1 sees it: keys, attributes and the EPC URIs they map to."""

    raw: str
    gtin: str | None = None
    lot: str | None = None
    serial: str | None = None
    sscc: str | None = None
    gln: str | None = None
    production_date: date | None = None
    expiry_date: date | None = None
    count: int | None = None
    ais: dict[str, str] = field(default_factory=dict)
    epc_uri: str | None = None
    epc_class: str | None = None
    best_before_date: date | None = None
    kind: str = "element_string"  # element_string | gtin | sscc | digital_link
    symbology_id: str | None = None
    measures: dict[str, str] = field(default_factory=dict)
    hri: str = ""
    digital_link: str | None = None

    def identity(self) -> str:
        """The most specific identifier: instance EPC, else class, else the raw text."""
        return self.epc_uri or self.epc_class or self.raw

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            out[f.name] = value.isoformat() if isinstance(value, date) else value
        out["ais"] = dict(self.ais)
        out["measures"] = dict(self.measures)
        return out


def parse_code(text: str) -> GS1Code:
    """Parse a GS1 element string, plain GTIN/SSCC or GS1 Digital Link URI.

    Raises CodeError with a message that names the AI and digit at fault.
    """
    if not isinstance(text, str):
        raise CodeError(f"expected a code as text, got {type(text).__name__}")
    raw = text
    value = text.replace("\u241d", GS).strip(" \t\r\n")
    if not value:
        raise CodeError("empty code")
    sid = None
    if _SYMBOLOGY_ID.match(value):
        sid, value = value[:3], value[3:]
        if not value:
            raise CodeError(f"no data after the symbology identifier {sid}")
    value = value.lstrip(GS)  # a leading FNC1 only marks the data as GS1

    if sid in GTIN_SYMBOLOGY_IDS:
        return _from_plain(raw, value, sid)
    if sid not in GS1_SYMBOLOGY_IDS and value.lower().startswith(("http://", "https://")):
        return _from_digital_link(raw, value, sid)
    if value.startswith("("):
        elements = _parse_hri(value)
        return _build(raw, elements, "element_string", sid)
    if sid not in GS1_SYMBOLOGY_IDS and value.isdigit() and len(value) in (8, 12, 13, 14, 18):
        return _from_plain(raw, value, sid)
    if sid not in GS1_SYMBOLOGY_IDS and not value[:2].isdigit():
        raise CodeError(
            f"{_short(value)} is not a GS1 code: expected a GTIN, an element string "
            "such as (01)…(10)…, or a GS1 Digital Link URI"
        )
    return _build(raw, _parse_unbracketed(value), "element_string", sid)


# --- the readings -------------------------------------------------------------------


def _from_plain(raw: str, value: str, sid: str | None) -> GS1Code:
    """A bare EAN-13 / EAN-8 / UPC-A / ITF-14 GTIN, or a bare 18-digit SSCC."""
    if not value.isdigit():
        raise CodeError(f"{_short(value)} is not a GTIN: a GTIN has only digits")
    if len(value) == 18:
        try:
            sscc = Sscc.parse(value)
        except ParseError as exc:
            raise CodeError(_check_digit_message("SSCC", value, str(exc))) from None
        element = GS1ElementString.parse("00" + sscc.value)
        return _build(raw, [element], "sscc", sid)
    if len(value) not in (8, 12, 13, 14):
        raise CodeError(f"GTIN {value} has {len(value)} digits; expected 8, 12, 13 or 14")
    try:
        gtin = Gtin.parse(value)
    except ParseError as exc:
        raise CodeError(_check_digit_message("GTIN", value, str(exc))) from None
    element = GS1ElementString.parse("01" + gtin.as_gtin_14())
    return _build(raw, [element], "gtin", sid)


def _from_digital_link(raw: str, value: str, sid: str | None) -> GS1Code:
    try:
        uri = GS1DigitalLinkURI.parse(value)
    except ParseError as exc:
        ai = _ai_in_message(str(exc))
        if ai is not None:
            data = str(exc).split("'")[1][len(ai.ai) :] if "'" in str(exc) else ""
            raise CodeError(_describe_failure(ai, data)) from None
        raise CodeError(f"not a GS1 Digital Link URI: {_plain(str(exc))}") from None
    return _build(raw, list(uri.element_strings), "digital_link", sid)


def _parse_hri(value: str) -> list[GS1ElementString]:
    """'(01)…(10)…' as printed under a barcode; spaces between groups are ignored."""
    compact = "".join(value.split())
    pairs = _HRI_PAIR.findall(compact)
    if not pairs or "".join(f"({a}){d}" for a, d in pairs) != compact:
        raise CodeError(f"{_short(value)}: expected '(AI)data(AI)data…'")
    elements = []
    for ai_digits, data in pairs:
        try:
            ai = GS1ApplicationIdentifier.extract(ai_digits)
        except ParseError:
            ai = None
        if ai is None or ai.ai != ai_digits:
            raise CodeError(f"({ai_digits}) is not a GS1 Application Identifier")
        elements.append(_element(ai, data, full=True))
    return elements


def _parse_unbracketed(value: str) -> list[GS1ElementString]:
    """Element strings as encoded in the symbol: FNC1 (GS) ends variable-length fields."""
    elements = []
    pos = 0
    while pos < len(value):
        rest = value[pos:]
        try:
            ai = GS1ApplicationIdentifier.extract(rest)
        except ParseError:
            raise CodeError(
                f"no GS1 Application Identifier at position {pos + 1}: {_short(rest)}"
            ) from None
        element = _element(ai, rest[len(ai.ai) :].split(GS, 1)[0], full=False)
        elements.append(element)
        pos += len(element)
        while value[pos : pos + 1] == GS:
            pos += 1
    return elements


def _element(ai: GS1ApplicationIdentifier, data: str, *, full: bool) -> GS1ElementString:
    try:
        if full:
            return GS1ElementString.parse(ai.ai + data)
        return GS1ElementString.extract(ai.ai + data)
    except ParseError:
        raise CodeError(_describe_failure(ai, data)) from None


# --- building the result ------------------------------------------------------------


def _build(raw: str, elements: list[GS1ElementString], kind: str, sid: str | None) -> GS1Code:
    ais: dict[str, str] = {}
    measures: dict[str, str] = {}
    for element in elements:
        ai = element.ai.ai
        _check_keys(element)
        if ai in ais and ais[ai] != element.value:
            raise CodeError(
                f"AI ({ai}) {element.ai.data_title} appears twice with different values "
                f"({ais[ai]!r} and {element.value!r})"
            )
        ais[ai] = element.value
        if element.decimal is not None and ai[:2] in {"31", "32", "33", "34", "35", "36"}:
            measures[element.ai.data_title] = str(element.decimal)
    dates = {e.ai.ai: e.date for e in elements if e.date is not None}
    gtin = ais.get("01")
    lot, serial, sscc = ais.get("10"), ais.get("21"), ais.get("00")
    gln = ais.get("414") or ais.get("417")
    count = int(ais["37"]) if "37" in ais else None

    epc_uri = None
    if gtin and serial:
        epc_uri = keys.sgtin_uri(gtin, serial)
    elif sscc:
        epc_uri = keys.sscc_uri(sscc)
    elif "414" in ais:
        epc_uri = keys.sgln_uri(ais["414"], ais.get("254"))
    elif "8004" in ais:
        epc_uri = keys.giai_uri(ais["8004"])
    elif "8003" in ais:
        epc_uri = keys.grai_uri(ais["8003"])
    epc_class = None
    if gtin and lot:
        epc_class = keys.lgtin_uri(gtin, lot)
    elif gtin:
        epc_class = keys.sgtin_pattern(gtin)

    hri = "".join(f"({e.ai.ai}){e.value}" for e in elements)
    return GS1Code(
        raw=raw,
        gtin=gtin,
        lot=lot,
        serial=serial,
        sscc=sscc,
        gln=gln,
        production_date=dates.get("11"),
        expiry_date=dates.get("17"),
        count=count,
        ais=ais,
        epc_uri=epc_uri,
        epc_class=epc_class,
        best_before_date=dates.get("15"),
        kind=kind,
        symbology_id=sid,
        measures=measures,
        hri=hri,
        digital_link=_digital_link(elements),
    )


def _digital_link(elements: list[GS1ElementString]) -> str | None:
    try:
        from biip.gs1_element_strings import GS1ElementStrings

        return GS1DigitalLinkURI.from_element_strings(GS1ElementStrings(elements)).as_uri()
    except Exception:  # no primary key that Digital Link can carry (e.g. only a lot)
        return None


def _check_keys(element: GS1ElementString) -> None:
    """biip records key check-digit failures instead of raising: make them errors."""
    title = f"AI ({element.ai.ai}) {element.ai.data_title}"
    for error in (element.gtin_error, element.gln_error, element.sscc_error):
        if error:
            raise CodeError(_check_digit_message(title, element.value, error))


# --- error messages -----------------------------------------------------------------


def _check_digit_message(what: str, value: str, biip_message: str) -> str:
    match = _CHECK_DIGIT.search(biip_message)
    if match and "check digit" in biip_message:
        expected, got = match.groups()
        return (
            f"{what} {value}: check digit (digit {len(value)}) is {got}, expected {expected} "
            "— a digit was misread or mistyped"
        )
    return f"{what} {value}: {_plain(biip_message)}"


def _describe_failure(ai: GS1ApplicationIdentifier, data: str) -> str:
    """Say which AI failed and why, in the terms printed on a label."""
    title = f"AI ({ai.ai}) {ai.data_title}"
    if not data:
        return f"{title} has no data (is a separator or the data missing?)"
    if ai.ai in _DATE_AIS:
        return f"{title} {data[:6]!r}: {_date_problem(data)}"
    spec = ai.format.split("+", 1)[1] if "+" in ai.format else ai.format
    return f"{title} {_short(data)} does not fit its format {spec} ({_explain(spec)})"


def _date_problem(data: str) -> str:
    digits = data[:6]
    if len(digits) < 6 or not digits.isdigit():
        return "a date must be 6 digits, YYMMDD"
    month, day = int(digits[2:4]), int(digits[4:6])
    if not 1 <= month <= 12:
        return f"month {digits[2:4]} (digits 3–4) is not 01–12"
    if day > 31:
        return f"day {digits[4:6]} (digits 5–6) is not 00–31"
    return f"day {digits[4:6]} does not exist in month {digits[2:4]}"


def _explain(spec: str) -> str:
    parts = []
    for token in spec.split("+"):
        kind = "digits" if token.startswith("N") else "characters"
        size = token[1:]
        parts.append(f"up to {size[2:]} {kind}" if size.startswith("..") else f"{size} {kind}")
    return ", then ".join(parts)


def _ai_in_message(message: str) -> GS1ApplicationIdentifier | None:
    match = re.search(r"GS1 AI \((\d+)\)", message)
    if not match:
        return None
    try:
        return GS1ApplicationIdentifier.extract(match.group(1))
    except ParseError:
        return None


def _plain(message: str) -> str:
    return message.rstrip(".")


def _short(value: str, limit: int = 24) -> str:
    shown = value if len(value) <= limit else value[:limit] + "…"
    return repr(shown.replace(GS, "<GS>"))
