"""`tracer demo | stats | verify | events`: build, inspect and check a ledger."""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from tracer.cli.options import echo_json, json_option, ledger_option, parse_when
from tracer.errors import TamperError, TracerError
from tracer.ledger import EventQuery
from tracer.ledger.backend import is_server_url, open_ledger, verify_ledger
from tracer.ledger.codec import event_to_epcis


@click.command()
@ledger_option
@click.option("--seed", default=1, show_default=True, help="Random seed: same seed, same ledger.")
@click.option(
    "--events",
    "n_events",
    default=20_000,
    show_default=True,
    help="About how many events to write (whole lots, so a few more).",
)
@click.option(
    "--if-missing",
    is_flag=True,
    help="Do nothing when the ledger already has events (used by `make demo`).",
)
@json_option
def demo(ledger_path: str, seed: int, n_events: int, if_missing: bool, as_json: bool) -> None:
    """Build a realistic demo ledger: a Chinese toy and kitchen-appliance supply chain."""
    from tracer.demo.build import build_demo, build_demo_file, build_demo_on_server

    path = None if is_server_url(ledger_path) else Path(ledger_path).expanduser()
    if path is not None and not path.exists():
        # a new file: bulk loaded under a temporary name, renamed when complete
        with click.progressbar(
            length=n_events, label="Writing demo events", file=sys.stderr
        ) as bar:
            build_demo_file(path, seed=seed, events=n_events, progress=bar.update)
        with open_ledger(path, readonly=True) as ledger:
            summary_stats = ledger.stats()
    else:
        with open_ledger(ledger_path) as ledger:
            if if_missing and ledger.count() > 0:
                if not as_json:
                    click.echo(f"Demo ledger already at {ledger_path} ({ledger.count()} events).")
            else:
                if ledger.count() > 0:
                    raise TracerError(
                        f"{ledger_path} already holds {ledger.count()} events; the demo goes "
                        "into a new ledger (choose another --ledger path)"
                    )
                server = path is None  # a postgresql:// ledger
                with click.progressbar(
                    length=n_events * (2 if server else 1),
                    label="Writing demo events",
                    file=sys.stderr,
                ) as bar:
                    if server:  # built as a file, then loaded: same rows, quicker
                        build_demo_on_server(
                            ledger, seed=seed, events=n_events, progress=bar.update
                        )
                    else:
                        build_demo(ledger, seed=seed, events=n_events, progress=bar.update)  # type: ignore[arg-type]
            summary_stats = ledger.stats()
    if as_json:
        echo_json(summary_stats)
    else:
        _print_stats(summary_stats)


@click.command()
@ledger_option
@json_option
def stats(ledger_path: str, as_json: bool) -> None:
    """Counts by event type, master data, first and last event time, file size."""
    with open_ledger(ledger_path, readonly=True) as ledger:
        s = ledger.stats()
    if as_json:
        echo_json(s)
    else:
        _print_stats(s)


def _print_stats(s: dict[str, object]) -> None:
    click.echo(f"Ledger      {s['ledger']}")
    click.echo(f"Events      {s['events']:,}")
    by_type = s["events_by_type"]
    assert isinstance(by_type, dict)
    for kind, n in sorted(by_type.items()):
        click.echo(f"  {kind:<22}{n:>12,}")
    click.echo(f"  {'error declarations':<22}{s['error_declarations']:>12,}")
    for key in ("products", "lots", "locations", "stations", "operators"):
        click.echo(f"{key.capitalize():<12}{s[key]:,}")
    click.echo(f"First event {s['first_event_time'] or '-'}")
    click.echo(f"Last event  {s['last_event_time'] or '-'}")
    click.echo(f"File size   {int(str(s['file_bytes'])) / 1e6:,.1f} MB")


@click.command()
@ledger_option
@json_option
def verify(ledger_path: str, as_json: bool) -> None:
    """Check the hash chain: exit 0 when intact, 3 naming the first bad row otherwise."""
    with open_ledger(ledger_path, readonly=True) as ledger:
        report = verify_ledger(ledger)
    if as_json:
        echo_json(
            {"ok": report.ok, "rows": report.rows, "problem": report.problem, "seq": report.seq}
        )
        if not report.ok:
            raise SystemExit(TamperError.exit_code)
        return
    if not report.ok:
        raise TamperError(f"ledger {ledger_path} failed verification: {report.problem}")
    click.echo(f"OK: {report.rows:,} events, hash chain intact.")


def _echo_json_events(ledger: Any, stored: Iterable[Any], page: int = 1000) -> None:
    """One EPCIS JSON event per line; `sourceEventID`: the id it came with, if not its hash."""
    from tracer.epcis.source_ids import key_of, source_ids

    events = iter(stored)
    while chunk := [s.event for s in itertools.islice(events, page)]:
        given = source_ids(ledger, [key_of(e) for e in chunk])
        for e in chunk:
            d = event_to_epcis(e)
            if (own := given.get(key_of(e))) is not None:
                d["sourceEventID"] = own
            click.echo(json.dumps(d, ensure_ascii=False))


@click.command()
@ledger_option
@click.option("--lot", help="GTIN/LOT, e.g. 06923456010032/L260105001.")
@click.option("--epc", help="An identifier: EPC URI (SGTIN, SSCC...) or class-level id.")
@click.option(
    "--product",
    help="GTIN: events naming any SGTIN or LGTIN of this product (any role, any lot).",
)
@click.option("--location", help="GLN or SGLN URI (read point or business location).")
@click.option("--since", help="From this time (ISO 8601 or YYYY-MM-DD, +08:00 by default).")
@click.option("--until", help="Before this time.")
@click.option("--biz-step", help="CBV business step, e.g. shipping.")
@click.option("--limit", type=int, default=None, help="At most this many events.")
@json_option
def events(
    ledger_path: str,
    lot: str | None,
    epc: str | None,
    product: str | None,
    location: str | None,
    since: str | None,
    until: str | None,
    biz_step: str | None,
    limit: int | None,
    as_json: bool,
) -> None:
    """List events, filtered; --json prints EPCIS 2.0 JSON events, one per line."""
    lot_key = None
    if lot:
        if "/" not in lot:
            raise click.BadParameter(
                "use GTIN/LOT, e.g. 06923456010032/L260105001", param_hint="--lot"
            )
        gtin, number = lot.split("/", 1)
        lot_key = (gtin.zfill(14), number)
    if product is not None and not (product.isdigit() and 8 <= len(product) <= 14):
        raise click.BadParameter("a GTIN is 8 to 14 digits", param_hint="--product")
    q = EventQuery(
        lot=lot_key,
        epc=epc,
        product=product.zfill(14) if product else None,
        location=location,
        since=parse_when(since),
        until=parse_when(until),
        biz_step=biz_step,
        limit=limit,
    )
    with open_ledger(ledger_path, readonly=True) as ledger:
        if as_json:
            _echo_json_events(ledger, ledger.events(q))
            return
        for stored in ledger.events(q):
            e = stored.event
            what = (e.parent_id or "") + " ".join(
                [*e.epc_list[:2], *(q.epc_class for q in e.quantity_list[:1])]
            )
            click.echo(
                f"{stored.seq:>8}  {e.event_time.isoformat(timespec='minutes')}  "
                f"{e.event_type.value:<20} {e.biz_step or '-':<15} {what[:70]}"
            )
