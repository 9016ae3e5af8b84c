"""`tracer hash | import | export | merge | push | pull`: EPCIS 2.0 interchange."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tracer.cli.options import echo_json, json_option, ledger_option, parse_when
from tracer.errors import TracerError


@click.command("hash")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--prehash",
    is_flag=True,
    help="Print the canonical pre-hash strings instead of the hash IDs.",
)
def hash_(file: Path, prehash: bool) -> None:
    """Print the EPCIS event hash ID (ni:///sha-256;…?ver=CBV2.0) of every event in FILE.

    FILE is an EPCIS 2.0 JSON / JSON-LD document or query document, or an
    EPCIS 2.0 / 1.2 XML document. One line per event, in document order.
    """
    from tracer.epcis.event_hash import document_prehashes, hash_prehash

    try:
        pre = document_prehashes(file)
    except (ValueError, KeyError, TypeError) as exc:
        raise TracerError(f"{file}: not a readable EPCIS document ({exc})") from exc
    except Exception as exc:  # lxml / json syntax errors
        if type(exc).__module__.startswith(("lxml", "json")):
            raise TracerError(f"{file}: not a readable EPCIS document ({exc})") from exc
        raise
    for p in pre:
        click.echo(p if prehash else hash_prehash(p))


# ---------------------------------------------------------------------------
# import / export / merge / push / pull


class _Bar:
    """A progress bar on stderr (only on a terminal, and never with --json)."""

    def __init__(self, total: int, label: str, show: bool) -> None:
        self._bar = None
        if show and sys.stderr.isatty():
            self._bar = click.progressbar(length=total, label=label, file=sys.stderr)
            self._bar.__enter__()
        self._done = 0

    def __call__(self, done: int) -> None:
        if self._bar is not None:
            self._bar.update(max(0, done - self._done))
        self._done = done

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)


@click.command("import")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@ledger_option
@json_option
def import_(files: tuple[Path, ...], ledger_path: str, as_json: bool) -> None:
    """Import EPCIS documents: EPCIS 2.0 JSON / JSON-LD (documents and query
    documents), EPCIS 2.0 XML and EPCIS 1.2 XML, master data included.

    Each file is validated against the official schema first and imported all
    or nothing; events already in the ledger (same event hash) are skipped.
    """
    from tracer.epcis.importer import import_document
    from tracer.ledger.backend import open_ledger

    reports = []
    with open_ledger(ledger_path) as ledger:
        for f in files:
            bar = _Bar(f.stat().st_size, f"Importing {f.name}", not as_json)
            try:
                r = import_document(ledger, f, progress=bar)
            finally:
                bar.close()
            reports.append(r)
            if not as_json:
                md = r.master_data
                click.echo(
                    f"{f}: {r.events} events, {r.added} added, {r.skipped} already in the "
                    f"ledger; master data {md.added} added, {md.updated} completed"
                    + (f", {len(md.conflicts)} not reconciled" if md.conflicts else "")
                    + f" ({r.seconds:.1f} s)"
                )
                for c in md.conflicts:
                    click.echo(f"  not reconciled: {c}")
    if as_json:
        echo_json([r.as_dict() for r in reports])


@click.command("export")
@ledger_option
@click.option("--lot", help="GTIN/LOT, e.g. 06923456010032/L260105001.")
@click.option("--location", help="GLN or SGLN URI (read point or business location).")
@click.option("--since", help="Events at or after this time (ISO 8601 or a date).")
@click.option("--until", help="Events before this time.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["epcis-json", "epcis-xml"]),
    default="epcis-json",
    show_default=True,
    help="EPCIS 2.0 JSON-LD or EPCIS 2.0 XML.",
)
@click.option(
    "--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Output file."
)
@json_option
def export(
    ledger_path: str,
    lot: str | None,
    location: str | None,
    since: str | None,
    until: str | None,
    fmt: str,
    out: Path,
    as_json: bool,
) -> None:
    """Export the ledger, or the events of a lot / location / time range, as an
    EPCIS 2.0 document with master data for the locations and products it names."""
    from tracer.epcis.exporter import export as do_export
    from tracer.ledger import EventQuery
    from tracer.ledger.backend import open_ledger

    lot_key = None
    if lot:
        if "/" not in lot:
            raise click.BadParameter(
                "use GTIN/LOT, e.g. 06923456010032/L260105001", param_hint="--lot"
            )
        gtin, number = lot.split("/", 1)
        lot_key = (gtin.zfill(14), number)
    q = EventQuery(lot=lot_key, location=location, since=parse_when(since), until=parse_when(until))
    with open_ledger(ledger_path, readonly=True) as ledger:
        bar = _Bar(ledger.event_count(q), f"Exporting to {out.name}", not as_json)
        try:
            r = do_export(ledger, out, fmt=fmt, query=q, progress=bar)
        finally:
            bar.close()
    if as_json:
        echo_json(r.as_dict())
    else:
        click.echo(
            f"{out}: {r.events} events, master data for {r.locations} locations and "
            f"{r.classes} products/lots ({r.seconds:.1f} s)"
        )


@click.command("merge")
@click.argument("other", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@ledger_option
@json_option
def merge(other: Path, ledger_path: str, as_json: bool) -> None:
    """Merge another ledger (an inspector's laptop) or an EPCIS export into this one.

    Adds every event this ledger lacks, keeping who recorded it and on which
    station; reports what was added, skipped and could not be reconciled.
    """
    from tracer.epcis.merge import merge as do_merge
    from tracer.ledger.backend import open_ledger

    with open_ledger(ledger_path) as ledger:
        r = do_merge(ledger, other)
    d = r.as_dict()
    if as_json:
        echo_json(d)
        return
    click.echo(
        f"{other}: {r.events} events, {r.added} added, {r.skipped} already here"
        + (f", {r.reidentified} re-identified by their event hash" if r.reidentified else "")
    )
    for who in d["added_by"]:
        click.echo(
            f"  added {who['events']} recorded by {who['operator'] or '?'} "
            f"at {who['station'] or '?'}"
        )
    md = r.master_data
    click.echo(f"master data: {md.added} added, {md.updated} completed, {md.unchanged} unchanged")
    for c in d["not_reconciled"]:
        click.echo(f"  not reconciled: {c}")


@click.command("push")
@click.argument("url")
@ledger_option
@click.option("--batch", default=500, show_default=True, help="Events per capture request.")
@click.option(
    "--token",
    envvar="TRACER_TOKEN",
    help="Bearer token for the repository (e.g. from `tracer serve token add`); or $TRACER_TOKEN.",
)
@json_option
def push(url: str, ledger_path: str, batch: int, token: str | None, as_json: bool) -> None:
    """Send the events URL (an EPCIS 2.0 REST repository) has not acknowledged yet
    (POST URL/capture). An interrupted push resumes where it stopped."""
    from tracer.epcis.rest import push as do_push
    from tracer.ledger.backend import open_ledger

    with open_ledger(ledger_path) as ledger:
        r = do_push(ledger, url, batch=batch, token=token)
    if as_json:
        echo_json(r.as_dict())
    else:
        click.echo(f"{r.url}: {r.sent} events sent in {r.batches} requests, all acknowledged")


@click.command("pull")
@click.argument("url")
@ledger_option
@click.option("--since", help="Only events at or after this time (ISO 8601 or a date).")
@click.option("--per-page", default=500, show_default=True, help="Events per query page.")
@click.option(
    "--token",
    envvar="TRACER_TOKEN",
    help="Bearer token for the repository (e.g. from `tracer serve token add`); or $TRACER_TOKEN.",
)
@json_option
def pull(
    url: str, ledger_path: str, since: str | None, per_page: int, token: str | None, as_json: bool
) -> None:
    """Import the events of URL (an EPCIS 2.0 REST repository; GET URL/events)."""
    from tracer.epcis.rest import pull as do_pull
    from tracer.ledger.backend import open_ledger

    with open_ledger(ledger_path) as ledger:
        r = do_pull(ledger, url, since=parse_when(since), per_page=per_page, token=token)
    if as_json:
        echo_json(r.as_dict())
    else:
        click.echo(
            f"{r.url}: {r.events} events in {r.pages} pages, {r.added} added, "
            f"{r.skipped} already in the ledger"
        )
