"""Recall campaigns on the hand-built scenario: events in, derived tables out."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tracer.ledger import Ledger, verify
from tracer.recall import TraceError, forward_trace
from tracer.recall.campaign import (
    campaign_progress,
    close_campaign,
    list_campaigns,
    open_campaign,
    record_ack,
    record_destroy,
    record_notified,
    record_return,
)
from tracer.recall.campaign_store import rebuild_campaigns

from .scenario import CST, GTIN_M, GTIN_P, R1, R2, R3, R4, D, P, build_scenario

WHEN = datetime(2026, 4, 1, 9, 0, tzinfo=CST)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_scenario(tmp_path_factory.mktemp("camp") / "s.sqlite")


@pytest.fixture()
def ledger(template: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "l.sqlite"
    shutil.copy(template, path)
    with Ledger.open(path) as led:
        yield led


def _open(ledger: Ledger, lot: tuple[str, str] = (GTIN_P, "P1")):  # type: ignore[no-untyped-def]
    return open_campaign(
        ledger,
        [lot],
        reason="Small parts detach (choking hazard)",
        hazard="high",
        action="return",
        instructions="Stop selling, return all units to the DC",
        opened_by="陈静",
        when=WHEN,
        campaign_id="RC-TEST-1",
    )


def test_open_computes_targets_with_contacts_and_quantities(ledger: Ledger) -> None:
    c = _open(ledger)
    assert c.status == "open" and c.hazard == "high" and c.remedy == "return"
    by_gln = {t.gln: t for t in c.targets}
    assert set(by_gln) == {D.gln, R1.gln, R2.gln, R3.gln}  # never R4 (corrected shipment)
    r1 = by_gln[R1.gln]
    assert (r1.units_shipped, r1.units_sold, r1.units_on_hand) == (8, 3, 5)
    assert (r1.contact, r1.phone, r1.region) == ("王伟", R1.phone, "Zhejiang")
    assert by_gln[D.gln].units_forwarded == 24
    assert c.affected_lots[0]["lotClass"] == P
    assert c.contact["name"] == "Factory F"


def test_material_recall_reaches_products_through_transformations(ledger: Ledger) -> None:
    c = _open(ledger, (GTIN_M, "M1"))
    depths = {d["depth"] for d in c.affected_lots}
    assert depths == {0, 1, 2}
    assert {t.gln for t in c.targets} >= {R1.gln, R2.gln, R3.gln}


def test_actions_are_ledger_events_and_progress_adds_up(ledger: Ledger) -> None:
    _open(ledger)
    before = ledger.count()
    record_notified(ledger, "RC-TEST-1", R1.gln, when=WHEN + timedelta(hours=1))
    record_ack(ledger, "RC-TEST-1", R1.gln, by="王伟", when=WHEN + timedelta(hours=2))
    record_return(ledger, "RC-TEST-1", R1.gln, 5, when=WHEN + timedelta(days=1))
    record_destroy(
        ledger, "RC-TEST-1", R3.gln, 8, lot=f"{GTIN_P}/P1", when=WHEN + timedelta(days=2)
    )
    assert ledger.count() == before + 4
    steps = [
        (r[0], r[1])
        for r in ledger.connection.execute(
            "SELECT biz_step, disposition FROM events WHERE seq > ? ORDER BY seq", (before,)
        )
    ]
    assert steps == [("recalling", "recalled")] * 3 + [("destroying", "destroyed")]
    doc = json.loads(
        ledger.connection.execute("SELECT doc FROM events ORDER BY seq DESC LIMIT 1").fetchone()[0]
    )
    assert doc["tracer:recall"]["campaign"] == "RC-TEST-1"
    assert doc["quantityList"] == [{"epcClass": P, "quantity": 8}]
    p = campaign_progress(ledger, "RC-TEST-1")
    assert (p.targets, p.notified, p.acknowledged) == (4, 1, 1)
    # 24 units left the factory; 3 sold before the recall, 5 returned, 8 destroyed
    assert (p.units_shipped, p.units_sold, p.units_accounted) == (24, 3, 13)
    assert p.percent_of_shipped == pytest.approx(100 * 16 / 24)
    jiangsu = next(r for r in p.regions if r.region == "Jiangsu")
    assert (jiangsu.targets, jiangsu.units_accounted) == (2, 8)
    # the trace sees the recall too: R1 and R3 no longer hold affected units
    g = forward_trace(ledger, (GTIN_P, "P1"))
    assert g.locations[R1.sgln].on_hand() == 0 and g.locations[R3.sgln].on_hand() == 0
    assert verify(ledger.connection).ok


def test_tables_rebuild_from_events_and_merge_from_another_ledger(
    ledger: Ledger, tmp_path: Path
) -> None:
    _open(ledger)
    ledger.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    laptop_path = tmp_path / "laptop.sqlite"
    shutil.copy(ledger.path, laptop_path)
    with Ledger.open(laptop_path) as laptop:
        record_ack(laptop, "RC-TEST-1", R2.gln, by="inspector", when=WHEN + timedelta(hours=5))
        record_return(laptop, "RC-TEST-1", R3.gln, 8, when=WHEN + timedelta(hours=6))
        new = [s.event for s in laptop.events() if s.seq > ledger.count()]
    assert campaign_progress(ledger, "RC-TEST-1").units_accounted == 0
    ledger.append(new)  # what a merge does: plain events, idempotent
    p = campaign_progress(ledger, "RC-TEST-1")
    assert (p.acknowledged, p.units_returned) == (1, 8)
    snapshot = p.as_dict()
    ledger.connection.execute("DELETE FROM recall_targets")
    assert rebuild_campaigns(ledger) == 1
    assert campaign_progress(ledger, "RC-TEST-1").as_dict() == snapshot


def test_user_errors_are_plain(ledger: Ledger) -> None:
    with pytest.raises(TraceError, match="hazard"):
        open_campaign(
            ledger, [(GTIN_P, "P1")], reason="x", hazard="huge", action="return", instructions=""
        )
    _open(ledger)
    with pytest.raises(TraceError, match="already exists"):
        _open(ledger)
    with pytest.raises(TraceError, match="not one of"):
        record_ack(ledger, "RC-TEST-1", R4.gln)
    with pytest.raises(TraceError, match="cannot be returned"):
        record_return(ledger, "RC-TEST-1", R1.gln, 9)
    with pytest.raises(TraceError, match="did not receive"):
        record_return(ledger, "RC-TEST-1", R1.gln, 1, lot=f"{GTIN_M}/M1")
    close_campaign(ledger, "RC-TEST-1", when=WHEN + timedelta(days=30))
    with pytest.raises(TraceError, match="closed"):
        record_ack(ledger, "RC-TEST-1", R1.gln)
    assert [c.status for c in list_campaigns(ledger)] == ["closed"]
