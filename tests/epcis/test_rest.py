"""push / pull against a small EPCIS 2.0 REST repository on 127.0.0.1."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracer.cli import cli
from tracer.epcis.importer import import_document
from tracer.epcis.rest import TransferError, acknowledged, pull, push
from tracer.ledger import Ledger

from .repository import running_repository

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
DOC = SHARED / "event-hash" / "epcisDocWithVariousEventTypes.jsonld"


@pytest.fixture()
def source(tmp_path: Path):
    with Ledger.open(tmp_path / "src.sqlite") as led:
        import_document(led, DOC)
        import_document(led, SHARED / "epcis" / "JSON" / "Example_9.6.1-ObjectEvent.jsonld")
        yield led


def _ids(ledger: Ledger) -> set[str]:
    return {s.event.event_id or "" for s in ledger.events()}


def test_push_everything_once(source: Ledger) -> None:
    with running_repository() as repo:
        r = push(source, repo.url, batch=4, backoff=0)
        assert r.sent == source.count() == len(repo.events)
        assert repo.ids == _ids(source)
        assert acknowledged(source, repo.url) == source.count()
        again = push(source, repo.url, batch=4, backoff=0)
        assert again.sent == 0 and sum(repo.captures) == r.sent


def test_push_survives_a_500_mid_transfer(source: Ledger) -> None:
    with running_repository() as repo:
        # request 1 = capture #1, 2 = its job; request 3 (capture #2) fails once: retried
        repo.fail_requests = {3}
        r = push(source, repo.url, batch=4, backoff=0)
        assert r.retries == 1 and r.sent == source.count()
        assert repo.ids == _ids(source)


def test_push_stops_on_a_lasting_error_and_resumes(source: Ledger) -> None:
    total = source.count()
    with running_repository() as repo:
        repo.fail_requests = set(range(5, 30))  # the third capture never gets through
        with pytest.raises(TransferError) as info:
            push(source, repo.url, batch=4, retries=2, backoff=0)
        done = info.value.report
        assert done.sent == 8 and done.pending == total - 8
        assert acknowledged(source, repo.url) == 8 and len(repo.events) == 8
        repo.fail_requests = set()
        r = push(source, repo.url, batch=4, backoff=0)
        assert r.sent == total - 8
        assert repo.ids == _ids(source) and sum(repo.captures) == total  # nothing sent twice


def test_pull_pages_and_retries(source: Ledger, tmp_path: Path) -> None:
    with running_repository() as repo:
        push(source, repo.url, backoff=0)
        repo.requests = 0
        repo.fail_requests = {2}
        with Ledger.open(tmp_path / "dst.sqlite") as dst:
            r = pull(dst, repo.url, per_page=3, backoff=0)
            assert r.pages == 5 and r.retries == 1
            assert _ids(dst) == _ids(source)
            assert pull(dst, repo.url, per_page=3, backoff=0).added == 0


def test_pull_interrupted_then_resumed(source: Ledger, tmp_path: Path) -> None:
    with running_repository() as repo:
        push(source, repo.url, backoff=0)
        repo.requests = 0
        repo.fail_requests = set(range(3, 40))
        with Ledger.open(tmp_path / "dst.sqlite") as dst:
            with pytest.raises(TransferError) as info:
                pull(dst, repo.url, per_page=3, retries=1, backoff=0)
            assert info.value.report.added == 6 == dst.count()
            repo.fail_requests = set()
            r = pull(dst, repo.url, per_page=3, backoff=0)
            assert r.skipped == 6 and _ids(dst) == _ids(source)


def test_pull_since(source: Ledger, tmp_path: Path) -> None:
    with running_repository() as repo:
        push(source, repo.url, backoff=0)
        with Ledger.open(tmp_path / "dst.sqlite") as dst:
            since = datetime(2019, 10, 21, 12, tzinfo=UTC)
            r = pull(dst, repo.url, since=since, backoff=0)
            assert 0 < r.added < source.count()
            assert all(s.event.event_time >= since for s in dst.events())


def test_cli_push_pull(source: Ledger, tmp_path: Path) -> None:
    runner = CliRunner()
    with running_repository() as repo:
        r = runner.invoke(cli, ["push", repo.url, "--ledger", str(source.path), "--json"])
        assert r.exit_code == 0, r.output
        dst = tmp_path / "cli-dst.sqlite"
        r = runner.invoke(cli, ["pull", repo.url, "--ledger", str(dst), "--since", "2019-10-21"])
        assert r.exit_code == 0, r.output
        assert "added" in r.output
