"""Tamper evidence: recompute every row's digest and the chain over them."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from tracer.ledger.codec import event_from_epcis
from tracer.ledger.rows import EVENT_COLUMNS, GENESIS, next_chain, row_digest


@dataclass(frozen=True, slots=True)
class VerifyReport:
    ok: bool
    rows: int
    problem: str | None = None
    seq: int | None = None  # the first row found wrong


def verify(
    conn: sqlite3.Connection, *, progress: Callable[[int], None] | None = None
) -> VerifyReport:
    """Walk the chain; the first row that does not fit is named."""
    cols = ", ".join(EVENT_COLUMNS)
    chain = GENESIS
    expected_seq = 1
    rows = 0
    cur = conn.execute(f"SELECT {cols}, chain FROM events ORDER BY seq")
    idents = conn.execute(
        "SELECT seq, role, id, quantity, uom FROM identifiers ORDER BY seq, rowid"
    )
    pending = idents.fetchone()
    for row in cur:
        seq = row[0]
        if seq != expected_seq:
            return VerifyReport(
                False,
                rows,
                f"rows {expected_seq}..{seq - 1} were removed outside tracer "
                f"(the row after them, {seq}, is still there)",
                expected_seq,
            )
        digest = row_digest(row[:-1])
        chain = next_chain(chain, digest)
        if chain != row[-1]:
            return VerifyReport(
                False,
                rows,
                f"row {seq} (event {row[1]}) was changed or inserted outside tracer",
                seq,
            )
        want = [
            (seq, i.role.value, i.id, i.quantity, i.uom)
            for i in event_from_epcis(json.loads(row[15])).identifiers()
        ]
        got = []
        while pending is not None and pending[0] <= seq:
            got.append(tuple(pending))
            pending = idents.fetchone()
        if got != want:
            return VerifyReport(
                False,
                rows,
                f"the identifiers of row {seq} (event {row[1]}) were changed outside tracer",
                seq,
            )
        rows += 1
        expected_seq += 1
        if progress and rows % 100_000 == 0:
            progress(rows)
    head = conn.execute("SELECT value FROM tracer_meta WHERE key = 'head'").fetchone()
    if head is not None:
        head_seq, head_chain = head[0].split(":")
        if int(head_seq) != rows or head_chain != chain.hex():
            return VerifyReport(
                False,
                rows,
                f"the last rows were removed outside tracer: the ledger recorded "
                f"{head_seq} rows, {rows} remain",
                rows + 1,
            )
    if pending is not None:
        return VerifyReport(
            False,
            rows,
            f"identifier rows for a missing event {pending[0]} were inserted",
            pending[0],
        )
    return VerifyReport(True, rows)
