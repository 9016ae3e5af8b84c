"""`tracer signal`, `tracer alerts`, `tracer record`: quality signals, risk alerts, records."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import click

from tracer.cli.options import echo_json, json_option, ledger_option
from tracer.errors import TracerError


def _day(value: str | None) -> date | None:
    if value is None:
        return None
    from tracer.quality.sheet import parse_day

    d = parse_day(value)
    if d is None:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)")
    return d


def _lot(text: str) -> tuple[str, str]:
    from tracer.quality.linking import normalize_gtin

    gtin, sep, lot = text.partition("/")
    g = normalize_gtin(gtin)
    if not sep or not lot or g is None:
        raise TracerError(f"{text!r} is not GTIN/LOT (e.g. 06923456010017/L2601050000)")
    return g, lot


def _open(ledger_path: str, readonly: bool = False) -> Any:
    """An SQLite file or a postgresql:// ledger (`open_ledger`)."""
    from tracer.ledger.backend import is_server_url, open_ledger

    if not is_server_url(ledger_path) and not Path(ledger_path).exists():
        raise TracerError(f"no ledger at {ledger_path}")
    return open_ledger(ledger_path, readonly=readonly)


def _signal_line(s: Any) -> str:
    lots = ", ".join(f"{x.lot}{'?' if x.basis == 'plausible' else ''}" for x in s.lots) or "-"
    what = s.product.gtin or s.product.name or "?"
    result = f" {s.result}" if s.result else ""
    return (
        f"{s.short_id}  {s.day}  {s.kind}{result}  {s.severity}  {s.status}"
        f"{' ' + s.campaign if s.campaign else ''}  {what}  lots: {lots}  "
        f"{s.place or ''}  {(s.description or '')[:40]}"
    )


@click.group("signal")
def signal() -> None:
    """Quality signals: complaints, injury reports, spot checks, linked to lots.

    Each signal is an event in the ledger; assessments, dismissals and
    escalations to recall are new events that name it (see docs/quality.md).
    """


@signal.command("record")
@ledger_option
@click.option(
    "--kind",
    required=True,
    type=click.Choice(
        [
            "consumer_complaint",
            "injury_report",
            "ecommerce_spot_check",
            "market_spot_check",
            "retailer_report",
            "export_return",
            "foreign_recall",
        ]
    ),
    help="What kind of signal.",
)
@click.option("--date", "day", help="Date reported (YYYY-MM-DD; default today).")
@click.option("--code", help="The product's code as scanned or typed (GS1, GTIN, Digital Link).")
@click.option("--photo", type=click.Path(dir_okay=False), help="Photo of the label to decode.")
@click.option("--gtin", help="GTIN typed in (with --lot when known).")
@click.option("--lot", help="Lot number typed in.")
@click.option("--place", help="Where: GLN, SGLN or a shop's / hospital's name.")
@click.option("--reporter", help="Who reported it (person, monitoring point, platform).")
@click.option("--description", default="", help="What happened.")
@click.option(
    "--severity",
    type=click.Choice(["low", "medium", "high", "critical"]),
    default="medium",
    show_default=True,
    help="How serious, as reported.",
)
@click.option("--result", type=click.Choice(["pass", "fail"]), help="Spot checks: the verdict.")
@click.option(
    "--attach", "attach", multiple=True, type=click.Path(dir_okay=False), help="File (repeatable)."
)
@click.option("--by", "by", help="Who records it (operator).")
@json_option
def record(
    ledger_path: str,
    kind: str,
    day: str | None,
    code: str | None,
    photo: str | None,
    gtin: str | None,
    lot: str | None,
    place: str | None,
    reporter: str | None,
    description: str,
    severity: str,
    result: str | None,
    attach: tuple[str, ...],
    by: str | None,
    as_json: bool,
) -> None:
    """Record one signal and show the lots it is linked to.

    Without a lot, the signal is linked to the product and to the lots of it
    that reached --place in the months before (plausible lots).
    """
    from tracer.quality import identify
    from tracer.quality.attachments import store_attachment
    from tracer.quality.signal_model import ProductRef, SignalReport
    from tracer.quality.signals import record_signal

    if sum(x is not None for x in (code, photo, gtin)) > 1:
        raise TracerError("give the product once: --code, --photo or --gtin [--lot]")
    if code:
        product = identify.from_code(code, how="typed")
    elif photo:
        product = identify.from_photo(photo)
    elif gtin:
        product = identify.from_gtin_lot(gtin, lot)
    else:
        product = ProductRef()
    with _open(ledger_path) as ledger:
        files = tuple(store_attachment(ledger, f) for f in attach)
        s = record_signal(
            ledger,
            SignalReport(
                kind=kind,
                date=_day(day) or date.today(),
                product=product,
                severity=severity,
                place=place,
                reporter=reporter,
                description=description,
                result=result,
                attachments=files,
                recorded_by=by,
            ),
        )
    if as_json:
        echo_json(s.as_dict())
    else:
        click.echo(f"recorded signal {s.short_id}")
        click.echo(_signal_line(s))


