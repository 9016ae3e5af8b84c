"""A throwaway PostgreSQL for the benchmarks: a cluster (or TRACER_BENCH_PG_URL) and fresh schemas.

Shared by bench_postgres.py and bench_pg_trace.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tracer.ledger.postgres import PgLedger  # noqa: E402


@contextmanager
def server() -> Iterator[str]:
    given = os.environ.get("TRACER_BENCH_PG_URL")
    if given:
        yield given
        return
    folder = tempfile.mkdtemp(prefix="tracer-bench-pg-")
    script = REPO / "tools" / "pg-test-cluster.sh"
    url = subprocess.run(
        ["bash", str(script), "start", folder], check=True, capture_output=True, text=True
    ).stdout.split()[-1]
    try:
        yield url
    finally:
        subprocess.run(["bash", str(script), "stop", folder], capture_output=True)


def fresh(base: str) -> str:
    schema = "b_" + uuid.uuid4().hex[:10]
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")  # type: ignore[arg-type]
    url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    PgLedger.open(url).close()
    return url
