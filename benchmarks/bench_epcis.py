"""EPCIS interchange benchmarks: import (JSON, XML) against the bare parse of the same
file, export, event hash, and the memory peak of a streamed import.

Run: .venv/bin/python benchmarks/bench_epcis.py [--events N] [--big-events N] [--worker-events N]
Every ratio is measured in this one run, on the same files, on this machine.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
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
from tracer.epcis.event_hash import event_hash, resolve_namespaces
from tracer.epcis.exporter import export
from tracer.epcis.fast_decode import FastDecoder
from tracer.epcis.fast_hash import fast_event_hash
from tracer.epcis.importer import import_document
from tracer.epcis.stamper import Stamper
from tracer.epcis.validate import check_json_event
from tracer.ledger import Ledger
from tracer.ledger.gcpause import gc_paused
from tracer.ledger.rows import prepare_event
from tracer.model import Event

TABLES = {"events": 17, "identifiers": 5, "links": 4, "item_lots": 3}


def demo_events(n: int) -> list[Event]:
    return DemoEvents(build_chain(1), 1, canonical_stamp()).first_events(n)


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
    """CPU seconds of this process (the machine is shared: wall time is noise).

    Without the cyclic GC, as an import runs (`import_document` pauses it): with
    it, every stage re-walks the 20k live events it keeps, whichever path it is.
    """
    with gc_paused():
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
    """Everything an import does but the rows and the ledger: parse, validate, decode, hash."""
    doc = Document(path)
    list(doc.problems())
    stamp = Stamper()
    for d in doc.events():
        stamp(d, doc.namespaces)


def front_end_general(path: Path) -> None:
    """The same through the general codec and the hash of the dict (the import before)."""
    from tracer.epcis.stamper import _stamped

    doc = Document(path)
    list(doc.problems())
    for d in doc.events():
        _stamped(d, doc.namespaces)


def raw_executemany(source: Path, target: Path) -> float:
    """CPU seconds of plain sqlite3 executemany of `source`'s event rows into an empty
    ledger of the same schema, in one transaction as an import writes them."""
    src = sqlite3.connect(source)
    rows = {t: src.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in TABLES}
    src.close()
    Ledger.open(target).close()  # same schema, indexes and triggers
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    t = time.process_time()
    conn.execute("BEGIN")
    for table, n in TABLES.items():
        conn.executemany(f"INSERT INTO {table} VALUES ({','.join('?' * n)})", rows[table])
    conn.execute("COMMIT")
    elapsed = time.process_time() - t
    conn.close()
    return elapsed


def write_big_json(path: Path, dicts: list[dict], n: int) -> None:
    """A document of `n` distinct events, written as it goes (1 GB does not fit twice)."""
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(
            '{"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],'
            '"type":"EPCISDocument","schemaVersion":"2.0",'
            '"creationDate":"2025-01-01T00:00:00.000Z","epcisBody":{"eventList":['
        )
        for count in range(n):
            d = _fix_links(dict(dicts[count % len(dicts)]))
            d["tracer:rep"] = count // len(dicts)  # distinct events
            fh.write(("," if count else "") + json.dumps(d, ensure_ascii=False))
        fh.write("]}}")


WORKER_RUN = """
import json, resource, sys, time
from tracer.epcis.importer import import_document
from tracer.ledger import Ledger
doc, led_path, worker = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
t, c = time.perf_counter(), time.process_time()
with Ledger.open(led_path) as led:
    r = import_document(led, doc, worker=worker)
