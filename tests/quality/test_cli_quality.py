"""`tracer signal`, `tracer alerts`: the commands over the quality API, errors as one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_run import run

from tracer.ledger import Ledger

from .scenario import finished_lots, retail_destinations


def test_record_list_alert_and_recall(
    demo_ledger_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Ledger.open(demo_ledger_path) as ledger:
        for g, lot, _d in finished_lots(ledger)[6:]:
            shops = retail_destinations(ledger.connection, g, lot)
            if len(shops) >= 2:
                break
    db = ["--ledger", str(demo_ledger_path)]
    for day in ("2026-06-01", "2026-06-05", "2026-06-09"):
        code, out, err = run(
            capsys, "signal", "record", *db, "--kind", "consumer_complaint", "--date", day,
            "--code", f"(01){g}(10){lot}", "--description", "边缘锐利",
        )  # fmt: skip
        assert code == 0, err
        assert "recorded signal" in out and lot in out
    code, out, _ = run(capsys, "signal", "list", *db, "--json")
    listed = json.loads(out)
    assert len(listed) == 3 and {s["lots"][0]["lot"] for s in listed} == {lot}
    code, out, _ = run(capsys, "alerts", *db, "--json")
    (alert,) = json.loads(out)
    assert alert["id"] == f"lot:{g}/{lot}"
    assert {r["sgln"] for r in alert["trace"]["retailers"]} == shops
    code, out, _ = run(capsys, "alerts", *db)
    assert "1 alerts" in out and "received" in out
    code, out, err = run(capsys, "alerts", *db, "--recall", alert["id"], "--reason", "锐边划伤")
    assert code == 0, err
    assert "opened recall campaign" in out
    code, out, _ = run(capsys, "signal", "list", *db, "--status", "escalated")
    assert "3 signals" in out
    code, out, _ = run(capsys, "alerts", *db)
    assert "0 alerts" in out


def test_assess_dismiss_and_plain_errors(
    demo_ledger_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--ledger", str(demo_ledger_path)]
    code, out, err = run(
        capsys, "signal", "record", *db, "--kind", "injury_report", "--gtin", "6923456010017",
        "--severity", "high", "--reporter", "市儿童医院", "--json",
    )  # fmt: skip
    assert code == 0, err
    sid = json.loads(out)["short_id"]
    code, out, err = run(capsys, "signal", "assess", *db, sid, "--lot", "06923456010017/NOPE")
    assert code == 1 and "Error: lot 06923456010017/NOPE is not in the ledger" in err
    assert "Traceback" not in err
    code, out, err = run(capsys, "signal", "dismiss", *db, sid, "--note", "not our product")
    assert code == 0 and "dismissed" in out
    code, out, err = run(capsys, "signal", "record", *db, "--kind", "consumer_complaint",
                         "--gtin", "123")  # fmt: skip
    assert code == 1 and "not a valid GTIN" in err
    code, out, err = run(capsys, "alerts", *db, "--set", "lot_count=0")
    assert code == 1 and "lot_count" in err
    code, out, err = run(capsys, "alerts", *db, "--set", "lot_count=4", "--json")
    assert json.loads(out)["lot_count"] == 4


def test_import_previews_then_commits(
    demo_ledger_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Ledger.open(demo_ledger_path) as ledger:
        g, lot, _ = finished_lots(ledger)[2]
    sheet = tmp_path / "checks.csv"
    sheet.write_text(
        "产品名称,条码,批次,抽检结果,抽检日期,平台\n"
        f"玩具,{g},{lot},不合格,2026-04-01,快购网\n"
        f"玩具,{g},X1,合格,2026-04-02,快购网\n",
        encoding="utf-8",
    )
    db = ["--ledger", str(demo_ledger_path)]
    code, out, err = run(capsys, "signal", "import", *db, str(sheet))
    assert code == 0, err
    assert "1 linked to a lot, 1 to the product only" in out
    assert "row 3: lot X1" in out and "preview only" in out
    code, out, _ = run(capsys, "signal", "list", *db)
    assert "0 signals" in out
    code, out, err = run(capsys, "signal", "import", *db, str(sheet), "--commit", "--strict")
    assert code == 1 and "nothing imported" in err
    code, out, err = run(capsys, "signal", "import", *db, str(sheet), "--commit")
    assert "written: 2 new signals" in out
    # the unknown lot X1 stays unknown: the signal naming it does not make it a lot
    code, out, err = run(capsys, "signal", "list", *db, "--json")
    stated = {x["lot"] for s in json.loads(out) for x in s["lots"] if x["basis"] == "stated"}
    assert lot in stated and "X1" not in stated
