"""A brand-new ledger file written in bulk, put in place only when complete.

Filling a big new ledger through ordinary appends pays, row by row, for what
only matters once the file is in use: a WAL fsync per transaction and five
secondary indexes updated by random B-tree inserts (two thirds of the demo
writer's time in SQLite). A new file has no reader and nothing to lose, so it
is built under a temporary name with no journal and no fsync, its secondary
indexes are created once at the end (a sorted build), then it is switched to
the normal WAL / synchronous=FULL mode, synced and renamed into place. A build
that fails or is killed leaves no half ledger under the real name.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from tracer.errors import LedgerError
from tracer.ledger.connection import explain
from tracer.ledger.ledger import Ledger

BULK_TABLES = ("events", "identifiers", "links", "item_lots")
CACHE_MB = 1024
# bigger pages: fewer B-tree pages per ~1 KB event row and cheaper index builds
# (-7 % writer CPU at 300k events, -5 % file size); any SQLite reads any page size
PAGE_SIZE = 16384


def partial_path(path: Path) -> Path:
    """Where the file grows until it is complete."""
    return path.with_name(path.name + ".partial")


def _remove(path: Path) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        with suppress(FileNotFoundError):
            p.unlink()


def secondary_indexes(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """The secondary indexes of the event tables, as (name, CREATE statement)."""
    marks = ",".join("?" * len(BULK_TABLES))
    return [
        (name, sql)
        for name, sql in conn.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({marks}) ORDER BY rowid",
            BULK_TABLES,
        )
    ]


def _fsync(path: Path, *, directory: bool = False) -> None:
    flags = os.O_RDONLY
    if directory:
        if not hasattr(os, "O_DIRECTORY"):
            return  # Windows: a rename needs no directory sync there
        flags |= os.O_DIRECTORY
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def new_ledger_file(path: str | Path) -> Iterator[Ledger]:
    """A `Ledger` on a new file for bulk appends; at `path`, complete, on exit.

    Appends inside are not durable one by one (the whole file is, at the end).
    The unique eventID index is built at the end too, so the caller appends
    each event once (`Ledger.append_prepared(..., assume_new=True)`); a
    duplicate still fails the build when that index is created.
    """
    final = Path(path).expanduser()
    if final.exists():
        raise LedgerError(f"{final} already exists: a bulk load only writes a new ledger")
    tmp = partial_path(final)
    _remove(tmp)  # left by a build that was killed
    try:  # the first run on a machine: the user data folder does not exist yet
        final.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LedgerError(f"cannot create the folder for {final}: {exc.strerror}") from exc
    try:
        first = sqlite3.connect(tmp)
        try:
            first.execute(f"PRAGMA page_size = {PAGE_SIZE}")
            first.execute("PRAGMA journal_mode = WAL")  # writes the header: the size is set
        finally:
            first.close()
    except sqlite3.Error as exc:
        _remove(tmp)
        raise explain(exc, final) from exc
    ledger = Ledger.open(tmp)
    conn = ledger.connection
    try:
        indexes = secondary_indexes(conn)
        conn.execute("BEGIN IMMEDIATE")
        for name, _sql in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA foreign_keys = OFF")  # seqs are numbered by the writer itself
        conn.execute(f"PRAGMA cache_size = {-CACHE_MB * 1024}")
        conn.execute("PRAGMA temp_store = FILE")  # index sorts spill to disk, not RAM
        yield ledger
        conn.execute("BEGIN IMMEDIATE")
        for _name, sql in indexes:
            conn.execute(sql)
        conn.execute("COMMIT")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode != "wal":
            raise LedgerError(f"{tmp}: could not switch the ledger to WAL mode ({mode})")
        ledger.close()
        _fsync(tmp)
        os.replace(tmp, final)
        _fsync(final.parent, directory=True)
    except sqlite3.Error as exc:
        ledger.close()
        _remove(tmp)
        raise explain(exc, final) from exc
    except BaseException:
        ledger.close()
        _remove(tmp)
        raise
