"""Tamper evidence on PostgreSQL: the same walk as `tracer.ledger.verify`.

It reads one consistent snapshot (REPEATABLE READ), so stations may keep
appending while it runs; rows committed after it started are simply not in
this check. Identifiers of a row are compared as a multiset: PostgreSQL has
no rowid giving their insertion order.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import psycopg

from tracer.ledger.codec import event_from_epcis
from tracer.ledger.rows import EVENT_COLUMNS, GENESIS, next_chain, row_digest
from tracer.ledger.verify import VerifyReport

_BATCH = 5000


def _sortable(row: tuple[Any, ...]) -> tuple[str, ...]:
    return tuple(
        "\x00" if v is None else repr(float(v)) if k == 3 else str(v) for k, v in enumerate(row)
    )


def verify_pg(
    conn: psycopg.Connection, *, progress: Callable[[int], None] | None = None
) -> VerifyReport:
    """Walk the chain in seq order; the first row that does not fit is named."""
    with conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        return _walk(conn, progress)


def _walk(conn: psycopg.Connection, progress: Callable[[int], None] | None) -> VerifyReport:
    head_seqs = {int(r[0]) for r in conn.execute("SELECT seq FROM chain_heads")}
    cols = ", ".join(EVENT_COLUMNS)
    chain = GENESIS
    expected_seq = 1
    rows = 0
    events = conn.cursor(name="tracer_verify_events")
    events.itersize = _BATCH
    events.execute(f"SELECT {cols}, chain FROM events ORDER BY seq")
    idents = conn.cursor(name="tracer_verify_identifiers")
    idents.itersize = _BATCH
    idents.execute("SELECT seq, role, id, quantity, uom FROM identifiers ORDER BY seq")
    ident_iter = iter(idents)
    chains: dict[int, bytes] = {}  # the chain value at each batch's last row
    pending = next(ident_iter, None)
    for row in events:
        seq = int(row[0])
        if seq != expected_seq:
            return VerifyReport(
                False,
                rows,
                f"rows {expected_seq}..{seq - 1} were removed outside tracer "
                f"(the row after them, {seq}, is still there)",
                expected_seq,
            )
        chain = next_chain(chain, row_digest(row[:-1]))
        if chain != bytes(row[-1]):
            return VerifyReport(
                False,
                rows,
                f"row {seq} (event {row[1]}) was changed or inserted outside tracer",
                seq,
            )
        want = sorted(
            (
                _sortable((seq, i.role.value, i.id, i.quantity, i.uom))
                for i in event_from_epcis(json.loads(row[15])).identifiers()
            ),
        )
        got = []
        while pending is not None and pending[0] <= seq:
            got.append(_sortable(tuple(pending)))
            pending = next(ident_iter, None)
        if sorted(got) != want:
            return VerifyReport(
                False,
                rows,
                f"the identifiers of row {seq} (event {row[1]}) were changed outside tracer",
                seq,
            )
        if seq in head_seqs:
            chains[seq] = chain
        rows += 1
        expected_seq += 1
        if progress and rows % 100_000 == 0:
            progress(rows)
    heads = conn.execute("SELECT seq, chain FROM chain_heads ORDER BY seq").fetchall()
    problem = _check_heads(heads, chains, rows)
    if problem is not None:
        return problem
    if pending is not None:
        return VerifyReport(
            False,
            rows,
            f"identifier rows for a missing event {pending[0]} were inserted",
            int(pending[0]),
        )
    return VerifyReport(True, rows)


def _check_heads(
    heads: list[tuple[Any, ...]], chains: dict[int, bytes], rows: int
) -> VerifyReport | None:
    """Each batch recorded its head; the walk must pass through every one."""
    for seq, recorded in heads:
        seq = int(seq)
        if seq > rows:
            return VerifyReport(
                False,
                rows,
                f"the last rows were removed outside tracer: the ledger recorded "
                f"{heads[-1][0]} rows, {rows} remain",
                rows + 1,
            )
        if chains.get(seq) != bytes(recorded):
            return VerifyReport(
                False,
                rows,
                f"the chain at row {seq} differs from the head recorded when it was written: "
                "rows up to it were changed and re-chained outside tracer",
                seq,
            )
    if rows and (not heads or int(heads[-1][0]) != rows):
        return VerifyReport(
            False,
            rows,
            f"rows after {heads[-1][0] if heads else 0} have no recorded head: "
            "they were inserted outside tracer",
            int(heads[-1][0]) + 1 if heads else 1,
        )
    return None
