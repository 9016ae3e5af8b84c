"""`tracer events --product GTIN`: every event naming an SGTIN or LGTIN of the GTIN."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from tracer.cli import cli
from tracer.ledger import Ledger, masterdata


def _gtin13(identifier: str) -> str | None:
    for head in ("urn:epc:id:sgtin:", "urn:epc:class:lgtin:"):
        if identifier.startswith(head):
            company, ref, _ = identifier[len(head) :].split(".", 2)
            return ref[0] + company + ref[1:]
    return None


def test_events_product(demo_ledger_path: Path) -> None:
    with Ledger.open(demo_ledger_path, readonly=True) as ledger:
        gtin = next(p.gtin for p in masterdata.products(ledger) if p.gtin.startswith("6967890"))
        expected = [
            str(s.event.event_id)
            for s in ledger.events()
            if any(_gtin13(i.id) == gtin.zfill(14)[:13] for i in s.event.identifiers())
        ]
    assert expected
    r = CliRunner().invoke(
        cli, ["events", "--ledger", str(demo_ledger_path), "--product", gtin, "--json"]
    )
    assert r.exit_code == 0, r.output
    assert [json.loads(x)["eventID"] for x in r.output.splitlines()] == expected
    bad = CliRunner().invoke(
        cli, ["events", "--ledger", str(demo_ledger_path), "--product", "69ab"]
    )
    assert bad.exit_code != 0 and "8 to 14 digits" in bad.output
