"""Canonical values for the event hash: prefixes, CBV URIs, numbers, timestamps.

Every scalar of an event enters the pre-hash string in one canonical form
(CBV 2.0 §8.9): CURIEs expanded against the document's ``@context``, CBV URNs
as web URIs, numbers without trailing zeros, GS1 keys as constrained canonical
Digital Link URIs (`tracer.epcis._digital_link`), times in UTC with
milliseconds. `tracer.epcis.prehash` puts them in the canonical member order.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from tracer.epcis._digital_link import normalise as _dl_normalise
from tracer.epcis.vocab import STANDARD_PREFIXES
from tracer.model import TRACER_NS, TRACER_PREFIX

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
    merge_context(ns, context)
    return ns


def merge_context(ns: dict[str, str], context: Any) -> None:
    if isinstance(context, Mapping):
        for k, v in context.items():
            if isinstance(v, str) and not k.startswith("@") and not v.startswith("@"):
                ns[k] = v
            elif isinstance(v, Mapping) and isinstance(v.get("@id"), str) and v.get("@prefix"):
                ns[k] = v["@id"]
    elif isinstance(context, list | tuple):
        for c in context:
            merge_context(ns, c)


def canonical_key(key: str, ns: Namespaces) -> str:
    """``prefix:local`` → ``{namespace}local`` when the prefix is known."""
    colon = key.find(":")
    if colon > 0:
        uri = ns.get(key[:colon])
        if uri is not None:
            return "{" + uri + "}" + key[colon + 1 :]
    return key


# ---------------------------------------------------------------------------
# values

_WEB_VOCAB = (
    ("urn:epcglobal:cbv:bizstep:", "https://ref.gs1.org/cbv/BizStep-"),
    ("urn:epcglobal:cbv:disp:", "https://ref.gs1.org/cbv/Disp-"),
    ("urn:epcglobal:cbv:btt:", "https://ref.gs1.org/cbv/BTT-"),
    ("urn:epcglobal:cbv:sdt:", "https://ref.gs1.org/cbv/SDT-"),
    ("urn:epcglobal:cbv:er:", "https://ref.gs1.org/cbv/ER-"),
)


def canonical_text(text: str) -> str:
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


def scalar_text(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return ""
    return str(value).strip()


def canonical_value(value: Any, ns: Namespaces) -> str:
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
    text = scalar_text(value)
    if not text:
        return ""
    colon = text.find(":")
    if colon > 0:
        uri = ns.get(text[:colon])
        if uri is not None:
            text = uri + text[colon + 1 :]
    return canonical_text(text)


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
    text = scalar_text(value)
    m = _TS.match(text)
    if m is None:
        return canonical_text(text) if text else text
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
