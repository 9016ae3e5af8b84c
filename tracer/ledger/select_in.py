"""SELECT … WHERE column IN (a long list of values), asked in chunks.

An import, a trace or a recall asks about thousands of ids at once; one IN
list per query would pass the bound-parameter limit (SQLite 32,766, or 999
before 3.32; PostgreSQL 65,535). Works on any connection whose `execute`
takes `?` marks (SQLite's, and the server ledger's portable one).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

IN_CHUNK = 400  # values per IN (...) list: well inside every limit above


def select_in(
    conn: Any, sql: str, values: Iterable[Any], chunk: int = IN_CHUNK
) -> Iterator[tuple[Any, ...]]:
    """The rows of `sql` for `values` (each asked once); `{marks}` in `sql` is the IN list."""
    unique = list(dict.fromkeys(values))
    for start in range(0, len(unique), chunk):
        part = unique[start : start + chunk]
        yield from conn.execute(sql.format(marks=",".join("?" * len(part))), part).fetchall()
