"""EPC memory of UHF (Gen2) tags ⇄ EPC URIs and GS1 keys.

The binary encodings come from epcpy (MIT), which reproduces every worked
example of the GS1 EPC Tag Data Standard (they are kept as tests in
tests/codes/test_epc.py). tag-data-translation needs a .NET 8 runtime that is
not installable from the package registries we use, and pyepc only knows
SGTIN and SSCC.

A tag that does not carry a GS1 header (a blank tag, a vendor TID copied to
the EPC bank, an ISO 17363 container code …) is still a valid read: it comes
back as scheme "raw" with a `urn:epc:raw:` URI so that it can be recorded.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import sys
from dataclasses import dataclass
from enum import Enum
from typing import Any

import epcpy
from epcpy.epc_schemes.base_scheme import TagEncodable
from epcpy.utils.parsers import TAG_ENCODABLE_HEX_HEADERS

from tracer.codes.epc96 import decode_gs1_96
from tracer.codes.keys import unescape_component
from tracer.errors import CodeError

_HEX = re.compile(r"[0-9A-Fa-f]*")
_SEPARATORS = re.compile(r"[\s:\-_]")
_RAW_URI = re.compile(r"urn:epc:raw:(\d+)\.x([0-9A-Fa-f]+)")


@dataclass(frozen=True)
class EpcTag:
    """One EPC as read from (or to be written to) a tag's EPC memory bank."""

    hex: str | None
    scheme: str  # "sgtin-96", "sscc-96", … ; "sgtin" etc. for a bare pure-identity URI; "raw"
    uri: str  # pure identity (urn:epc:id:…) or urn:epc:raw:<bits>.x<HEX>
    tag_uri: str | None = None
    filter: int | None = None
    gtin: str | None = None
    serial: str | None = None
    sscc: str | None = None
    gln: str | None = None
    gln_extension: str | None = None
    grai: str | None = None
    giai: str | None = None
    gs1_key: str | None = None
    element_string: str | None = None
    note: str | None = None  # why a tag with a GS1 header stayed raw

    @property
    def is_gs1(self) -> bool:
        return self.scheme != "raw"

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def decode_epc(hex_or_uri: str) -> EpcTag:
    """Decode EPC-bank hex (spaces/colons allowed), a tag URI, a pure-identity or raw URI.

    Never raises for well-formed hex that is simply not GS1; raises CodeError
    for text that is neither hex nor an EPC URI.
    """
    if not isinstance(hex_or_uri, str):
        raise CodeError(f"expected EPC hex or URI as text, got {type(hex_or_uri).__name__}")
    text = hex_or_uri.strip()
    lowered = text.lower()
    if lowered.startswith("urn:epc:tag:"):
        return _from_tag_uri(text)
    if lowered.startswith("urn:epc:id:"):
        return _from_pure_uri(text)
    if lowered.startswith("urn:epc:raw:"):
        match = _RAW_URI.fullmatch(text)
        if not match:
            raise CodeError(f"{text!r} is not a raw EPC URI (urn:epc:raw:<bits>.x<hex>)")
        return decode_epc(match.group(2)[: (int(match.group(1)) + 3) // 4])
    if lowered.startswith("urn:"):
        raise CodeError(
            f"{text!r} is not an EPC of one tag: expected urn:epc:tag:…, urn:epc:id:… "
            "or urn:epc:raw:… (patterns and classes name many tags)"
        )
    return _from_hex(_clean_hex(text))


def decode_epc_hex(hex_value: str) -> EpcTag:
    """`decode_epc` of EPC-bank hex exactly as `bytes.hex().upper()` gives it.

    A reader's driver has the bank as bytes: nothing to strip, no URI to tell
    apart. Skipping that text handling takes a third off a new tag (a portal's
    first burst decodes hundreds at once on the reader's thread).
    """
    return _from_hex(hex_value)


def encode_epc(uri: str, scheme: str = "sgtin-96", filter: int = 1) -> str:
    """Hex to write into a tag's EPC bank.

    `uri` is a pure-identity URI, a tag URI (its own scheme and filter win), or any
    GS1 code parse_code accepts (e.g. '(01)…(21)…'). If `scheme` is for another
    kind of key than `uri` (the default is for SGTINs), the 96-bit scheme of the
    right kind is used, or the long one when the value does not fit 96 bits.
    """
    text = uri.strip()
    if text.lower().startswith("urn:epc:tag:"):
        tag = _from_tag_uri(text)
        assert tag.hex is not None
        return tag.hex
    if not text.lower().startswith("urn:epc:id:"):
        from tracer.codes.gs1 import parse_code

        code = parse_code(text)
        if code.epc_uri is None:
            raise CodeError(
                f"{text!r} has no instance-level EPC (needs GTIN + serial, SSCC, GLN or GIAI)"
            )
        text = code.epc_uri
    if not 0 <= filter <= 7:
        raise CodeError(f"filter value {filter} is out of range 0–7")
    obj = _scheme_object(text)
    coding = _choose_coding(obj, scheme.lower())
    return _hex_of(obj, coding, filter)


# --- decoding -----------------------------------------------------------------------


def _clean_hex(text: str) -> str:
    value = _SEPARATORS.sub("", text)
    if value[:2].lower() == "0x":
        value = value[2:]
    if not value:
        raise CodeError("empty EPC: expected hexadecimal digits")
    if not _HEX.fullmatch(value):
        bad = next(i for i, ch in enumerate(value) if ch not in "0123456789abcdefABCDEF")
        raise CodeError(
            f"EPC {text!r} is not hexadecimal: character {value[bad]!r} at position {bad + 1}"
        )
    return value.upper()


def _raw(hex_value: str, note: str | None = None) -> EpcTag:
    return EpcTag(
        hex=hex_value,
        scheme="raw",
        uri=f"urn:epc:raw:{len(hex_value) * 4}.x{hex_value}",
        note=note,
    )


@functools.lru_cache(maxsize=8192)
def _from_hex(hex_value: str) -> EpcTag:
    """Pure, and the same tags are read over and over at a portal: memoised.

    SGTIN-96 and SSCC-96 (nearly every portal read) take a direct bit decoding,
    ~10x cheaper than epcpy for a burst of new tags; anything else goes to epcpy.
    """
    fields = decode_gs1_96(hex_value)
    if fields is not None:
        return EpcTag(**fields)
    return _from_hex_epcpy(hex_value)


def _from_hex_epcpy(hex_value: str) -> EpcTag:
    """The general path (every scheme); also the reference the fast path is tested against."""
    cls = TAG_ENCODABLE_HEX_HEADERS.get(hex_value[:2])
    if cls is None:
        return _raw(hex_value)
    try:
        obj = cls.from_hex(hex_value)
    except Exception as exc:  # epcpy raises ConvertException, ValueError, IndexError …
        return _raw(hex_value, f"{cls.__name__} header but not decodable: {exc}")
    coding = cls.header_to_schemes()[_hex_to_bits(hex_value)[:8]]
    bits = _hex_to_bits(hex_value)
    filter_value = None if coding.value.startswith("gid") else int(bits[8:11], 2)
    return _tag(obj, coding, filter_value, hex_value=_canonical_hex(obj, coding, hex_value))


def _from_tag_uri(text: str) -> EpcTag:
    try:
        obj = epcpy.tag_uri_to_tag_encodable(text)
        coding = type(obj).BinaryCodingScheme(text.split(":")[3].lower())
    except Exception as exc:
        raise CodeError(f"{text!r} is not a valid EPC tag URI: {_plain(exc)}") from None
    rest = text.split(":", 4)[4]
    filter_value = None if coding.value.startswith("gid") else int(rest.split(".")[0])
    return _tag(obj, coding, filter_value, hex_value=_hex_of(obj, coding, filter_value or 0))


def _from_pure_uri(text: str) -> EpcTag:
    try:
        obj = epcpy.epc_pure_identity_to_scheme(text)
    except Exception as exc:
        raise CodeError(f"{text!r} is not a valid EPC pure-identity URI: {_plain(exc)}") from None
    return _tag(obj, None, None, hex_value=None)


def _tag(obj: Any, coding: Enum | None, filter_value: int | None, hex_value: str | None) -> EpcTag:
    uri: str = obj.epc_uri
    kind = uri.split(":")[3]
    parts = uri.split(":", 4)[4].split(".")
    fields: dict[str, Any] = {}
    try:
        fields["gs1_key"] = obj.gs1_key()
        fields["element_string"] = obj.gs1_element_string()
    except Exception:  # schemes without a GS1 key (GID, USDOD, ADI)
        pass
    if kind == "sgtin":
        fields.update(gtin=obj.gtin(), serial=unescape_component(parts[2]))
    elif kind == "sscc":
        fields["sscc"] = obj.gs1_key()
    elif kind == "sgln":
        fields.update(gln=obj.gs1_key(), gln_extension=unescape_component(parts[2]))
    elif kind == "grai":
        fields.update(grai=obj.gs1_key(), serial=unescape_component(parts[2]))
    elif kind == "giai":
        fields["giai"] = obj.gs1_key()
    tag_uri = None
    if coding is not None:
        prefix = f"{filter_value}." if filter_value is not None else ""
        tag_uri = f"urn:epc:tag:{coding.value}:{prefix}{uri.split(':', 4)[4]}"
    return EpcTag(
        hex=hex_value,
        scheme=coding.value if coding is not None else kind,
        uri=uri,
        tag_uri=tag_uri,
        filter=filter_value,
        **fields,
    )


# --- encoding -----------------------------------------------------------------------


def _scheme_object(uri: str) -> TagEncodable:
    try:
        obj = epcpy.epc_pure_identity_to_scheme(uri)
    except Exception as exc:
        raise CodeError(f"{uri!r} is not a valid EPC pure-identity URI: {_plain(exc)}") from None
    if not isinstance(obj, TagEncodable):
        raise CodeError(f"{uri.split(':')[3]} EPCs have no tag encoding")
    return obj


def _choose_coding(obj: TagEncodable, scheme: str) -> Enum:
    codings = list(type(obj).BinaryCodingScheme)
    names = [c.value for c in codings]
    if scheme in names:
        return type(obj).BinaryCodingScheme(scheme)
    kind = obj.epc_uri.split(":")[3]
    if scheme.split("-")[0] == kind:
        raise CodeError(f"unknown tag scheme {scheme!r} for {kind}; choose one of {names}")
    for coding in codings:  # 96-bit first, else the long form
        try:
            _hex_of(obj, coding, 0)
        except CodeError:
            continue
        return coding
    raise CodeError(f"{obj.epc_uri} does not fit any tag scheme {names}")


def _filter_enum(obj: Any) -> type[Enum]:
    module = vars(sys.modules[type(obj).__module__])
    found = [v for k, v in module.items() if k.endswith("FilterValue") and isinstance(v, type)]
    return found[0]


def _hex_of(obj: Any, coding: Enum, filter_value: int) -> str:
    last = obj.epc_uri.rsplit(".", 1)[-1]
    numeric_tail = coding.value in {"sgtin-96", "sgln-96", "grai-96", "giai-96", "gdti-96"}
    if numeric_tail and not (last.isdigit() and (last == "0" or last[0] != "0")):
        longer = [c.value for c in type(coding) if c is not coding]
        raise CodeError(
            f"{unescape_component(last)!r} cannot be stored in {coding.value}: 96-bit tags hold "
            f"only whole numbers without leading zeros; use {' or '.join(longer) or 'another key'}"
        )
    try:
        if coding.value.startswith("gid"):
            bits = obj.binary(binary_coding_scheme=coding)
        else:
            bits = obj.binary(
                binary_coding_scheme=coding,
                filter_value=_filter_enum(obj)(str(filter_value)),
            )
    except Exception as exc:
        raise CodeError(f"cannot encode {obj.epc_uri} as {coding.value}: {_plain(exc)}") from None
    return _bits_to_hex(bits)


def _canonical_hex(obj: Any, coding: Enum, hex_value: str) -> str:
    """Only the scheme's own bits (in 16-bit words): readers may append padding words."""
    size_name = coding.value.rsplit("-", 1)[-1]
    if size_name.isdigit():
        bits = int(size_name)
        return hex_value[: (bits + 15) // 16 * 4]
    try:  # variable-length schemes: encode again to learn the length
        size = len(_bits_to_hex(obj.binary(**_binary_args(obj, coding, _hex_to_bits(hex_value)))))
    except Exception:
        return hex_value
    return hex_value[:size]


def _binary_args(obj: Any, coding: Enum, bits: str) -> dict[str, Any]:
    if coding.value.startswith("gid"):
        return {"binary_coding_scheme": coding}
    return {
        "binary_coding_scheme": coding,
        "filter_value": _filter_enum(obj)(str(int(bits[8:11], 2))),
    }


def _hex_to_bits(hex_value: str) -> str:
    return bin(int(hex_value, 16))[2:].zfill(len(hex_value) * 4)


def _bits_to_hex(bits: str) -> str:
    padded = bits + "0" * ((16 - len(bits) % 16) % 16)
    return f"{int(padded, 2):0{len(padded) // 4}X}"


def _plain(exc: Exception) -> str:
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return str(message).rstrip(".")
