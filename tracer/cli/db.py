"""`tracer db init | upgrade | status | load` and `tracer sync`: the shared ledger server."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from tracer.cli.options import echo_json, json_option, ledger_option

if TYPE_CHECKING:
    from tracer.ledger.postgres.admin import SchemaChange


LOAD_HINT_FROM = 50_000  # events: below that a sync is quick anyway


@click.group()
def db() -> None:
    """Set up and upgrade a shared ledger on a PostgreSQL server."""


def _sqlite(path: str) -> SchemaChange:
    """An SQLite ledger is created and upgraded by opening it."""
    from pathlib import Path

    from tracer.ledger import Ledger
    from tracer.ledger.postgres.admin import SchemaChange

    existed = Path(path).expanduser().exists()
    with Ledger.open(path) as ledger:
        row = ledger.connection.execute(
            "SELECT version FROM schema_versions WHERE component = 'ledger'"
        ).fetchone()
    return SchemaChange(int(row[0]) if existed else 0, int(row[0]))


@db.command("init")
@click.argument("url", envvar="TRACER_LEDGER")
@json_option
def db_init(url: str, as_json: bool) -> None:
    """Create the ledger's tables in an empty database (run as the database's owner).

    URL: postgresql://user[:password]@host[:port]/database (or $TRACER_LEDGER).
    An SQLite path works too: the file is created.
    """
    from tracer.ledger.backend import is_server_url

    if is_server_url(url):
        from tracer.ledger.postgres import safe_url
        from tracer.ledger.postgres.admin import init_database

        change = init_database(url)
        where = safe_url(url)
    else:
        change, where = _sqlite(url), url
    if as_json:
        echo_json({"ledger": where, "before": change.before, "after": change.after})
    elif change.before == 0:
        click.echo(f"Created a tracer ledger (schema version {change.after}) in {where}.")
    else:
        click.echo(f"{where} already holds a tracer ledger (schema version {change.after}).")


@db.command("upgrade")
@click.argument("url", envvar="TRACER_LEDGER")
@json_option
def db_upgrade(url: str, as_json: bool) -> None:
    """Apply the schema migrations the ledger lacks (run as the database's owner).

    URL: postgresql://user[:password]@host[:port]/database (or $TRACER_LEDGER).
    """
    from tracer.ledger.backend import is_server_url

    if is_server_url(url):
        from tracer.ledger.postgres import safe_url
        from tracer.ledger.postgres.admin import upgrade_database

        change = upgrade_database(url)
        where = safe_url(url)
    else:
        change, where = _sqlite(url), url
    if as_json:
        echo_json({"ledger": where, "before": change.before, "after": change.after})
    elif change.changed:
        click.echo(f"Upgraded {where} from schema version {change.before} to {change.after}.")
    else:
        click.echo(f"{where} is up to date (schema version {change.after}).")


@db.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.argument("url", envvar="TRACER_LEDGER")
@json_option
def db_load(file: str, url: str, as_json: bool) -> None:
    """Move a whole ledger file onto an empty server ledger, row for row.

    FILE: an SQLite ledger. URL: postgresql://user[:password]@host[:port]/database
    (or $TRACER_LEDGER), created with `tracer db init` and holding no events yet.
    Seq numbers, record times and the hash chain stay the same, so `tracer
    verify` on the server proves what it proved on the file. All or nothing:
    an error or Ctrl-C leaves the server ledger empty. Afterwards `tracer sync
    --ledger FILE --to URL` sends only what the file records later.
    """
    import sys

    from tracer.errors import TracerError
    from tracer.ledger.backend import is_server_url
    from tracer.ledger.postgres import PgLedger, safe_url
    from tracer.ledger.postgres.load import load_file, source_events

    if not is_server_url(url):
        raise TracerError("tracer db load takes a postgresql:// URL to load into")
    total = source_events(file)
    with (
        PgLedger.open(url) as target,
        click.progressbar(length=total, label="Loading", file=sys.stderr) as bar,
    ):

        def stage(name: str) -> None:  # the steps after the events have no count
            bar.label = f"Loading: {name}"
            bar.render_progress()

        report = load_file(file, target, progress=bar.update, stage=stage)
    if as_json:
        echo_json({**report.as_dict(), "target": safe_url(url)})
        return
    click.echo(
        f"Loaded {report.events:,} events ({report.identifiers:,} identifiers, "
        f"{report.master_records:,} master-data records) from {file} into {safe_url(url)}; "
        "the chain is unchanged."
    )


@db.command("status")
@click.argument("url", envvar="TRACER_LEDGER")
@json_option
def db_status(url: str, as_json: bool) -> None:
    """Show each component's schema version in a PostgreSQL ledger.

    URL: postgresql://user[:password]@host[:port]/database (or $TRACER_LEDGER).
    """
    from tracer.errors import TracerError
    from tracer.ledger.backend import is_server_url
    from tracer.ledger.postgres import safe_url
    from tracer.ledger.postgres.admin import schema_versions

    if not is_server_url(url):
        raise TracerError("tracer db status takes a postgresql:// URL")
    versions = schema_versions(url)
    if as_json:
        echo_json({"ledger": safe_url(url), "versions": versions})
        return
    if not versions:
        click.echo(f"No tracer ledger in {safe_url(url)} yet (run `tracer db init URL`).")
        return
    click.echo(f"Ledger {safe_url(url)}")
    for component, version in versions.items():
        click.echo(f"  {component:<16} version {version}")


@click.command()
@ledger_option
@click.option(
    "--to",
    "target",
    required=True,
    help="The shared ledger: postgresql://user@host/db (or another ledger path).",
)
@click.option("--full", is_flag=True, help="Check every local event, not only new ones.")
@json_option
def sync(ledger_path: str, target: str, full: bool, as_json: bool) -> None:
    """Send the events the shared ledger lacks, once each (by event hash).

    Run it when the server is back after an outage: the station kept recording
    into its own ledger meanwhile. Safe to repeat or interrupt.
    """
    import sys

    from tracer.ledger.backend import is_server_url, open_ledger
    from tracer.ledger.postgres.sync import pending
    from tracer.ledger.postgres.sync import sync as run_sync
    from tracer.quality.attachments import copy_attachments

    with open_ledger(ledger_path) as local, open_ledger(target) as shared:
        todo = pending(local, shared, full=full)
        if todo >= LOAD_HINT_FROM and is_server_url(target) and shared.count() == 0:
            click.echo(
                f"Tip: the server ledger is empty; `tracer db load {ledger_path} URL` moves "
                "the whole file over row for row (same chain, with master data) and faster.",
                err=True,
            )
        with click.progressbar(length=todo, label="Syncing", file=sys.stderr) as bar:
            report = run_sync(local, shared, full=full, progress=bar.update)
        files = copy_attachments(local, shared)  # signals' photos recorded offline
    if as_json:
        echo_json({**report.as_dict(), "files": files})
        return
    click.echo(
        f"Sent {report.sent:,} events to {report.target}; {report.present:,} were already "
        f"there ({report.checked:,} checked); {files:,} attached files copied."
    )
