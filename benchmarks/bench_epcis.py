"""EPCIS interchange benchmarks: import (JSON, XML) against the bare parse of the same
file, export, event hash, and the memory peak of a streamed import.

Run: .venv/bin/python benchmarks/bench_epcis.py [--events N] [--big-events N]
Every ratio is measured in this one run, on the same files, on this machine.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import ijson
from lxml import etree

from tracer.demo.build import canonical_stamp
from tracer.demo.chain import build_chain
from tracer.demo.events import DemoEvents
from tracer.epcis import documents
from tracer.epcis.codec import event_from_epcis, event_to_epcis
from tracer.epcis.documents import Document
from tracer.epcis.event_hash import event_hash
from tracer.epcis.exporter import export
from tracer.epcis.importer import import_document
from tracer.epcis.validate import check_json_event
from tracer.ledger import Ledger
from tracer.model import Event


def demo_events(n: int) -> list[Event]:
    gen = DemoEvents(build_chain(1), 1, canonical_stamp())
    out: list[Event] = []
    for i in itertools.count():
        out.extend(gen.lot_events(i))
        if len(out) >= n:
            return out[:n]
    raise AssertionError


def rate(n: int, seconds: float) -> str:
    return f"{n / seconds:>10,.0f} ev/s"


def _fix_links(d: dict) -> dict:
    # the demo writes bare GLNs as source/destination ids; EPCIS wants URIs
    for key, item in (("sourceList", "source"), ("destinationList", "destination")):
        for link in d.get(key, ()):
            v = link[item]
            if v.isdigit() and len(v) == 13:
                link[item] = f"urn:epc:id:pgln:{v[:7]}.{v[7:12]}"
    return d


def write_json(events: list[Event], path: Path) -> None:
    docs = [_fix_links(event_to_epcis(e, with_id=False)) for e in events]
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(
            {
                "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
                "type": "EPCISDocument",
                "schemaVersion": "2.0",
                "creationDate": "2025-01-01T00:00:00.000Z",
                "epcisBody": {"eventList": docs},
            },
            fh,
            ensure_ascii=False,
        )


def timed(fn, *args, **kwargs) -> float:  # type: ignore[no-untyped-def]
    """CPU seconds of this process (the machine is shared: wall time is noise)."""
    t = time.process_time()
    fn(*args, **kwargs)
    return time.process_time() - t


def bare_json(path: Path) -> None:
    with open(path, "rb") as fh:
        json.loads(fh.read())


def bare_ijson(path: Path) -> None:
    with open(path, "rb") as fh:
        for _ in ijson.items(fh, "epcisBody.eventList.item", use_float=True):
            pass


def bare_xml(path: Path) -> None:
    for _, el in etree.iterparse(str(path), events=("end",), huge_tree=True):
        if el.getparent() is not None and el.getparent().tag == "EventList":
            el.clear()


def front_end(path: Path) -> None:
    """Everything an import does except the ledger append: parse, validate, convert, hash."""
    from tracer.epcis.importer import _stamped

    doc = Document(path)
    list(doc.problems())
    for d in doc.events():
        _stamped(d, doc.namespaces)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=20_000)
    ap.add_argument("--big-events", type=int, default=100_000, help="0 to skip")
    args = ap.parse_args()
    n = args.events
    events = demo_events(n)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        js = folder / "doc.jsonld"
        write_json(events, js)
        with Ledger.open(folder / "src.sqlite") as src:
            import_document(src, js)
            xml = folder / "doc.xml"
            t_export_xml = timed(export, src, xml, fmt="epcis-xml")
            js_out = folder / "export.jsonld"
            t_export_json = timed(export, src, js_out, fmt="epcis-json")
        size_js, size_xml = js.stat().st_size, xml.stat().st_size
        print(f"{n:,} demo events; JSON {size_js / n:.0f} B/event, XML {size_xml / n:.0f} B/event")

        # hash alone
        dicts = [event_to_epcis(e, with_id=False) for e in events]
        t_hash = timed(lambda: [event_hash(d) for d in dicts])
        t_validate = timed(lambda: [check_json_event(d, 1) for d in dicts])
        t_convert = timed(lambda: [event_from_epcis(d) for d in dicts])
        print(f"event hash          {rate(n, t_hash)}   ({t_hash / n * 1e6:.1f} µs/event)")
        print(f"schema validation   {rate(n, t_validate)}   ({t_validate / n * 1e6:.1f} µs/event)")
        print(f"dict -> Event       {rate(n, t_convert)}   ({t_convert / n * 1e6:.1f} µs/event)")

        print("\nimport                      tracer         bare parse     ratio")
        for label, path, bare, stream in (
            ("JSON (read whole)", js, bare_json, False),
            ("JSON (streamed)", js, bare_ijson, True),
            ("XML (streamed)", xml, bare_xml, True),
        ):
            documents.STREAM_THRESHOLD = 0 if stream else 1 << 40
            t_bare = min(timed(bare, path) for _ in range(2))
            t_front = timed(front_end, path)
            with Ledger.open(folder / f"dst-{label[:4]}-{stream}.sqlite") as dst:
                t_full = timed(import_document, dst, path)
            print(
                f"{label:<18} front end {rate(n, t_front)}  {rate(n, t_bare)}  "
                f"{t_bare / t_front:5.2f}"
            )
            print(f"{'':<18} + ledger  {rate(n, t_full)}  {'':>14}  {t_bare / t_full:5.2f}")
        print("(CPU time of this process; the ledger's fsync waits are not in it)")
        documents.STREAM_THRESHOLD = 32 * 1024 * 1024
        print(f"\nexport JSON-LD     {rate(n, t_export_json)}")
        print(f"export XML         {rate(n, t_export_xml)}\n")

        # memory peak of big streamed imports, each in a fresh process
        for big in (args.big_events // 2, args.big_events) if args.big_events else ():
            big_js = folder / f"big-{big}.jsonld"
            with open(big_js, "w", encoding="utf-8") as fh:
                fh.write(
                    '{"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],'
                    '"type":"EPCISDocument","schemaVersion":"2.0",'
                    '"creationDate":"2025-01-01T00:00:00.000Z","epcisBody":{"eventList":['
                )
                for count in range(big):
                    d = _fix_links(dict(dicts[count % n]))
                    d["tracer:rep"] = count // n  # distinct events
                    fh.write(("," if count else "") + json.dumps(d, ensure_ascii=False))
                fh.write("]}}")
            mb = big_js.stat().st_size / 1e6
            code = (
                "import resource, sys, time\n"
                "from tracer.epcis.importer import import_document\n"
                "from tracer.ledger import Ledger\n"
                "t = time.perf_counter()\n"
                f"with Ledger.open({str(folder / f'big-{big}.sqlite')!r}) as led:\n"
                f"    r = import_document(led, {str(big_js)!r})\n"
                "dt = time.perf_counter() - t\n"
                "print(r.events, dt, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
            )
            out = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True,
                env={**os.environ, "TRACER_EPCIS_STREAM_BYTES": "0"},
            ).stdout.split()  # fmt: skip
            ev, dt, rss = int(out[0]), float(out[1]), int(out[2])
            print(
                f"streamed import of a {mb:,.0f} MB JSON document ({ev:,} events): "
                f"{rate(ev, dt).strip()} (wall), peak RSS {rss / 1024:,.0f} MB"
            )


if __name__ == "__main__":
    main()
