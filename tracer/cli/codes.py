"""`tracer parse`, `tracer epc`, `tracer decode`, `tracer label`: item codes from the shell."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from tracer.cli.options import echo_json, json_option


def _show(rows: list[tuple[str, Any]]) -> None:
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        if value not in (None, "", {}, []):
            click.echo(f"{name:<{width}}  {value}")


@click.command("parse")
@click.argument("code")
@json_option
def parse(code: str, as_json: bool) -> None:
    """Check a GS1 code and show its keys and EPC URIs.

    CODE is what a scanner delivers: an element string with or without
    parentheses ('(01)…(10)…', FNC1 as the GS character or a ]C1/]d2/]Q3/]e0
    prefix), a plain EAN-13/EAN-8/UPC-A/ITF-14 GTIN, or a GS1 Digital Link
    URI. A wrong check digit or date is reported with the AI and digit at fault.
    """
    from tracer.codes import parse_code

    result = parse_code(code)
    if as_json:
        echo_json(result.to_json())
        return
    _show(
        [
            ("GTIN", result.gtin),
            ("Lot", result.lot),
            ("Serial", result.serial),
            ("SSCC", result.sscc),
            ("GLN", result.gln),
            ("Production date", result.production_date),
            ("Best before", result.best_before_date),
            ("Expiry date", result.expiry_date),
            ("Count", result.count),
            *[(name, value) for name, value in result.measures.items()],
            ("EPC", result.epc_uri),
            ("EPC class", result.epc_class),
            ("Element string", result.hri),
            ("Digital Link", result.digital_link),
            ("Raw", repr(result.raw)),
        ]
    )


@click.command("epc")
@click.argument("hex_or_uri")
@click.option(
    "--encode",
    "encode_scheme",
    metavar="SCHEME",
    default=None,
    help="Encode instead: HEX_OR_URI is a pure-identity URI or a GS1 code; "
    "SCHEME is e.g. sgtin-96, sgtin-198, sscc-96, sgln-96, giai-96 ('auto' picks).",
)
@click.option(
    "--filter",
    "filter_value",
    type=click.IntRange(0, 7),
    default=1,
    show_default=True,
    help="Filter value written with --encode (1 = point-of-sale item).",
)
@json_option
def epc(hex_or_uri: str, encode_scheme: str | None, filter_value: int, as_json: bool) -> None:
    """Decode a UHF tag's EPC (hex as the reader reports it, or an EPC URI).

    Shows the EPC pure-identity URI, tag URI, filter and GS1 keys. A tag that
    is not GS1-encoded is shown as a raw EPC (urn:epc:raw:…), which tracer can
    still record. With --encode, prints the hex to write to a tag instead.
    """
    from tracer.codes import decode_epc, encode_epc

    if encode_scheme is not None:
        scheme = "sgtin-96" if encode_scheme == "auto" else encode_scheme
        if encode_scheme == "auto":
            hex_value = _auto_encode(hex_or_uri, filter_value)
        else:
            hex_value = encode_epc(hex_or_uri, scheme=scheme, filter=filter_value)
        tag = decode_epc(hex_value)
    else:
        tag = decode_epc(hex_or_uri)
    if as_json:
        echo_json(tag.to_json())
        return
    _show(
        [
            ("Hex", tag.hex),
            ("Scheme", tag.scheme),
            ("EPC", tag.uri),
            ("Tag URI", tag.tag_uri),
            ("Filter", tag.filter),
            ("GTIN", tag.gtin),
            ("Serial", tag.serial),
            ("SSCC", tag.sscc),
            ("GLN", tag.gln),
            ("GLN extension", tag.gln_extension),
            ("GRAI", tag.grai),
            ("GIAI", tag.giai),
            ("Element string", tag.element_string),
            ("Note", tag.note),
        ]
    )


def _auto_encode(text: str, filter_value: int) -> str:
    """The 96-bit scheme when the value fits, else the long one."""
    from tracer.codes import CodeError, encode_epc

    try:
        return encode_epc(text, scheme="sgtin-96", filter=filter_value)
    except CodeError as first:
        for scheme in ("sgtin-198", "sgln-195", "grai-170", "giai-202"):
            try:
                return encode_epc(text, scheme=scheme, filter=filter_value)
            except CodeError:
                continue
        raise first from None


@click.command("decode")
@click.argument("images", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--backend",
    type=click.Choice(["zxing", "zbar"]),
    default="zxing",
    show_default=True,
    help="zxing-cpp reads GS1 DataMatrix and more; zbar reads 1D codes and QR only.",
)
@click.option(
    "--fast",
    is_flag=True,
    help="One pass per image (no rotated / sharpened retries), as a live camera does.",
)
@json_option
def decode(images: tuple[str, ...], backend: str, fast: bool, as_json: bool) -> None:
    """Find and read every barcode in image files (photos or scans).

    With --json prints one JSON object per code found (file, symbology, text
    with GS1 separators as \\u001d, parsed GS1 fields, corner points), one per
    line. An image in which nothing is found is reported on stderr and makes
    the exit status 2.
    """
    from tracer.codes import Decoder

    decoder = Decoder(backend, try_harder=not fast)
    missing = 0
    for path in images:
        symbols = decoder.decode(path)
        if not symbols:
            missing += 1
            click.echo(f"{path}: no code found", err=True)
        for symbol in symbols:
            if as_json:
                click.echo(json.dumps({"file": path, **symbol.to_json()}, ensure_ascii=False))
                continue
            identity = symbol.gs1.identity() if symbol.gs1 else ""
            text = symbol.text.replace("\x1d", "<GS>")
            problem = f"  ({symbol.error})" if symbol.error else ""
            click.echo(f"{path}\t{symbol.symbology}\t{text}\t{identity}{problem}")
    if missing:
        sys.exit(2)
