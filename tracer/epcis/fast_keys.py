"""Canonical Digital Link URIs of the EPC URIs tracer writes most, without regexes.

`tracer.epcis._digital_link.normalise` tries the reference implementation's
regular expressions one after another (~12 µs for an SGTIN, more for an
LGTIN or PGLN further down the list). Every new EPC of a big ingest pays it
once. Here the plain shapes (all-digit company prefix and reference, an
alphanumeric serial, lot or extension, so no percent-encoding) are checked
and converted by slicing; anything else returns None and goes the regex way.
tests/epcis/test_fast_hash.py checks both agree on generated and odd URIs.
"""

from __future__ import annotations

from tracer.gs1_check import check_digit

_SGTIN = "urn:epc:id:sgtin:"
_SSCC = "urn:epc:id:sscc:"
_SGLN = "urn:epc:id:sgln:"
_PGLN = "urn:epc:id:pgln:"
_LGTIN = "urn:epc:class:lgtin:"
_DL = "https://id.gs1.org/"


def _digits(s: str) -> bool:
    # ASCII only: the reference's \d also takes other scripts' digits (then: regex path)
    return s.isascii() and s.isdigit()


def _plain(s: str, most: int) -> bool:
    """An alphanumeric ASCII value the reference accepts and does not percent-encode."""
    return 0 < len(s) <= most and s.isascii() and s.isalnum()


def _split3(body: str) -> tuple[str, str, str] | None:
    a = body.find(".")
    b = body.find(".", a + 1)
    if a < 0 or b < 0:
        return None
    return body[:a], body[a + 1 : b], body[b + 1 :]


def _gtin(cp: str, ref: str) -> str | None:
    """GTIN-14 (with check digit) of a company prefix and an indicator+item reference."""
    if not (6 <= len(cp) <= 12 and len(cp) + len(ref) == 13 and _digits(cp + ref)):
        return None
    raw = ref[:1] + cp + ref[1:]
    return raw + check_digit(raw)


def _gln(cp: str, ref: str) -> str | None:
    if not (6 <= len(cp) <= 12 and len(cp) + len(ref) == 12 and _digits(cp + ref)):
        return None
    raw = cp + ref
    return raw + check_digit(raw)


def fast_digital_link(uri: str) -> str | None:
    """`normalise(uri)` for plain SGTIN, SSCC, SGLN, PGLN and LGTIN URIs; None otherwise."""
    if uri.startswith(_SGTIN):
        parts = _split3(uri[17:])
        if parts is None or not _plain(parts[2], 20):
            return None
        gtin = _gtin(parts[0], parts[1])
        return None if gtin is None else _DL + "01/" + gtin + "/21/" + parts[2]
    if uri.startswith(_SSCC):
        body = uri[16:]
        dot = body.find(".")
        cp, ref = body[:dot], body[dot + 1 :]
        if not (6 <= dot <= 12 and len(cp) + len(ref) == 17 and _digits(cp + ref)):
            return None
        raw = ref[:1] + cp + ref[1:]
        return _DL + "00/" + raw + check_digit(raw)
    if uri.startswith(_SGLN):
        parts = _split3(uri[16:])
        if parts is None or not _plain(parts[2], 20):
            return None
        gln = _gln(parts[0], parts[1])
        if gln is None:
            return None
        return _DL + "414/" + gln if parts[2] == "0" else _DL + "414/" + gln + "/254/" + parts[2]
    if uri.startswith(_LGTIN):
        parts = _split3(uri[20:])
        if parts is None or not _plain(parts[2], 20):
            return None
        gtin = _gtin(parts[0], parts[1])
        return None if gtin is None else _DL + "01/" + gtin + "/10/" + parts[2]
    if uri.startswith(_PGLN):
        body = uri[16:]
        dot = body.find(".")
        if dot < 0:
            return None
        gln = _gln(body[:dot], body[dot + 1 :])
        return None if gln is None else _DL + "417/" + gln
    return None
