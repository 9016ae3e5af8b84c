"""`tracer trace`: forward or backward trace of a lot, a serial or a logistic unit."""

from __future__ import annotations

from pathlib import Path

import click

from tracer.cli.options import ledger_option, parse_when
from tracer.errors import TracerError


def sgtin_start(text: str):  # type: ignore[no-untyped-def]
    """An SGTIN as a URI, a GS1 element string ((01)…(21)…) or a Digital Link."""
    from tracer.recall import TraceStart

    if text.startswith("urn:"):
        return TraceStart.sgtin(text)
    from tracer.codes import parse_code

    code = parse_code(text)
    if not (code.gtin and code.serial):
        raise TracerError(f"'{text}' has no GTIN + serial number (AI 01 and AI 21)")
    return TraceStart.serial(code.gtin, code.serial)


@click.command("trace")
@ledger_option
@click.option(
    "--lot", "lots", multiple=True, help="GTIN/LOT, e.g. 06923456010017/L260105000 (repeatable)."
)
@click.option("--sgtin", "sgtins", multiple=True, help="A serial: SGTIN URI or (01)…(21)… code.")
@click.option("--sscc", "ssccs", multiple=True, help="A case or pallet: 18-digit SSCC or URI.")
@click.option(
    "--forward/--backward", default=True, help="Where it went (default) or where it came from."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv", "dot"]),
    default="table",
    show_default=True,
    help="table for reading, json for the whole graph, csv one row per location, dot for Graphviz.",
)
@click.option("--since", help="Only events from this time (ISO 8601 or YYYY-MM-DD).")
@click.option("--until", help="Only events before this time.")
@click.option(
    "--max-depth", default=32, show_default=True, help="Transformation / packing levels to follow."
)
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False), help="Write to this file instead of stdout."
)
def trace(
    ledger_path: str,
    lots: tuple[str, ...],
    sgtins: tuple[str, ...],
    ssccs: tuple[str, ...],
    forward: bool,
    fmt: str,
    since: str | None,
    until: str | None,
    max_depth: int,
    output: str | None,
) -> None:
    """Trace a lot, a serial (SGTIN) or a case/pallet (SSCC) through the ledger.

    Forward: every lot made from it (through transformations), every case and
    pallet it travelled in, every place it was shipped to, with units received,
    sold, returned and still on hand per location. Backward: the lots it was
    made from and the suppliers they came from. Events cancelled by an error
    declaration are left out.
    """
    from tracer.ledger.backend import open_ledger
    from tracer.recall import TraceStart, backward_trace, export, forward_trace, parse_lot

    starts = [TraceStart.lot(*parse_lot(x)) for x in lots]
    starts += [sgtin_start(s) for s in sgtins]
    starts += [TraceStart.sscc(s) for s in ssccs]
    if not starts:
        raise click.UsageError("give --lot GTIN/LOT, --sgtin or --sscc")
    run = forward_trace if forward else backward_trace
    with open_ledger(ledger_path, readonly=True) as ledger:
        graph = run(
            ledger,  # type: ignore[arg-type]
            starts,
            since=parse_when(since),
            until=parse_when(until),
            max_depth=max_depth,
        )
    text = {
        "table": export.trace_to_table,
        "json": export.trace_to_json,
        "csv": export.trace_to_csv,
        "dot": export.trace_to_dot,
    }[fmt](graph)
    if output:
        Path(output).write_text(text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
        click.echo(f"Wrote {output}", err=True)
    else:
        click.echo(text, nl=False)
