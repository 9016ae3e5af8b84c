"""Station settings, stored in the ledger's `stations` table and reused by name.

`tracer listen --station dock-1` alone reuses what dock-1 was set up with;
options given on the command line change it (and are saved). bizStep and
disposition are checked against the CBV 2.0 vocabularies, GLNs against
their check digit, so a typo is caught before the first scan is recorded.
"""

from __future__ import annotations

import dataclasses

from tracer.epcis.vocab import vocabularies
from tracer.errors import TracerError
from tracer.ledger import masterdata
from tracer.ledger.backend import LedgerBackend
from tracer.model import Station


def _vocab(kind: str, value: str | None) -> str | None:
    if not value:
        return None
    vocab = vocabularies()[kind]
    bare = vocab.short(value)
    if bare in vocab.terms or ":" in bare:  # a standard term, or a private URI
        return bare
    close = sorted(t for t in vocab.terms if t[:3] == bare[:3]) or sorted(vocab.terms)[:8]
    raise TracerError(f"{value!r} is not a CBV {kind}; e.g. {', '.join(close)}")


def _gln(value: str | None, what: str) -> str | None:
    if not value:
        return None
    text = value.strip()
    if text.startswith("urn:epc:id:sgln:"):
        raise TracerError(f"{what}: give the 13-digit GLN, not the SGLN URI {text}")
    from biip import ParseError  # biip costs ~0.15 s: not at station start-up
    from biip.gln import Gln

    try:
        return Gln.parse(text).value
    except ParseError as exc:
        raise TracerError(f"{what} {text!r} is not a GLN: {str(exc).rstrip('.')}") from None


def resolve_station(
    ledger: LedgerBackend,
    name: str,
    *,
    location: str | None = None,
    biz_step: str | None = None,
    disposition: str | None = None,
    destination: str | None = None,
    device: str | None = None,
) -> Station:
    """The station as stored, with any given setting changed; saved if new or changed."""
    if not name.strip():
        raise TracerError("a station needs a name")
    stored = masterdata.station(ledger, name) or Station(name)
    # A GLN already stored was checked when it was saved: only new ones go through biip.
    changes = {
        "location_gln": location
        if location == stored.location_gln
        else _gln(location, "--location"),
        "biz_step": _vocab("bizStep", biz_step),
        "disposition": _vocab("disposition", disposition),
        "destination_gln": destination
        if destination == stored.destination_gln
        else _gln(destination, "--destination"),
        "device": device,
    }
    station = dataclasses.replace(stored, **{k: v for k, v in changes.items() if v is not None})
    if station != masterdata.station(ledger, name):
        masterdata.upsert(ledger, [station])
    return station
