"""`tracer gui`: open the desktop app (PySide6 is imported only when this runs)."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.option(
    "--ledger",
    "ledger_path",
    envvar="TRACER_LEDGER",
    default=None,
    help="Ledger file or postgresql://user@host/db URL to open "
    "(default: the last one opened, else the user data directory).",
)
@click.option("--demo", is_flag=True, help="Build a demo ledger first when the ledger is empty.")
@click.option("--events", default=20_000, show_default=True, help="Events for --demo.")
def gui(ledger_path: str | None, demo: bool, events: int) -> None:
    """Open the desktop app: scan station, inspection, ledger, trace and recall."""
    try:
        from tracer.ui.app import run
    except ImportError as exc:  # PySide6 missing: say how to get it
        raise click.ClickException(
            f"the desktop app needs PySide6 ({exc}); install it with: pip install -e '.[gui]'"
        ) from exc
    from tracer.ledger.backend import is_server_url

    location: str | Path | None = None
    if ledger_path:
        location = ledger_path.strip() if is_server_url(ledger_path) else Path(ledger_path)
    raise SystemExit(run(location, demo=demo, events=events))
