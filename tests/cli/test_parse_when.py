"""`--since`/`--until`/`--when`: one parser for every command that takes a time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import click
import pytest
from cli_run import run

from tracer.cli.options import parse_when

CST = timezone(timedelta(hours=8))


def test_a_day_is_midnight_china_time() -> None:
    assert parse_when("2026-01-05") == datetime(2026, 1, 5, tzinfo=CST)


def test_iso_times_keep_their_offset() -> None:
    assert parse_when("2026-01-05T10:30:00Z") == datetime(2026, 1, 5, 10, 30, tzinfo=UTC)
    assert parse_when("2026-01-05T10:30:00+02:00") == datetime(2026, 1, 5, 8, 30, tzinfo=UTC)


def test_no_value_is_no_bound() -> None:
    assert parse_when(None) is None


def test_nonsense_is_a_usage_error_not_a_traceback(
    capsys: pytest.CaptureFixture[str], demo_ledger_path: Path, tmp_path: Path
) -> None:
    with pytest.raises(click.BadParameter, match="not a date or ISO 8601 time"):
        parse_when("next tuesday")
    ledger = str(demo_ledger_path)
    for args in (
        ["events", "--since", "next tuesday"],
        ["trace", "--lot", "06923456010017/L1", "--until", "2026-13-01"],
        ["export", "--out", str(tmp_path / "out.jsonld"), "--since", "2026-01-05T25:00"],
    ):
        code, _out, err = run(capsys, *args, "--ledger", ledger)
        assert code != 0 and "is not a date or ISO 8601 time" in err, (args, err)
        assert "Traceback" not in err
