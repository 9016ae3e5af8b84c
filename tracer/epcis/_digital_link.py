"""GS1 key URIs → constrained canonical GS1 Digital Link URIs (for the event hash).

Ported from the EPCIS event hash reference implementation
(github.com/RalphTro/epcis-event-hash-generator, ``dl_normaliser.py`` at
5d2f1c389a1599af40fe1b530b62e0ca59ab818f), Copyright (c) 2019-2023 Ralph Troeger,
MIT licence (see ``tracer/epcis/resources/LICENSE-epcis-event-hash-generator``).

The conversion rules (regular expressions, offsets) are kept verbatim so that
hashes agree byte for byte with the reference: EPC URIs in
`tracer.epcis.dl_from_epc`, Digital Link URIs in `tracer.epcis.dl_canonical`.
Only the dispatch around them is changed so that a value pays for the one
pattern of its own URI scheme.
"""

from __future__ import annotations

from tracer.epcis.dl_canonical import canonical_digital_link
from tracer.epcis.dl_from_epc import epc_to_digital_link
from tracer.epcis.dl_primitives import match

__all__ = ["match", "normalise"]


def normalise(uri: str) -> str | None:
    """Canonical GS1 Digital Link URI for an EPC URI / EPC class / pattern / DL URI, else None."""
    if uri.find(".") < 0:
        return None
    if uri.startswith("urn:epc:"):
        return epc_to_digital_link(uri)
    if uri.startswith("http"):
        return canonical_digital_link(uri)
    return None