wall, cpu = time.perf_counter() - t, time.process_time() - c
kid = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps([r.added, wall, cpu, kid.ru_utime + kid.ru_stime]))
"""


def worker_on_off(folder: Path, dicts: list[dict], n: int, rounds: int = 3) -> None:
    """End to end, each import in a fresh process: the worker off and on, alternating."""
    big = folder / f"worker-{n}.jsonld"
    write_big_json(big, dicts, n)
    runs: dict[bool, list[list[float]]] = {False: [], True: []}
    for i in range(rounds):
        for worker in (False, True) if i % 2 == 0 else (True, False):
            led = folder / f"worker-{n}-{worker}-{i}.sqlite"
            out = subprocess.run(
                [sys.executable, "-c", WORKER_RUN, str(big), str(led), "1" if worker else "0"],
                capture_output=True, text=True, check=True,
            ).stdout  # fmt: skip
            runs[worker].append(json.loads(out))
            for p in folder.glob(f"{led.name}*"):
                p.unlink()
    mb = big.stat().st_size / 1e6
    print(f"\nend to end, {n:,} events ({mb:,.0f} MB JSON), {rounds} runs each, medians:")
    print("| import | wall events/s | CPU s, importer | CPU s, worker |")
    print("|---|---|---|---|")
    walls = {}
    for worker in (False, True):
        r = runs[worker]
        walls[worker] = statistics.median(x[1] for x in r)
        print(
            f"| {'worker process' if worker else 'one process'} | "
            f"{rate(n, walls[worker]).strip()} | {statistics.median(x[2] for x in r):.1f} | "
            f"{statistics.median(x[3] for x in r):.1f} |"
        )
    print(f"worker / one process, wall: {walls[False] / walls[True]:.2f}x")
    big.unlink()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=20_000)
    ap.add_argument(
        "--big-events",
        default="50000,100000",
        help="sizes of the streamed imports whose memory is measured (1 GB ~ 1.6M); 0 to skip",
    )
    ap.add_argument(
        "--worker-events",
        type=int,
        default=60_000,
        help="size of the end-to-end import run with the worker process off and on; 0 to skip",
    )
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

        # the stages of one event, general paths against the import's fast ones
        dicts = [event_to_epcis(e, with_id=False) for e in events]
        ns = resolve_namespaces(None)
        decoder = FastDecoder(ns, False)
        t_hash = timed(lambda: [event_hash(d) for d in dicts])
        t_validate = timed(lambda: [check_json_event(d, 1) for d in dicts])
        t_convert = timed(lambda: [event_from_epcis(d) for d in dicts])
        decoded = [decoder.decode(d) for d in dicts]
        t_decode = timed(lambda: [decoder.decode(d) for d in dicts])
        t_fast = timed(lambda: [fast_event_hash(e) for e in decoded])
        stamped = [Stamper()(d, ns) for d in dicts]
        t_rows = timed(lambda: [prepare_event(e) for e in stamped])
        for label, t in (
            ("event hash of the dict", t_hash),
            ("event hash, typed (fast_hash)", t_fast),
            ("schema validation", t_validate),
            ("dict -> Event (codec)", t_convert),
            ("dict -> Event (fast_decode)", t_decode),
            ("Event -> ledger rows", t_rows),
        ):
            print(f"{label:<30} {rate(n, t)}   ({t / n * 1e6:.1f} µs/event)")

        print("\nimport                      tracer         bare parse     ratio")
        for label, path, bare, stream in (
            ("JSON (read whole)", js, bare_json, False),
            ("JSON (streamed)", js, bare_ijson, True),
            ("XML (streamed)", xml, bare_xml, True),
        ):
            documents.STREAM_THRESHOLD = 0 if stream else 1 << 40
            t_bare = min(timed(bare, path) for _ in range(2))
            t_front = timed(front_end, path)
            t_general = timed(front_end_general, path)
            dst = folder / f"dst-{label[:4]}-{stream}.sqlite"
            with Ledger.open(dst) as led:
                t_full = timed(import_document, led, path)
            t_raw = raw_executemany(dst, folder / f"raw-{label[:4]}-{stream}.sqlite")
            print(
                f"{label:<18} front end {rate(n, t_front)}  {rate(n, t_bare)}  "
                f"{t_bare / t_front:5.2f}"
            )
            print(
                f"{'':<18} (general codec + dict hash: {rate(n, t_general).strip()}, "
                f"{t_bare / t_general:.2f})"
            )
            print(f"{'':<18} + ledger  {rate(n, t_full)}  {'':>14}  {t_bare / t_full:5.2f}")
            print(f"{'':<18} raw executemany of the same rows {rate(n, t_raw)}")
        print("(CPU time of this process; the ledger's fsync waits are not in it)")
        documents.STREAM_THRESHOLD = 32 * 1024 * 1024
        print(f"\nexport JSON-LD     {rate(n, t_export_json)}")
        print(f"export XML         {rate(n, t_export_xml)}\n")

        if args.worker_events:
            worker_on_off(folder, dicts, args.worker_events)

        # memory peak of big streamed imports, each in a fresh process
        for big in (int(x) for x in args.big_events.split(",") if int(x)):
            big_js = folder / f"big-{big}.jsonld"
            write_big_json(big_js, dicts, big)
            mb = big_js.stat().st_size / 1e6
            code = (
                "import resource, sys, time\n"
                "from tracer.epcis.importer import import_document\n"
                "from tracer.ledger import Ledger\n"
                "t, c = time.perf_counter(), time.process_time()\n"
                f"with Ledger.open({str(folder / f'big-{big}.sqlite')!r}) as led:\n"
                f"    r = import_document(led, {str(big_js)!r})\n"
                "dt, dc = time.perf_counter() - t, time.process_time() - c\n"
                "kid = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
                "dc += kid.ru_utime + kid.ru_stime  # the import's worker process\n"
                "print(r.events, dt, dc, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
            )
            out = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True,
                env={**os.environ, "TRACER_EPCIS_STREAM_BYTES": "0"},
            ).stdout.split()  # fmt: skip
            ev, dt, dc, rss = int(out[0]), float(out[1]), float(out[2]), int(out[3])
            print(
                f"streamed import of a {mb:,.0f} MB JSON document ({ev:,} events): "
                f"{rate(ev, dt).strip()} (wall), {rate(ev, dc).strip()} (CPU, with the "
                f"worker's), peak RSS {rss / 1024:,.0f} MB (importing process)"
            )
            for p in folder.glob(f"big-{big}.*"):
                p.unlink()  # a 1 GB run leaves GBs


if __name__ == "__main__":
    main()
