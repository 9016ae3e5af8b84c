"""Signal attachments on both backends: `tracer signal record --attach` stores the
file once, the signal names it by sha256, and a changed copy is found.

SQLite keeps the bytes in a folder beside the ledger file; PostgreSQL keeps them
in the database (`tracer.ledger.postgres.files`), insert-only.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import psycopg
import pytest
from cli_run import run

from tracer.ledger.backend import open_ledger
from tracer.ledger.postgres.files import get_file
from tracer.quality.attachments import (
    attachment_path,
    check_attachment,
    read_attachment,
    store_attachment,
)
from tracer.quality.signal_model import Attachment


@pytest.fixture(params=["sqlite", "postgresql"])
def where(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "ledger.sqlite")
    return str(request.getfixturevalue("pg_url"))


def test_signal_record_attach_on_both(
    where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    photo = tmp_path / "破损.jpg"
    photo.write_bytes(b"\xff\xd8 a cracked kettle lid " * 50)
    report = tmp_path / "lab.pdf"
    report.write_bytes(b"%PDF-1.4 lab result")
    assert run(capsys, "demo", "--ledger", where, "--events", "300", "--seed", "3")[0] == 0
    args = ["signal", "record", "--ledger", where, "--kind", "consumer_complaint"]
    args += ["--gtin", "6923456010017", "--reporter", "王芳", "--json"]
    code, out, err = run(capsys, *args, "--attach", str(photo), "--attach", str(report))
    assert code == 0, err
    files = json.loads(out)["attachments"]
    sha = hashlib.sha256(photo.read_bytes()).hexdigest()
    assert [(f["name"], f["size"]) for f in files] == [("破损.jpg", 1200), ("lab.pdf", 19)]
    assert files[0]["sha256"] == sha and files[0]["mediaType"] == "image/jpeg"
    # the same photo again: stored once
    code, out, err = run(capsys, *args, "--attach", str(photo))
    assert code == 0, err
    with open_ledger(where) as ledger:
        a, b = (Attachment.from_dict(f) for f in files)
        assert check_attachment(ledger, a) and check_attachment(ledger, b)
        assert read_attachment(ledger, a) == photo.read_bytes()
        missing = Attachment("x.jpg", "0" * 64, 1)
        assert not check_attachment(ledger, missing) and read_attachment(ledger, missing) is None
        assert store_attachment(ledger, photo) == a
    if where.startswith("postgresql"):
        with psycopg.connect(where, autocommit=True) as conn:
            assert conn.execute("SELECT count(*) FROM ledger_files").fetchone() == (2,)
            with pytest.raises(psycopg.errors.IntegrityConstraintViolation):
                conn.execute("UPDATE ledger_files SET data = 'x' WHERE sha256 = %s", (sha,))
            # someone with the owner's password changes the bytes behind tracer's back
            conn.execute("ALTER TABLE ledger_files DISABLE TRIGGER USER")
            conn.execute("UPDATE ledger_files SET data = 'changed' WHERE sha256 = %s", (sha,))
    else:
        stored = attachment_path(where, sha)
        assert len(list(stored.parent.parent.glob("*/*"))) == 2
        stored.write_bytes(b"changed")
    with open_ledger(where, readonly=True) as ledger:
        assert not check_attachment(ledger, a) and read_attachment(ledger, a) is None
        assert check_attachment(ledger, b)


def test_no_files_table_yet(pg_url: str) -> None:
    """A server ledger that never stored a file answers 'missing', not an error."""
    with open_ledger(pg_url) as ledger:
        assert get_file(ledger, "0" * 64) is None  # type: ignore[arg-type]
        assert not check_attachment(ledger, Attachment("a.jpg", "0" * 64, 3))


def test_sync_carries_offline_photos_to_the_server(
    pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A laptop records a complaint with a photo offline; `tracer sync --to` sends both."""
    laptop = str(tmp_path / "laptop.sqlite")
    photo = tmp_path / "lid.jpg"
    photo.write_bytes(b"\xff\xd8 lid photo taken offline")
    assert run(capsys, "demo", "--ledger", laptop, "--events", "300", "--seed", "3")[0] == 0
    args = ["signal", "record", "--ledger", laptop, "--kind", "consumer_complaint"]
    code, out, err = run(capsys, *args, "--gtin", "6923456010017", "--attach", str(photo), "--json")
    assert code == 0, err
    attachment = Attachment.from_dict(json.loads(out)["attachments"][0])
    stale = attachment_path(laptop, "f" * 64)  # a damaged copy on the laptop is not spread
    stale.parent.mkdir(parents=True, exist_ok=True)
    stale.write_bytes(b"not what its name says")
    code, out, err = run(capsys, "sync", "--ledger", laptop, "--to", pg_url, "--json")
    assert code == 0, err
    assert json.loads(out)["files"] == 1
    with open_ledger(pg_url) as server:
        assert read_attachment(server, attachment) == photo.read_bytes()
        assert get_file(server, "f" * 64) is None  # type: ignore[arg-type]
    code, out, err = run(capsys, "sync", "--ledger", laptop, "--to", pg_url, "--json")
    assert code == 0, err
    assert json.loads(out)["sent"] == 0  # events once
    assert json.loads(out)["files"] == 0  # and the file is not sent again