@signal.command("import")
@ledger_option
@click.argument("sheet_file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--kind",
    default="ecommerce_spot_check",
    show_default=True,
    help="Kind of each row (unless the sheet has a kind column).",
)
@click.option(
    "--column",
    "columns",
    multiple=True,
    help="Override the guessed mapping: FIELD=HEADER (or column letter / number; '-' drops it).",
)
@click.option("--sheet", help="Worksheet name (XLSX; default the first).")
@click.option("--commit", is_flag=True, help="Write the signals (default: preview only).")
@click.option("--strict", is_flag=True, help="Write nothing unless every row links to a lot.")
@click.option("--by", "by", help="Who imports (operator).")
@json_option
def import_(
    ledger_path: str,
    sheet_file: str,
    kind: str,
    columns: tuple[str, ...],
    sheet: str | None,
    commit: bool,
    strict: bool,
    by: str | None,
    as_json: bool,
) -> None:
    """Import signals from a CSV/XLSX result sheet (e.g. a platform's spot checks).

    Shows the column mapping, the first rows and every row that could not be
    linked to a lot (row number + reason). Add --commit to write: all rows
    that identify one of our products, in one transaction.
    """
    from tracer.quality.importer import commit_import, plan_import, preview_rows

    overrides = {}
    for c in columns:
        key, sep, value = c.partition("=")
        if not sep:
            raise TracerError(f"--column {c!r}: expected FIELD=HEADER")
        overrides[key.strip()] = value
    with _open(ledger_path) as ledger:
        plan = plan_import(
            ledger, sheet_file, kind=kind, columns=overrides, sheet=sheet, recorded_by=by
        )
        result = commit_import(ledger, plan, strict=strict) if commit else None
    report = plan.as_dict()
    if result is not None:
        report.update(added=result.added, already_there=result.already_there)
    if as_json:
        report["preview"] = preview_rows(plan)
        echo_json(report)
        return
    click.echo("columns: " + ", ".join(f"{f}={h}" for f, h in plan.columns().items()))
    if report["unmapped_headers"]:
        click.echo("not used: " + ", ".join(report["unmapped_headers"]))
    for row in preview_rows(plan, 5):
        click.echo("  " + "  ".join(f"{k}={v}" for k, v in row.items() if v))
    click.echo(
        f"{len(plan.rows)} rows: {len(plan.linked)} linked to a lot, "
        f"{len(plan.product_only)} to the product only, {len(plan.unlinked)} not linked"
    )
    for r in plan.product_only + plan.unlinked:
        click.echo(f"  row {r.row}: {r.reason}")
    if result is None:
        click.echo("preview only: add --commit to write")
    else:
        click.echo(f"written: {result.added} new signals ({result.already_there} already there)")


