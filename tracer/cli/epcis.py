"""`tracer hash`: EPCIS 2.0 event hash IDs of the events in a document."""

from __future__ import annotations

from pathlib import Path

import click

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
