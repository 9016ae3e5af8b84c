"""Connecting to a PostgreSQL ledger, and saying plainly what went wrong.

A clerk at a scan station sees these messages, so each names the server and
what to do, never a libpq trace; the password never appears in them.
"""

from __future__ import annotations

import psycopg
from psycopg import errors as pg_errors
from psycopg.conninfo import conninfo_to_dict

from tracer.errors import LedgerError

CONNECT_TIMEOUT_S = 5
URL_SCHEMES = ("postgresql://", "postgres://")


def is_postgres_url(value: str) -> bool:
    return value.strip().lower().startswith(URL_SCHEMES)


def safe_url(url: str) -> str:
    """The URL without its password: what messages, stats and sync marks show."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "postgresql://(unreadable URL)"
    user = parts.get("user")
    host = parts.get("host") or "localhost"
    port = parts.get("port")
    db = parts.get("dbname") or ""
    where = f"{host}:{port}" if port else str(host)
    who = f"{user}@" if user else ""
    options = parts.get("options")
    tail = f"?options={options}" if options else ""  # e.g. a search_path: another ledger
    return f"postgresql://{who}{where}/{db}{tail}"


def explain(exc: BaseException, url: str) -> LedgerError:
    """Turn a psycopg error into a message the user can act on."""
    where = safe_url(url)
    text = str(exc)
    low = text.lower()
    if isinstance(exc, pg_errors.InsufficientPrivilege):
        return LedgerError(
            f"the database role lacks a right on {where}: {_first_line(text)}; connect as the "
            "ledger's owner for `tracer db init/upgrade`, or ask the administrator to grant it"
        )
    if isinstance(exc, pg_errors.InvalidSchemaName):
        return LedgerError(
            f"the database role lacks a right on {where}: it cannot use the ledger's schema "
            "(it does not exist, or the role has no USAGE on it; check search_path in the URL)"
        )
    if isinstance(exc, pg_errors.ReadOnlySqlTransaction):
        return LedgerError(f"{where} is open read-only")
    if "append-only" in low:
        return LedgerError(_first_line(text))
    if isinstance(exc, psycopg.OperationalError):
        if "password authentication failed" in low or "no password supplied" in low:
            return LedgerError(
                f"the PostgreSQL server at {where} refused the login: wrong password or "
                "unknown user (check the user and password in the URL or ~/.pgpass)"
            )
        if "does not exist" in low and "database" in low:
            return LedgerError(
                f"there is no database of that name on the server ({where}); create it "
                "(createdb, or CREATE DATABASE) or fix the name in the URL"
            )
        if "does not exist" in low and "role" in low:
            return LedgerError(f"the PostgreSQL server at {where} has no such user (role)")
        if (
            "connection refused" in low
            or "could not connect" in low
            or "timeout" in low
            or "could not translate host name" in low
            or "no route to host" in low
            or "server closed the connection" in low
            or "terminating connection" in low
            or "consuming input failed" in low
        ):
            return LedgerError(
                f"cannot reach the PostgreSQL server at {where}: it is down or the address "
                "is wrong (nothing was written; a station keeps recording into its own "
                "ledger and `tracer sync` sends the events later)"
            )
        if "too many" in low and "connection" in low:
            return LedgerError(f"the PostgreSQL server at {where} has no free connections")
    return LedgerError(f"PostgreSQL ledger {where}: {_first_line(text)}")


def _first_line(text: str) -> str:
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line.removeprefix("connection failed: ")
    return text


def connect(url: str, *, readonly: bool = False) -> psycopg.Connection:
    """An autocommit connection with tracer's session settings.

    synchronous_commit is forced on: a station acknowledges a scan only once
    the server has flushed it, whatever the server's default.
    """
    try:
        conn = psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
    except psycopg.Error as exc:
        raise explain(exc, url) from exc
    try:
        conn.execute("SET synchronous_commit TO on")
        conn.execute("SET TIME ZONE 'UTC'")
        # tracer's queries are short and index-driven; JIT compiling them (set off by
        # cost estimates over TEMP tables without statistics) costs seconds, saves nothing
        conn.execute("SET jit TO off")
        if readonly:
            conn.execute("SET default_transaction_read_only TO on")
    except psycopg.Error as exc:
        conn.close()
        raise explain(exc, url) from exc
    return conn
