"""`tracer alerts` and `tracer record`: risk alerts from clustered signals, quality records."""

from __future__ import annotations

import click

from tracer.cli.options import echo_json, json_option, ledger_option
from tracer.cli.quality import _day, _open
from tracer.errors import TracerError


@click.command("alerts")
@ledger_option
@click.option("--all", "show_all", is_flag=True, help="Also alerts already escalated to recall.")
@click.option("--no-trace", is_flag=True, help="Skip the forward trace of each alert's lots.")
@click.option("--rules", "show_rules", is_flag=True, help="Show the rules in force and exit.")
@click.option(
    "--set",
    "changes",
    multiple=True,
    help="Change a rule: NAME=VALUE (e.g. lot_count=3, lot_window_days=30); repeatable.",
)
@click.option("--recall", "recall_id", help="Open a recall campaign from this alert id.")
@click.option("--reason", help="With --recall: the defect (default: the alert's title).")
@click.option("--hazard", type=click.Choice(["high", "medium", "low"]), default="high")
@click.option("--action", type=click.Choice(["return", "destroy", "repair"]), default="return")
@click.option("--instructions", default="", help="With --recall: what retailers must do.")
@click.option("--by", "by", help="Who opens the recall.")
@json_option
def alerts(
    ledger_path: str,
    show_all: bool,
    no_trace: bool,
    show_rules: bool,
    changes: tuple[str, ...],
    recall_id: str | None,
    reason: str | None,
    hazard: str,
    action: str,
    instructions: str,
    by: str | None,
    as_json: bool,
) -> None:
    """Risk alerts raised by clustered signals, with the trace of the lots involved.

    Rules: N signals on one lot, one product or lots made from one supplier
    input lot within a window; any high-severity injury report; any failed
    spot check. --set changes thresholds (stored in the ledger); --recall
    ALERT_ID opens a recall campaign on the alert's lots in one step.
    """
    from tracer.quality.alerts import evaluate, recall_from_alert
    from tracer.quality.rules import load_rules, set_rules

    with _open(ledger_path) as ledger:
        if changes:
            pairs = dict(c.partition("=")[::2] for c in changes)
            set_rules(ledger, {k.strip(): v.strip() for k, v in pairs.items()})
        if show_rules or changes:
            rules = load_rules(ledger).as_dict()
            if as_json:
                echo_json(rules)
            else:
                for k, v in rules.items():
                    click.echo(f"{k} = {v}")
            return
        if recall_id:
            campaign = recall_from_alert(
                ledger,
                recall_id,
                reason=reason,
                hazard=hazard,
                action=action,
                instructions=instructions,
                by=by,
            )
            echo_json({"campaign": campaign}) if as_json else click.echo(
                f"opened recall campaign {campaign} (see tracer recall / docs/recall.md)"
            )
            return
        found = evaluate(ledger, with_trace=not no_trace, include_escalated=show_all)
    if as_json:
        echo_json([a.as_dict() for a in found])
        return
    for a in found:
        click.echo(f"[{a.status}] {a.alert_id}  {a.first_day}..{a.last_day}  {a.title}")
        click.echo(f"    signals: {', '.join(s.short_id for s in a.signals)}")
        click.echo(f"    lots: {', '.join(f'{g}/{lot}' for g, lot in a.lots) or '-'}")
        if a.campaigns:
            click.echo(f"    recall: {', '.join(a.campaigns)}")
        if a.trace:
            t = a.trace
            click.echo(
                f"    trace: {len(t.lots)} lots, {t.units_produced:g} units made, "
                f"{t.units_at_retail:g} at {len(t.retailers)} retailers, {t.units_sold:g} sold"
            )
            for r in t.retailers[:10]:
                click.echo(
                    f"      {r.name_zh or r.name}  {r.city or ''}  {r.units_received:g} received"
                    f"  {r.units_on_hand:g} on hand"
                )
            if len(t.retailers) > 10:
                click.echo(f"      ... and {len(t.retailers) - 10} more")
    click.echo(f"{len(found)} alerts")


@click.command("record")
@ledger_option
@click.option(
    "--producer", "producer", help="Producer: the GLN its products name (products.producer_gln)."
)
@click.option("--product", "product", help="Product: GTIN.")
@click.option("--supplier", "supplier", help="Supplier: GLN of its materials' producer.")
@click.option("--since", help="Period start (YYYY-MM-DD).")
@click.option("--until", help="Period end, inclusive (YYYY-MM-DD).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write the record as .xlsx or .pdf (dated history included).",
)
@json_option
def record_(
    ledger_path: str,
    producer: str | None,
    product: str | None,
    supplier: str | None,
    since: str | None,
    until: str | None,
    output: str | None,
    as_json: bool,
) -> None:
    """Quality record of a producer, product or supplier: pass rates against the
    92 % target, signals, flagged input lots, recalls, on-time acknowledgements
    and a dated history; -o exports it as XLSX or PDF."""
    from tracer.quality.record_export import history_rows, summary_rows, write_record
    from tracer.quality.records import quality_record

    given = [(s, k) for s, k in (("producer", producer), ("product", product),
                                 ("supplier", supplier)) if k]  # fmt: skip
    if len(given) != 1:
        raise TracerError("name one of --producer GLN, --product GTIN or --supplier GLN")
    scope, key = given[0]
    if scope == "product":
        from tracer.quality.linking import normalize_gtin

        key = normalize_gtin(key) or key
    with _open(ledger_path) as ledger:
        rec = quality_record(ledger, scope, key, since=_day(since), until=_day(until))
    if output:
        path = write_record(rec, output)
        if not as_json:
            click.echo(f"wrote {path}")
    if as_json:
        echo_json(rec.as_dict())
    elif not output:
        for label, value in summary_rows(rec):
            click.echo(f"{label}: {value}")
        click.echo("history:")
        for row in history_rows(rec):
            click.echo("  " + "  ".join(v for v in row if v))