@signal.command("list")
@ledger_option
@click.option("--kind", help="Only this kind.")
@click.option(
    "--status", type=click.Choice(["new", "assessed", "dismissed", "escalated"]), help="Status."
)
@click.option("--gtin", help="Only this product (GTIN).")
@click.option("--lot", help="Only signals naming or linked to this lot number.")
@click.option("--since", help="Reported on or after (YYYY-MM-DD).")
@click.option("--until", help="Reported on or before (YYYY-MM-DD).")
@json_option
def list_(
    ledger_path: str,
    kind: str | None,
    status: str | None,
    gtin: str | None,
    lot: str | None,
    since: str | None,
    until: str | None,
    as_json: bool,
) -> None:
    """List signals, oldest first (lots marked ? are plausible, not stated)."""
    from tracer.quality.signals import list_signals

    with _open(ledger_path) as ledger:
        rows = list_signals(
            ledger,
            kind=kind,
            status=status,
            gtin=gtin,
            lot=lot,
            since=_day(since),
            until=_day(until),
        )
    if as_json:
        echo_json([s.as_dict() for s in rows])
        return
    for s in rows:
        click.echo(_signal_line(s))
    click.echo(f"{len(rows)} signals")


@signal.command("assess")
@ledger_option
@click.argument("signal_id")
@click.option("--note", help="What the assessment found.")
@click.option("--severity", type=click.Choice(["low", "medium", "high", "critical"]))
@click.option("--lot", "lots", multiple=True, help="Lot confirmed: GTIN/LOT (repeatable).")
@click.option("--by", "by", help="Who assessed it.")
@json_option
def assess_(
    ledger_path: str,
    signal_id: str,
    note: str | None,
    severity: str | None,
    lots: tuple[str, ...],
    by: str | None,
    as_json: bool,
) -> None:
    """Record an assessment of a signal (a new event; the signal stays as reported)."""
    from tracer.quality.signals import assess

    with _open(ledger_path) as ledger:
        s = assess(
            ledger, signal_id, by=by, note=note, severity=severity, lots=[_lot(x) for x in lots]
        )
    echo_json(s.as_dict()) if as_json else click.echo(_signal_line(s))


@signal.command("dismiss")
@ledger_option
@click.argument("signal_id")
@click.option("--note", help="Why it is dismissed.")
@click.option("--by", "by", help="Who dismissed it.")
@json_option
def dismiss_(
    ledger_path: str, signal_id: str, note: str | None, by: str | None, as_json: bool
) -> None:
    """Dismiss a signal (not a product defect, duplicate, misuse...)."""
    from tracer.quality.signals import dismiss

    with _open(ledger_path) as ledger:
        s = dismiss(ledger, signal_id, by=by, note=note)
    echo_json(s.as_dict()) if as_json else click.echo(_signal_line(s))


@signal.command("escalate")
@ledger_option
@click.argument("signal_id")
@click.option("--campaign", help="Join an existing recall campaign (its id).")
@click.option("--reason", help="Open a new campaign on the signal's lots: the defect.")
@click.option("--hazard", type=click.Choice(["high", "medium", "low"]), default="high")
@click.option("--action", type=click.Choice(["return", "destroy", "repair"]), default="return")
@click.option("--instructions", default="", help="What retailers must do.")
@click.option("--by", "by", help="Who escalated it.")
@json_option
def escalate_(
    ledger_path: str,
    signal_id: str,
    campaign: str | None,
    reason: str | None,
    hazard: str,
    action: str,
    instructions: str,
    by: str | None,
    as_json: bool,
) -> None:
    """Escalate a signal to recall: join --campaign, or open one with --reason."""
    from tracer.quality.signals import escalate, get_signal

    if bool(campaign) == bool(reason):
        raise TracerError("give either --campaign ID (join) or --reason TEXT (open a new one)")
    with _open(ledger_path) as ledger:
        if reason:
            from tracer.quality.alerts import open_recall

            lots = get_signal(ledger, signal_id).lot_keys()
            if not lots:
                raise TracerError("the signal is linked to no lot: assess it with --lot first")
            campaign = open_recall(
                ledger,
                lots,
                [signal_id],
                reason=reason,
                hazard=hazard,
                action=action,
                instructions=instructions,
                by=by,
            )
            s = get_signal(ledger, signal_id)
        else:
            assert campaign is not None
            s = escalate(ledger, signal_id, campaign, by=by)
    echo_json(s.as_dict()) if as_json else click.echo(_signal_line(s))
