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


@click.command("label")
@click.argument("code")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False),
    help="FILE.png (one label) or FILE.pdf (one label, or a run of serialised labels).",
)
@click.option(
    "--symbology",
    type=click.Choice(["gs1-128", "ean13", "datamatrix", "qr"]),
    default="gs1-128",
    show_default=True,
    help="qr carries the GS1 Digital Link URI of the code.",
)
@click.option("--width-mm", type=click.FloatRange(10, 400), default=100, show_default=True)
@click.option("--height-mm", type=click.FloatRange(10, 400), default=50, show_default=True)
@click.option(
    "--dpi",
    type=click.IntRange(100, 1200),
    default=300,
    show_default=True,
    help="Printer resolution: modules are drawn a whole number of dots wide.",
)
@click.option("--title", default=None, help="A line of text above the symbol (product name).")
@click.option(
    "--dl-base",
    default="https://id.gs1.org",
    show_default=True,
    help="Domain of the Digital Link in QR labels (your resolver).",
)
@click.option(
    "--serials",
    default=None,
    metavar="FROM-TO",
    help="Serialised run: AI (21) = FROM..TO (keeps leading zeros), PDF only.",
)
@click.option(
    "--count",
    type=click.IntRange(1, 100000),
    default=None,
    help="Serialised run of N labels starting at --start.",
)
@click.option("--start", default="1", show_default=True, help="First serial of --count.")
@click.option(
    "--page",
    type=click.Choice(["label", "a4", "letter"]),
    default="label",
    show_default=True,
    help="PDF page: one label per page, or labels tiled on sheets.",
)
def label(
    code: str,
    out: str,
    symbology: str,
    width_mm: float,
    height_mm: float,
    dpi: int,
    title: str | None,
    dl_base: str,
    serials: str | None,
    count: int | None,
    start: str,
    page: str,
) -> None:
    """Render a printable lot or carton label for a GS1 CODE.

    CODE is anything `tracer parse` accepts, e.g. '(01)06901234567892(10)L24A(17)261231'.
    The symbol keeps its quiet zones, the human-readable text is printed with it,
    and every label tracer renders reads back to exactly this data.
    """
    from tracer.codes import parse_code
    from tracer.codes.labels import LabelSize, render_label, save_label, save_sheet, with_serial
    from tracer.errors import TracerError

    size = LabelSize(width_mm, height_mm, dpi)
    base = parse_code(code)
    numbers = _serial_run(serials, count, start)
    if numbers is None:
        image = render_label(base, symbology, size, title=title, digital_link_base=dl_base)
        if out.lower().endswith(".pdf") and page != "label":
            save_sheet([image], out, _PAGES[page])
        else:
            save_label(image, out)
        click.echo(f"{out}: 1 label, {base.identity()}")
        return
    if not out.lower().endswith(".pdf"):
        raise TracerError("a serialised run is written as one PDF: use --out FILE.pdf")
    images = (
        render_label(with_serial(base, n), symbology, size, title=title, digital_link_base=dl_base)
        for n in numbers
    )
    written = save_sheet(images, out, _PAGES[page])
    click.echo(f"{out}: {written} labels, serials {numbers[0]}–{numbers[-1]}")


_PAGES: dict[str, tuple[float, float] | None] = {
    "label": None,
    "a4": (210.0, 297.0),
    "letter": (215.9, 279.4),
}


def _serial_run(serials: str | None, count: int | None, start: str) -> list[str] | None:
    from tracer.errors import TracerError

    if serials is None and count is None:
        return None
    if serials is not None:
        first, sep, last = serials.partition("-")
        if not (sep and first.isdigit() and last.isdigit() and int(last) >= int(first)):
            raise TracerError(f"--serials {serials!r}: expected FROM-TO, e.g. 0001-0100")
        start, count = first, int(last) - int(first) + 1
    assert count is not None
    if not start.isdigit():
        raise TracerError(f"--start {start!r}: serial runs count up from a number")
    width = len(start)
    return [str(int(start) + i).zfill(width) for i in range(count)]
