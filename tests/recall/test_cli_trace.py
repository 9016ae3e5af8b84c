"""`tracer trace` from the shell, on the hand-built scenario."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from cli_run import run_ok
from click.testing import CliRunner

from tracer.cli import cli

from .scenario import C3, GTIN_P, P_ITEMS, R1, R3, R4, build_scenario


@pytest.fixture(scope="module")
def ledger_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(build_scenario(tmp_path_factory.mktemp("cli") / "s.sqlite"))


def test_trace_table_lists_shops_with_quantities(ledger_path: str) -> None:
    out = run_ok("trace", "--ledger", ledger_path, "--lot", f"{GTIN_P}/P1")
    assert "Forward trace of" in out and "Shop R3" in out and "Shop R4" not in out
    r1_line = next(line for line in out.splitlines() if line.startswith("Shop R1"))
    # made, received, sold, returned, on hand
    assert r1_line.split()[3:8] == ["0", "8", "3", "0", "5"]


def test_trace_json_and_csv(ledger_path: str) -> None:
    data = json.loads(run_ok("trace", "--ledger", ledger_path, "--sscc", C3, "--format", "json"))
    targets = {e["target"] for e in data["edges"] if e["kind"] == "shipped"}
    assert R3.sgln in targets and R4.sgln not in targets
    rows = list(
        csv.DictReader(
            io.StringIO(
                run_ok("trace", "--ledger", ledger_path, "--lot", f"{GTIN_P}/P1", "--format", "csv")
            )
        )
    )
    by_gln = {r["gln"]: r for r in rows}
    assert by_gln[R1.gln]["sold"] == "3" and by_gln[R1.gln]["on_hand"] == "5"
    assert by_gln[R1.gln]["name_zh"] == "Shop R1（测试）"


def test_trace_backward_dot_and_gs1_serial(ledger_path: str, tmp_path: Path) -> None:
    serial = P_ITEMS[0].rsplit(".", 1)[1]
    out_file = tmp_path / "t.dot"
    run_ok(
        "trace",
        "--ledger",
        ledger_path,
        "--sgtin",
        f"(01){GTIN_P}(21){serial}",
        "--backward",
        "--format",
        "dot",
        "-o",
        str(out_file),
    )
    dot = out_file.read_text(encoding="utf-8")
    assert dot.startswith("digraph trace") and "Supplier S" in dot and "(input)" in dot


def test_trace_errors_are_one_line(ledger_path: str) -> None:
    result = CliRunner().invoke(cli, ["trace", "--ledger", ledger_path, "--lot", f"{GTIN_P}/ZZ"])
    assert result.exit_code != 0
    assert "not in the ledger" in str(result.exception) or "not in the ledger" in result.output
    result = CliRunner().invoke(cli, ["trace", "--ledger", ledger_path])
    assert result.exit_code != 0 and "--lot" in result.output
