"""Options shared by every command that touches a ledger."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

import click

from tracer.ledger.location import default_ledger_path

F = TypeVar("F", bound=Callable[..., Any])


def ledger_option(func: F) -> F:
    """`--ledger PATH|URL`, else $TRACER_LEDGER, else the user-data directory."""
    return click.option(
        "--ledger",
        "ledger_path",
        envvar="TRACER_LEDGER",
        default=lambda: str(default_ledger_path()),
        show_default="user data directory, or $TRACER_LEDGER",
        help="Ledger to use: an SQLite file, or a postgresql://user@host/db URL.",
    )(func)


def json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Machine-readable JSON output.")(
        func
    )


def parse_when(value: str | None) -> datetime | None:
    """`--since`/`--until`/`--when`: ISO 8601 or YYYY-MM-DD (China time when no offset is given)."""
    from tracer.model import parse_time

    if value is None:
        return None
    try:
        return parse_time(value if "T" in value or len(value) > 10 else value + "T00:00:00+08:00")
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date or ISO 8601 time") from exc


def echo_json(obj: Any) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2, default=str))
