"""`tracer recall …` end to end on the hand-built scenario."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_run import run_ok
from click.testing import CliRunner

from tracer.cli import cli

from .scenario import GTIN_K, GTIN_P, R1, R3, build_scenario


@pytest.fixture(scope="module")
def ledger_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(build_scenario(tmp_path_factory.mktemp("clirecall") / "s.sqlite"))


def test_campaign_from_the_shell(ledger_path: str, tmp_path: Path) -> None:
    L = ("--ledger", ledger_path)
    out = run_ok(
        "recall",
        "open",
        *L,
        "--lot",
        f"{GTIN_P}/P1",
        "--reason",
        "小零件脱落",
        "--hazard",
        "high",
        "--action",
        "return",
        "--instructions",
        "退回",
        "--id",
        "RC-C",
    )
    assert "Opened RC-C: 1 affected lot(s), 4 location(s)" in out and "Shop R3" in out
    run_ok("recall", "ack", *L, "RC-C", R1.gln, "--by", "王伟")
    out = run_ok("recall", "return", *L, "RC-C", R1.gln, "5")
    assert "5 of 5 held are now accounted for" in out
    run_ok("recall", "destroy", *L, "RC-C", R3.gln, "8", "--lot", f"{GTIN_P}/P1")
    data = json.loads(run_ok("recall", "show", *L, "RC-C", "--json"))
    assert (data["acknowledged"], data["units_accounted"], data["units_shipped"]) == (1, 13, 24)
    assert "Notified 0/4, acknowledged 1/4" in run_ok("recall", "show", *L, "RC-C")
    assert "RC-C" in run_ok("recall", "show", *L)
    run_ok("recall", "notices", *L, "RC-C", "--out", str(tmp_path / "n"), "--mark-notified")
    assert len(list((tmp_path / "n").glob("*.eml"))) == 4
    assert json.loads(run_ok("recall", "show", *L, "RC-C", "--json"))["notified"] == 4
    run_ok("recall", "export", *L, "RC-C", "--out", str(tmp_path / "x"))
    assert {p.suffix for p in (tmp_path / "x").iterdir()} == {".csv", ".xlsx", ".pdf"}
    run_ok("recall", "report", *L, "RC-C", "--kind", "plan", "--out", str(tmp_path / "plan.md"))
    assert "召回计划" in (tmp_path / "plan.md").read_text(encoding="utf-8")
    run_ok("recall", "close", *L, "RC-C")
    result = CliRunner().invoke(cli, ["recall", "ack", *L, "RC-C", R1.gln])
    assert result.exit_code != 0


def test_mock_from_the_shell(ledger_path: str) -> None:
    out = run_ok("recall", "mock", "--ledger", ledger_path, "--lot", f"{GTIN_K}/K1")
    assert "Accounted for: 100.0%" in out and "No discrepancies." in out
    data = json.loads(
        run_ok("recall", "mock", "--ledger", ledger_path, "--lot", f"{GTIN_P}/P1", "--json")
    )
    assert data["lots"][0]["produced"] == 24
