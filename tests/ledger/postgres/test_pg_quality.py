"""`tracer signal`, `tracer alerts`, `tracer record` on a postgresql:// ledger give
what they give on SQLite: the same demo (seed 7) on both backends, the same commands,
checked against oracles read from the raw rows and compared with each other."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
from cli_run import run

from tracer.demo.build import build_demo
from tracer.ledger.backend import open_ledger
from tracer.ledger.postgres import PgLedger


def _scenario() -> Any:
    """tests/quality/scenario.py (the quality tests' oracles); this folder is no package."""
    path = Path(__file__).resolve().parents[2] / "quality" / "scenario.py"
    spec = importlib.util.spec_from_file_location("quality_scenario_oracles", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_oracles = _scenario()
finished_lots, retail_destinations = _oracles.finished_lots, _oracles.retail_destinations


@pytest.fixture()
def both(demo_ledger_path: Path, pg_url: str) -> dict[str, str]:
    """The session's 3,000-event SQLite demo and the same demo built on PostgreSQL."""
    with PgLedger.open(pg_url) as ledger:
        build_demo(ledger, seed=7, events=3000)
    return {"sqlite": str(demo_ledger_path), "postgresql": pg_url}


def _lot_with_shops(location: str) -> tuple[str, str, set[str]]:
    with open_ledger(location) as ledger:
        for g, lot, _d in finished_lots(ledger)[6:]:  # type: ignore[arg-type]
            shops = retail_destinations(ledger.connection, g, lot)
            if len(shops) >= 2:
                return g, lot, shops
    raise AssertionError("the demo has no lot shipped to two shops")


def _complaints_alert_recall(capsys: pytest.CaptureFixture[str], location: str) -> dict[str, Any]:
    g, lot, shops = _lot_with_shops(location)
    db = ["--ledger", location]
    for day in ("2026-06-01", "2026-06-05", "2026-06-09"):
        code, out, err = run(
            capsys, "signal", "record", *db, "--kind", "consumer_complaint", "--date", day,
            "--code", f"(01){g}(10){lot}", "--description", "边缘锐利",
        )  # fmt: skip
        assert code == 0, err
        assert "recorded signal" in out and lot in out
    code, out, err = run(capsys, "signal", "list", *db, "--json")
    assert code == 0, err
    listed = json.loads(out)
    assert len(listed) == 3 and {s["lots"][0]["lot"] for s in listed} == {lot}
    code, out, err = run(capsys, "alerts", *db, "--json")
    assert code == 0, err
    (alert,) = json.loads(out)
    assert alert["id"] == f"lot:{g}/{lot}"
    assert {r["sgln"] for r in alert["trace"]["retailers"]} == shops
    code, out, err = run(capsys, "alerts", *db, "--recall", alert["id"], "--reason", "锐边划伤")
    assert code == 0, err
    assert "opened recall campaign" in out
    code, out, _ = run(capsys, "signal", "list", *db, "--status", "escalated")
    assert "3 signals" in out
    code, out, _ = run(capsys, "alerts", *db)
    assert "0 alerts" in out
    code, out, err = run(capsys, "alerts", *db, "--set", "lot_count=4", "--json")
    assert code == 0, err
    assert json.loads(out)["lot_count"] == 4
    code, out, err = run(capsys, "record", *db, "--product", g, "--json")
    assert code == 0, err
    record = json.loads(out)
    alert.pop("signals")  # short ids: event hashes carry the recording time
    for key in ("signals", "history", "recalls"):
        record.pop(key, None)  # dated by the run and named by campaign ids
    return {"alert": alert, "record": record, "lot": (g, lot)}


def test_signals_alert_recall_and_record_same_on_both(
    capsys: pytest.CaptureFixture[str], both: dict[str, str]
) -> None:
    got = {kind: _complaints_alert_recall(capsys, loc) for kind, loc in both.items()}
    assert got["postgresql"]["lot"] == got["sqlite"]["lot"]
    assert got["postgresql"]["alert"] == got["sqlite"]["alert"]
    assert got["postgresql"]["record"] == got["sqlite"]["record"]
    with PgLedger.open(both["postgresql"], readonly=True) as ledger:
        assert ledger.verify().ok


def _import_and_follow_up(
    capsys: pytest.CaptureFixture[str], location: str, folder: Path
) -> dict[str, Any]:
    with open_ledger(location) as ledger:
        g, lot, _ = finished_lots(ledger)[2]  # type: ignore[arg-type]
        shop_sgln, shop = ledger.connection.execute(
            "SELECT sgln, name_zh FROM locations WHERE kind = 'retailer' ORDER BY sgln LIMIT 1"
        ).fetchone()
    sheet = folder / "checks.csv"
    sheet.write_text(
        "产品名称,条码,批次,抽检结果,抽检日期,平台,店铺名称\n"
        f"玩具,{g},{lot},不合格,2026-04-01,快购网,\n"
        f"玩具,{g},X1,合格,2026-04-02,快购网,{shop}\n"
        "积木拼装玩具,,,不合格,2026-04-03,快购网,\n"
        f"玩具,{g}9,,合格,2026-04-04,快购网,\n",
        encoding="utf-8",
    )
    db = ["--ledger", location]
    code, out, err = run(capsys, "signal", "import", *db, str(sheet), "--json")
    assert code == 0, err
    plan = json.loads(out)
    code, out, err = run(capsys, "signal", "import", *db, str(sheet), "--commit")
    assert code == 0, err
    assert "written: 3 new signals" in out
    code, out, err = run(
        capsys, "signal", "record", *db, "--kind", "consumer_complaint", "--gtin", g,
        "--place", shop_sgln, "--date", "2026-05-01", "--json",
    )  # fmt: skip
    assert code == 0, err
    plausible = json.loads(out)
    code, out, err = run(capsys, "signal", "assess", *db, plausible["short_id"], "--lot",
                         f"{g}/{lot}", "--severity", "high")  # fmt: skip
    assert code == 0, err
    code, out, err = run(capsys, "signal", "list", *db, "--json")
    assert code == 0, err
    listed = sorted(
        ({k: s[k] for k in ("kind", "date", "status", "severity", "result", "place_sgln", "lots")}
         for s in json.loads(out)),
        key=lambda s: s["date"],
    )  # fmt: skip
    for key in ("file", "sha256"):
        plan.pop(key, None)
    return {"plan": plan, "plausible": plausible["lots"], "listed": listed, "lot": lot}


def test_sheet_import_and_follow_ups_same_on_both(
    capsys: pytest.CaptureFixture[str], both: dict[str, str], tmp_path: Path
) -> None:
    got = {k: _import_and_follow_up(capsys, loc, tmp_path) for k, loc in both.items()}
    assert got["postgresql"] == got["sqlite"]
    listed = got["postgresql"]["listed"]
    assert [s["kind"] for s in listed].count("consumer_complaint") == 1
    assert listed[-1]["status"] == "assessed" and listed[-1]["severity"] == "high"
    assert [x["basis"] for x in listed[-1]["lots"]] == ["assessed"]
    assert listed[0]["lots"][0]["lot"] == got["postgresql"]["lot"]


def test_attachments_stored_in_the_server_ledger(
    capsys: pytest.CaptureFixture[str], pg_url: str, tmp_path: Path
) -> None:
    """--attach on a server ledger keeps the file in the database (it was refused
    before; both backends: test_pg_attachments.py)."""
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8 not much of a photo")
    PgLedger.open(pg_url).close()  # an empty ledger
    code, out, err = run(
        capsys, "signal", "record", "--ledger", pg_url, "--kind", "consumer_complaint",
        "--gtin", "6923456010017", "--attach", str(photo), "--json",
    )  # fmt: skip
    assert code == 0 and "Traceback" not in err, err
    from tracer.quality.attachments import read_attachment
    from tracer.quality.signal_model import Attachment

    (file,) = json.loads(out)["attachments"]
    with PgLedger.open(pg_url, readonly=True) as ledger:
        assert ledger.count() == 1
        assert read_attachment(ledger, Attachment.from_dict(file)) == photo.read_bytes()
