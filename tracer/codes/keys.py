"""GS1 keys → EPC pure-identity / class URIs (GS1 EPC Tag Data Standard §6).

An EPC URI splits a GS1 key at the end of the GS1 Company Prefix (GCP), but the
key itself does not say how long its GCP is. We ask biip's copy of GS1's GCP
length table (it knows, for example, that GS1 China assigns 7 digits under
690/691, 8 under 692–696 and 9 under 697); when the table has no entry we fall
back to 7 digits, the most common length world-wide and the length GS1 China
uses for 690/691. Callers that know better can pass `gcp_length`.
"""

from __future__ import annotations

from biip.gs1_prefixes import GS1CompanyPrefix

DEFAULT_GCP_LENGTH = 7
_MIN_GCP, _MAX_GCP = 6, 12

# TDS Table I.3.1-1: characters that must be %-escaped inside an EPC URI component.
_ESCAPES = {'"': "%22", "&": "%26", "/": "%2F", "<": "%3C", ">": "%3E", "?": "%3F"}


def escape_component(value: str) -> str:
    """Escape a serial / lot / asset reference for use inside an EPC URI."""
    out = value.replace("%", "%25")
    for char, escaped in _ESCAPES.items():
        out = out.replace(char, escaped)
    return out


def unescape_component(value: str) -> str:
    out = value
    for char, escaped in _ESCAPES.items():
        out = out.replace(escaped, char).replace(escaped.lower(), char)
    return out.replace("%25", "%")


def gcp_length(digits: str, gcp_length: int | None = None) -> int:
    """Length of the GS1 Company Prefix at the start of `digits` (see module docstring)."""
    if gcp_length is not None:
        return max(_MIN_GCP, min(_MAX_GCP, gcp_length))
    try:
        prefix = GS1CompanyPrefix.extract(digits)
    except Exception:  # biip raises for strings it cannot classify at all
        prefix = None
    length = len(prefix.value) if prefix is not None else DEFAULT_GCP_LENGTH
    return max(_MIN_GCP, min(_MAX_GCP, length))


def _gtin_parts(gtin14: str, length: int | None) -> tuple[str, str]:
    """(company prefix, indicator + item reference) of a 14-digit GTIN."""
    body = gtin14[1:13]
    size = gcp_length(gtin14[1:], length)
    return body[:size], gtin14[0] + body[size:]


def sgtin_uri(gtin14: str, serial: str, length: int | None = None) -> str:
    cp, ir = _gtin_parts(gtin14, length)
    return f"urn:epc:id:sgtin:{cp}.{ir}.{escape_component(serial)}"


def lgtin_uri(gtin14: str, lot: str, length: int | None = None) -> str:
    cp, ir = _gtin_parts(gtin14, length)
    return f"urn:epc:class:lgtin:{cp}.{ir}.{escape_component(lot)}"


def sgtin_pattern(gtin14: str, length: int | None = None) -> str:
    """All serialised instances of one GTIN (an EPC ID pattern)."""
    cp, ir = _gtin_parts(gtin14, length)
    return f"urn:epc:idpat:sgtin:{cp}.{ir}.*"


def sscc_uri(sscc18: str, length: int | None = None) -> str:
    size = gcp_length(sscc18[1:], length)
    cp = sscc18[1 : 1 + size]
    return f"urn:epc:id:sscc:{cp}.{sscc18[0]}{sscc18[1 + size : 17]}"


def sgln_uri(gln13: str, extension: str | None = None, length: int | None = None) -> str:
    size = gcp_length(gln13, length)
    ext = escape_component(extension) if extension else "0"
    return f"urn:epc:id:sgln:{gln13[:size]}.{gln13[size:12]}.{ext}"


def giai_uri(giai: str, length: int | None = None) -> str:
    size = gcp_length(giai, length)
    return f"urn:epc:id:giai:{giai[:size]}.{escape_component(giai[size:])}"


def grai_uri(ai8003: str, length: int | None = None) -> str | None:
    """AI (8003) is '0' + 13-digit GRAI + optional serial; only a serialised GRAI is an EPC."""
    grai, serial = ai8003[1:14], ai8003[14:]
    if not serial:
        return None
    size = gcp_length(grai, length)
    return f"urn:epc:id:grai:{grai[:size]}.{grai[size:12]}.{escape_component(serial)}"
