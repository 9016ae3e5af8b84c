"""What the GS1 Digital Link converters share: lazily compiled patterns, escaping, check digits.

Ported from the EPCIS event hash reference implementation
(github.com/RalphTro/epcis-event-hash-generator, ``dl_normaliser.py`` at
5d2f1c389a1599af40fe1b530b62e0ca59ab818f), Copyright (c) 2019-2023 Ralph Troeger,
MIT licence (see ``tracer/epcis/resources/LICENSE-epcis-event-hash-generator``).
"""

from __future__ import annotations

import re

_COMPILED: dict[str, re.Pattern[str]] = {}


def match(pattern: str, uri: str) -> re.Match[str] | None:
    """`re.match`, compiling a pattern on its first use (most are never needed in a run)."""
    compiled = _COMPILED.get(pattern)
    if compiled is None:
        compiled = _COMPILED[pattern] = re.compile(pattern)
    return compiled.match(uri)


def pct(value: str) -> str:
    """Percent-encode the characters GS1 Digital Link requires (Table 7-1)."""
    return (
        value.replace("!", "%21")
        .replace("(", "%28")
        .replace(")", "%29")
        .replace("*", "%2A")
        .replace("+", "%2B")
        .replace(",", "%2C")
        .replace(":", "%3A")
    )
