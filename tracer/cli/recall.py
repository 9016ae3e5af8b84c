"""`tracer recall …`: open and run a recall campaign, write its lists, notices and reports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from tracer.cli.options import echo_json, json_option, ledger_option, parse_when


def _lots(values: tuple[str, ...]) -> list[tuple[str, str]]:
    from tracer.recall import parse_lot

    if not values:
        raise click.UsageError("give at least one --lot GTIN/LOT")
    return [parse_lot(v) for v in values]


def _open_ledger(path: str) -> Any:
    from tracer.ledger.backend import open_ledger

    return open_ledger(path)


@click.group("recall")
def recall() -> None:
    """Recall campaigns: open, notify, record answers, follow progress, report.

    Every change is an EPCIS event in the ledger (bizStep recalling /
    destroying), so a campaign survives merges of laptop ledgers.
    """


@recall.command("open")
@ledger_option
@click.option("--lot", "lots", multiple=True, help="Defective lot GTIN/LOT (repeatable).")
@click.option("--reason", required=True, help="The defect found.")
@click.option("--hazard", type=click.Choice(["high", "medium", "low"]), required=True)
@click.option(
    "--action",
    "remedy",
    type=click.Choice(["return", "destroy", "repair"]),
    required=True,
    help="What retailers must do with the goods.",
)
@click.option("--instructions", default="", help="Details for the notice (where to return, ...).")
@click.option("--by", "opened_by", help="Who opens the campaign.")
@click.option("--id", "campaign_id", help="Campaign id (default RC-YYYYMMDD-XXXXXX).")
@json_option
def open_(
    ledger_path: str,
    lots: tuple[str, ...],
    reason: str,
    hazard: str,
    remedy: str,
    instructions: str,
    opened_by: str | None,
    campaign_id: str | None,
    as_json: bool,
) -> None:
    """Open a campaign: affected lots (through transformations) and every location that
    received them, with contacts and quantities."""
    from tracer.recall import campaign_progress, open_campaign

    with _open_ledger(ledger_path) as ledger:
        c = open_campaign(
            ledger,
            _lots(lots),
            reason=reason,
            hazard=hazard,
            action=remedy,
            instructions=instructions,
            opened_by=opened_by,
            campaign_id=campaign_id,
        )
        progress = campaign_progress(ledger, c.campaign_id)
    if as_json:
        echo_json(c.as_dict())
        return
    click.echo(
        f"Opened {c.campaign_id}: {len(c.affected_lots)} affected lot(s), "
        f"{len(c.targets)} location(s), {progress.units_on_hand:g} units held there."
    )
    _print_targets(c.targets)


def _print_targets(targets: list[Any]) -> None:
    for t in targets:
        status = "ack" if t.acknowledged_at else ("notified" if t.notified_at else "—")
        click.echo(
            f"  {t.gln or t.sgln:<14} {(t.name or '')[:34]:<34} {t.region or '':<10} "
            f"{t.contact or '':<6} {t.phone or '':<14} got {t.units_shipped:>6g}  "
            f"held {t.units_on_hand:>6g}  back {t.units_accounted:>6g}  {status}"
        )


@recall.command("show")
@ledger_option
@click.argument("campaign_id", required=False)
@json_option
def show(ledger_path: str, campaign_id: str | None, as_json: bool) -> None:
    """Progress of a campaign (or, without CAMPAIGN_ID, the list of campaigns):
    retailers notified / acknowledged, units accounted for, per region."""
    from tracer.recall import campaign_progress, list_campaigns

    with _open_ledger(ledger_path) as ledger:
        if campaign_id is None:
            campaigns = list_campaigns(ledger)
            if as_json:
                echo_json(
                    [{k: v for k, v in c.as_dict().items() if k != "targets"} for c in campaigns]
                )
            for c in [] if as_json else campaigns:
                click.echo(
                    f"{c.campaign_id}  {c.status:<6}  {c.hazard:<6}  {c.remedy:<7}  "
                    f"{len(c.targets):>5} locations  {c.reason}"
                )
            return
        p = campaign_progress(ledger, campaign_id)
    if as_json:
        echo_json({**p.as_dict(), "targets_detail": [t.as_dict() for t in p.campaign.targets]})
        return
    c = p.campaign
    click.echo(f"{c.campaign_id} [{c.status}] hazard {c.hazard}, {c.remedy}: {c.reason}")
    click.echo(f"Notified {p.notified}/{p.targets}, acknowledged {p.acknowledged}/{p.targets}")
    click.echo(
        f"Units: distributed {p.units_shipped:g}, sold {p.units_sold:g}, held at opening "
        f"{p.units_on_hand:g}; returned {p.units_returned:g}, destroyed {p.units_destroyed:g}, "
        f"repaired {p.units_repaired:g} = {p.units_accounted:g} accounted for "
        f"({p.percent_of_on_hand:.1f}% of held, {p.percent_of_shipped:.1f}% of distributed "
        "incl. sold)"
    )
    click.echo("\nRegion        locations  notified  ack  distributed  held  recovered")
    for r in p.regions:
        click.echo(
            f"{r.region:<13} {r.targets:>9} {r.notified:>9} {r.acknowledged:>4} "
            f"{r.units_shipped:>12g} {r.units_on_hand:>5g} {r.units_accounted:>10g}"
        )
    click.echo("")
    _print_targets(c.targets)


@recall.command("ack")
@ledger_option
@click.argument("campaign_id")
@click.argument("gln")
@click.option("--by", help="Who at the location confirmed.")
@click.option("--note")
@click.option("--when", help="When (ISO 8601 / YYYY-MM-DD), default now.")
def ack(
    ledger_path: str, campaign_id: str, gln: str, by: str | None, note: str | None, when: str | None
) -> None:
    """Record that location GLN acknowledged the recall notice."""
    from tracer.recall import record_ack

    with _open_ledger(ledger_path) as ledger:
        c = record_ack(ledger, campaign_id, gln, by=by, note=note, when=parse_when(when))
    t = c.target(gln)
    click.echo(f"{campaign_id}: {t.name if t else gln} acknowledged.")


def _units_command(name: str, verb: str) -> click.Command:
    @click.command(name, help=f"Record QUANTITY units {verb} by location GLN (one EPCIS event).")
    @ledger_option
    @click.argument("campaign_id")
    @click.argument("gln")
    @click.argument("quantity", type=float)
    @click.option("--lot", help="GTIN/LOT, needed when the location got several lots.")
    @click.option("--by", help="Who recorded it.")
    @click.option("--note")
    @click.option("--when", help="When (ISO 8601 / YYYY-MM-DD), default now.")
    def command(
        ledger_path: str,
        campaign_id: str,
        gln: str,
        quantity: float,
        lot: str | None,
        by: str | None,
        note: str | None,
        when: str | None,
    ) -> None:
        from tracer import recall as api

        record = {
            "return": api.record_return,
            "destroy": api.record_destroy,
            "repair": api.record_repair,
        }[name]
        with _open_ledger(ledger_path) as ledger:
            c = record(
                ledger, campaign_id, gln, quantity, lot=lot, by=by, note=note, when=parse_when(when)
            )
        t = c.target(gln)
        assert t is not None
        click.echo(
            f"{campaign_id}: {t.name} {verb} {quantity:g}; "
            f"{t.units_accounted:g} of {t.units_on_hand:g} held are now accounted for."
        )

    return command


recall.add_command(_units_command("return", "returned"))
recall.add_command(_units_command("destroy", "destroyed"))
recall.add_command(_units_command("repair", "repaired"))


@recall.command("close")
@ledger_option
@click.argument("campaign_id")
@click.option("--by")
@click.option("--note")
def close(ledger_path: str, campaign_id: str, by: str | None, note: str | None) -> None:
    """Close a campaign (write the closing summary with `recall report --kind closing`)."""
    from tracer.recall import close_campaign

    with _open_ledger(ledger_path) as ledger:
        close_campaign(ledger, campaign_id, by=by, note=note)
    click.echo(f"{campaign_id} closed.")


@recall.command("notices")
@ledger_option
@click.argument("campaign_id")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder for the letters (.pdf) and e-mails (.eml).",
)
@click.option("--mark-notified", is_flag=True, help="Also record each location as notified.")
@click.option("--by")
def notices(
    ledger_path: str, campaign_id: str, out_dir: str, mark_notified: bool, by: str | None
) -> None:
    """Write one bilingual PDF letter and one ready-to-send .eml per location."""
    from tracer.recall.notices import write_notices

    with _open_ledger(ledger_path) as ledger:
        paths = write_notices(ledger, campaign_id, out_dir, mark_notified=mark_notified, by=by)
    click.echo(f"Wrote {len(paths) // 2} letters and e-mails to {out_dir}")


@recall.command("export")
@ledger_option
@click.argument("campaign_id")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False))
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(["csv", "xlsx", "pdf", "kde"]),
    help="Which files (repeatable; default all): master retailer list as CSV / XLSX / "
    "PDF, kde = FSMA 204 style key data elements (XLSX).",
)
def export(ledger_path: str, campaign_id: str, out_dir: str, formats: tuple[str, ...]) -> None:
    """Write the campaign's master retailer list and key-data-element spreadsheet."""
    from tracer import recall as api
    from tracer.recall.kde import write_kde_xlsx

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    wanted = formats or ("csv", "xlsx", "pdf", "kde")
    with _open_ledger(ledger_path) as ledger:
        c = api.get_campaign(ledger, campaign_id)
        graph = api.forward_trace(ledger, c.lots)
    rl = api.retailer_list(graph, title=f"{campaign_id}: {c.reason}")
    writers = {
        "csv": (api.write_retailer_list_csv, "retailers.csv"),
        "xlsx": (api.write_retailer_list_xlsx, "retailers.xlsx"),
        "pdf": (api.write_retailer_list_pdf, "retailers.pdf"),
    }
    for fmt in wanted:
        if fmt == "kde":
            path = write_kde_xlsx(graph, out / f"{campaign_id}_kde.xlsx")
        else:
            write, name = writers[fmt]
            path = write(rl, out / f"{campaign_id}_{name}")
        click.echo(f"Wrote {path}")


