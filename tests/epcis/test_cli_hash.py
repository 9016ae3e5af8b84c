"""`tracer hash FILE [--prehash]`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tracer.cli import cli

VECTORS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "event-hash"


@pytest.mark.parametrize("name", ["epcisDocWithVariousEventTypes.xml", "epcisQueryDocument.jsonld"])
def test_hash_prints_one_id_per_event(name: str) -> None:
    doc = VECTORS / name
    result = CliRunner().invoke(cli, ["hash", str(doc)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == doc.with_suffix(".hashes").read_text().split()


def test_prehash_option() -> None:
    doc = VECTORS / "epcisDocWithSensorDataObjectEvent.jsonld"
    result = CliRunner().invoke(cli, ["hash", "--prehash", str(doc)])
    assert result.exit_code == 0, result.output
    expected = doc.with_suffix(".prehashes").read_text(encoding="utf-8").splitlines()
    assert result.output.splitlines() == [x for x in expected if x]


def test_not_an_epcis_document(tmp_path: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_text('{"hello": 1}')
    result = CliRunner().invoke(cli, ["hash", str(bad)], standalone_mode=False)
    assert result.exception is not None
    assert "not a readable EPCIS document" in str(result.exception)
