"""A PostgreSQL server for the tests: $TRACER_TEST_PG_URL, or a throwaway cluster.

When no server can be had the tests FAIL with the reason, so a CI run
without PostgreSQL cannot pass silently; TRACER_SKIP_PG=1 turns that into
a skip, which pytest's summary (-ra) lists with the same reason.

Each test gets its own schema (a fresh, empty ledger) on the one server.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

REPO = Path(__file__).resolve().parents[3]
SCRIPT = REPO / "tools" / "pg-test-cluster.sh"


@dataclass
class PgServer:
    url: str  # the test role's database
    cluster_dir: Path | None  # None: a server we did not start (TRACER_TEST_PG_URL)

    def schema_url(self, schema: str) -> str:
        sep = "&" if "?" in self.url else "?"
        return f"{self.url}{sep}options=-csearch_path%3D{schema}"

    def halt(self) -> None:
        """Stop the server, keeping its data: a network or server outage."""
        assert self.cluster_dir is not None
        subprocess.run(["bash", SCRIPT, "halt", str(self.cluster_dir)], check=True, timeout=60)

    def resume(self) -> None:
        assert self.cluster_dir is not None
        subprocess.run(["bash", SCRIPT, "resume", str(self.cluster_dir)], check=True, timeout=60)


def _unavailable(reason: str) -> None:
    if os.environ.get("TRACER_SKIP_PG") == "1":
        pytest.skip(f"PostgreSQL tests skipped (TRACER_SKIP_PG=1): {reason}")
    pytest.fail(
        f"PostgreSQL tests need a server and none could be started: {reason}. Install the "
        "Debian package 'postgresql' (make system-deps), or point TRACER_TEST_PG_URL at a "
        "server, or set TRACER_SKIP_PG=1 to skip these tests knowingly.",
        pytrace=False,
    )


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    given = os.environ.get("TRACER_TEST_PG_URL")
    if given:
        try:
            psycopg.connect(given, connect_timeout=5).close()
        except psycopg.Error as exc:
            _unavailable(f"TRACER_TEST_PG_URL does not answer: {exc}")
        yield PgServer(given, None)
        return
    if shutil.which("bash") is None:
        _unavailable("no bash to run tools/pg-test-cluster.sh")
    folder = Path(tempfile.mkdtemp(prefix="tracer-pg-"))
    try:
        proc = subprocess.run(
            ["bash", str(SCRIPT), "start", "--no-fsync", str(folder)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        proc = None
        error = str(exc)
    if proc is None or proc.returncode != 0:
        if proc is not None:
            error = (proc.stderr or proc.stdout).strip()[-600:]
        subprocess.run(["bash", str(SCRIPT), "stop", str(folder)], capture_output=True)
        _unavailable(f"tools/pg-test-cluster.sh failed: {error}")
    assert proc is not None
    server = PgServer(proc.stdout.strip().splitlines()[-1], folder)
    try:
        yield server
    finally:
        subprocess.run(["bash", str(SCRIPT), "stop", str(folder)], capture_output=True, timeout=120)


@pytest.fixture()
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """A URL to an empty schema of its own: a new, empty ledger location."""
    schema = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(pg_server.url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    yield pg_server.schema_url(schema)
    try:
        with psycopg.connect(pg_server.url, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")
    except psycopg.OperationalError:
        pass  # the server was stopped by the test; the cluster goes away anyway