@recall.command("report")
@ledger_option
@click.argument("campaign_id")
@click.option("--kind", type=click.Choice(["plan", "progress", "closing"]), required=True)
@click.option(
    "--out",
    "out_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="File to write: .pdf, .md (Markdown, pastes into Word) or .txt.",
)
@click.option("--conclusion", help="Closing summary: root cause and corrective measures.")
def report(
    ledger_path: str, campaign_id: str, kind: str, out_path: str, conclusion: str | None
) -> None:
    """Recall plan, progress report or closing summary, from the campaign's events."""
    from tracer.recall import reports
    from tracer.recall.report_doc import write_report

    with _open_ledger(ledger_path) as ledger:
        if kind == "closing":
            doc = reports.closing_summary(ledger, campaign_id, conclusion=conclusion)
        else:
            doc = reports.REPORTS[kind](ledger, campaign_id)
    click.echo(f"Wrote {write_report(doc, out_path)}")


@recall.command("mock")
@ledger_option
@click.option("--lot", "lots", multiple=True, help="Lot to recall on paper, GTIN/LOT (repeatable).")
@click.option("--derived", is_flag=True, help="Also reconcile every lot made from it.")
@json_option
def mock(ledger_path: str, lots: tuple[str, ...], derived: bool, as_json: bool) -> None:
    """Mock recall: time the trace and reconcile produced = shipped + on hand + destroyed
    + consumed per lot, with the % accounted for and each discrepancy."""
    from tracer.ledger.backend import open_ledger
    from tracer.recall.mock import mock_recall

    with open_ledger(ledger_path, readonly=True) as ledger:
        m = mock_recall(ledger, _lots(lots), include_derived=derived)  # type: ignore[arg-type]
    if as_json:
        echo_json(m.as_dict())
        return
    click.echo(
        f"Mock recall of {m.start}: trace {m.trace_ms:.0f} ms (total {m.total_ms:.0f} ms), "
        f"{m.locations} locations, {m.retail_locations} retail."
    )
    click.echo(
        "produced = shipped + on hand at origin + destroyed + consumed; downstream: sold, "
        "held, in transit"
    )
    click.echo(
        f"{'lot':<28} {'produced':>9} {'shipped':>8} {'on hand':>8} {'destroyed':>9} "
        f"{'consumed':>8} | {'sold':>6} {'held':>6} {'transit':>7} | {'accounted':>9}"
    )
    for x in m.lots:
        held = x.on_hand - x.on_hand_at_origin
        click.echo(
            f"{x.lot:<28} {x.produced:>9g} {x.shipped:>8g} {x.on_hand_at_origin:>8g} "
            f"{x.destroyed:>9g} {x.consumed:>8g} | {x.sold:>6g} {held:>6g} "
            f"{x.in_transit:>7g} | {x.percent_accounted:>8.1f}%"
        )
    click.echo(f"Accounted for: {m.percent_accounted:.1f}%")
    for d in m.discrepancies:
        click.echo(f"  ! {d}")
    if not m.discrepancies:
        click.echo("No discrepancies.")
