"""Bearer tokens for `tracer serve`, stored hashed in the ledger (own migration track).

A token reads `tracer_<id>.<secret>`: the id finds the row, the secret is
compared by its SHA-256 (tokens are 256-bit random, so a plain hash is as
good as a slow one and keeps every request cheap). The secret is shown once,
when the token is made; the ledger never holds it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tracer.errors import TracerError
from tracer.ledger.schema import Migration

SCOPES = ("read", "capture")  # capture may also read

SERVER_MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "API tokens and capture jobs of tracer serve",
        """
CREATE TABLE server_tokens (
    token_id TEXT PRIMARY KEY,
    secret_sha256 TEXT NOT NULL,
    scope TEXT NOT NULL,
    label TEXT,
    created TEXT NOT NULL,
    revoked TEXT
);
CREATE TABLE capture_jobs (
    capture_id TEXT PRIMARY KEY,
    created TEXT NOT NULL,
    finished TEXT,
    running INTEGER NOT NULL,
    success INTEGER NOT NULL,
    error_behaviour TEXT NOT NULL,
    events INTEGER NOT NULL,
    added INTEGER NOT NULL,
    skipped INTEGER NOT NULL,
    errors TEXT NOT NULL,
    token_id TEXT
);
CREATE INDEX capture_jobs_created ON capture_jobs(created);
""",
    ),
)


@dataclass(frozen=True, slots=True)
class TokenInfo:
    token_id: str
    scope: str
    label: str | None
    created: str
    revoked: str | None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _sha(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def ensure_tables(ledger: Any) -> None:
    ledger.migrate("server", SERVER_MIGRATIONS)


def add_token(ledger: Any, scope: str, label: str | None = None) -> tuple[str, TokenInfo]:
    """Make a token; returns (the token text to hand out, its record)."""
    if scope not in SCOPES:
        raise TracerError(f"scope must be one of {', '.join(SCOPES)}, not {scope!r}")
    ensure_tables(ledger)
    token_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    info = TokenInfo(token_id, scope, label, _now(), None)
    with ledger._lock:
        ledger.connection.execute(
            "INSERT INTO server_tokens (token_id, secret_sha256, scope, label, created) "
            "VALUES (?, ?, ?, ?, ?)",
            (token_id, _sha(secret), scope, label, info.created),
        )
    return f"tracer_{token_id}.{secret}", info


def revoke_token(ledger: Any, token_id: str) -> bool:
    """Revoke by id (or by the whole token text); False when no such live token."""
    ensure_tables(ledger)
    if token_id.startswith("tracer_"):
        token_id = token_id[len("tracer_") :].split(".", 1)[0]
    with ledger._lock:
        cur = ledger.connection.execute(
            "UPDATE server_tokens SET revoked = ? WHERE token_id = ? AND revoked IS NULL",
            (_now(), token_id),
        )
        return bool(cur.rowcount)


def list_tokens(ledger: Any) -> list[TokenInfo]:
    ensure_tables(ledger)
    with ledger._lock:
        rows = ledger.connection.execute(
            "SELECT token_id, scope, label, created, revoked FROM server_tokens ORDER BY created"
        ).fetchall()
    return [TokenInfo(*r) for r in rows]


def check_token(ledger: Any, token: str) -> TokenInfo | None:
    """The live token's record, or None (unknown, malformed or revoked)."""
    if not token.startswith("tracer_") or "." not in token:
        return None
    token_id, secret = token[len("tracer_") :].split(".", 1)
    with ledger._lock:
        row = ledger.connection.execute(
            "SELECT token_id, secret_sha256, scope, label, created, revoked "
            "FROM server_tokens WHERE token_id = ?",
            (token_id,),
        ).fetchone()
    if row is None or row[5] is not None:
        return None
    if not hmac.compare_digest(str(row[1]), _sha(secret)):
        return None
    return TokenInfo(row[0], row[2], row[3], row[4], row[5])
