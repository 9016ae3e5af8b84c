"""Devices benchmark: a UHF portal through the simulator, and camera decoding through the driver.

    .venv/bin/python benchmarks/bench_devices.py [--quick] [--seconds S] [--frames N]

Portal: 500 distinct SGTIN-96 tags in the field of a simulated Chafon reader
answering 20 inventory rounds a second (every tag read 20×/s) on a pty; the
real driver, ScanQueue, ScanWriter and Recorder write to a fresh ledger with
a 1 s de-duplication window. Checked: every tag recorded, once per window
(no window missed, none doubled). Measured: scan-to-durable latency (read
time of the frame → transaction committed) p50/p99, against two floors
measured in the same run: the general path (build + hash 500 `Event`s, one
`Ledger.append`) and the recorder's own (rows from its station template,
one `Ledger.append_prepared`), and a bare 4 KiB write + fsync on the same
disk. `--general` turns the recorder's templates off (the path before them).

Camera: a generated 1280×720 MJPG video with a code in every frame, decoded
by the bare zxing-cpp Decoder (frames already in memory), by pyzbar the same
way, and through the whole camera driver (OpenCV capture thread + decode
worker, video decoding included).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import itertools

from tracer.devices import chafon_protocol as proto
from tracer.devices.base import DeviceStatus, EpcDecoder
from tracer.devices.recorder import RECORDED, Recorder, RecordResult, ScanWriter
from tracer.devices.scan_queue import ScanQueue
from tracer.devices.serial_link import SerialSettings
from tracer.devices.sim.codes import demo_codes
from tracer.devices.sim.pty_port import PtyPort
from tracer.devices.sim.uhf import ChafonSimulator
from tracer.devices.uhf_chafon import ChafonReader
from tracer.ledger import Ledger
from tracer.model import Station

FACTORY_GLN = "6923456000017"
T = TypeVar("T")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def timed_ms(work: Callable[[], T]) -> tuple[T, float]:
    """`work()` and its wall-clock time in ms."""
    start = time.perf_counter()
    out = work()
    return out, (time.perf_counter() - start) * 1000


def cpu_check_ms(rounds: int = 3) -> float:
    """CPU time of one fixed pure-Python task (best of `rounds`), to tell a slow run from slow code.

    On the 2-core VM this was measured on, the same task took 17-42 ms from one
    run to the next (session 4): a p99 of a few tens of ms moves with it.
    """
    data = [{"epc": f"urn:epc:id:sgtin:6923456.0{i % 97:05d}.{i}", "n": i} for i in range(20_000)]
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        json.dumps(data)
        best = min(best, time.process_time() - start)
    return best * 1000


def bare_fsync_ms(workdir: Path, rounds: int = 50) -> float:
    """Median time of one 4 KiB write + fsync on the ledger's disk (the durability floor)."""
    path = workdir / "fsync.probe"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        times = []
        for i in range(rounds):
            os.pwrite(fd, os.urandom(4096), (i % 16) * 4096)
            times.append(timed_ms(lambda: os.fsync(fd))[1])
    finally:
        os.close(fd)
        path.unlink()
    return statistics.median(times)


def _reader_process(workdir: str, tags: int, rate: float, conn: Connection, stop: Event) -> None:
    """The simulated reader, in its own process like real hardware (not sharing our GIL)."""
    epcs = demo_codes(1, tags=tags).epcs
    field = [proto.TagRead(epc, 1 + i % 2, 60 + i % 40) for i, epc in enumerate(epcs)]
    with PtyPort(Path(workdir)) as port:
        sim = ChafonSimulator(port, field=field, max_rounds_per_second=rate)
        conn.send(str(port.path))
        sim.run(stop)  # type: ignore[arg-type]
        conn.send((sim.rounds, sim.round_times))


def bench_portal(
    workdir: Path,
    tags: int,
    rate: float,
    seconds: float,
    window: float,
    slice_size: int = 128,
    general: bool = False,
) -> None:
    print(
        f"## UHF portal: {tags} tags × {rate:g} reads/s, {seconds:g} s, window {window:g} s, "
        f"≤ {slice_size} new codes per transaction"
        + (", general path (no templates)" if general else "")
    )
    epcs = demo_codes(1, tags=tags).epcs
    recorded: dict[bytes, list[datetime]] = defaultdict(list)
    latencies: list[float] = []
    cold: list[float] = []  # first sight of each tag: its EPC is decoded for the first time
    batches: list[int] = []
    scans_seen = 0
    statuses: list[DeviceStatus] = []

    def on_result(result: RecordResult) -> None:
        nonlocal scans_seen
        scans_seen += len(result.outcomes)
        batches.append(result.append.count)
        for o in result.of(RECORDED):
            ms = ((o.durable_at or o.scan.time) - o.scan.time).total_seconds() * 1000
            (latencies if o.scan.raw in recorded else cold).append(ms)
            recorded[o.scan.raw].append(o.scan.time)

    cpu_before = cpu_check_ms()
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe()
    stop_sim = ctx.Event()
    sim_process = ctx.Process(
        target=_reader_process, args=(str(workdir), tags, rate, child, stop_sim)
    )
    sim_process.start()
    path = parent.recv()
    with Ledger.open(workdir / "portal.sqlite") as ledger:
        queue = ScanQueue()
        portal = Recorder(
            ledger, Station("portal-1", FACTORY_GLN, "shipping", "in_transit"), window=window
        )
        if general:
            portal._templates = None
        writer = ScanWriter(
            portal,
            queue,
            on_result=on_result,
            on_status=statuses.append,
            slice_size=slice_size,
        )
        reader = ChafonReader(f"uhf-chafon://{path}", SerialSettings(path, 57600), scan_time=1)
        writer.start()
        reader.start(queue.put, queue.put)
        time.sleep(seconds)
        reader.stop()
        writer.stop(timeout=30)
        stop_sim.set()
        rounds, round_times = parent.recv()
        sim_process.join(5)
        round_times = [t for t in round_times if t > 0]
        round_gaps = [b - a for a, b in itertools.pairwise(round_times)]

        # the floor: the same number of events appended by the bare ledger call
        recorder = Recorder(ledger, Station("floor", FACTORY_GLN, "shipping", "in_transit"))
        decoder = EpcDecoder()
        decoder.load()
        t0 = datetime.now().astimezone() + timedelta(days=1)
        # every EPC new, as in a first burst
        scans, decode_ms = timed_ms(lambda: [decoder.scan(epc, "bench", t0) for epc in epcs])
        events, build_ms = timed_ms(lambda: [recorder.event_for(s) for s in scans])
        _, append_ms = timed_ms(lambda: ledger.append(events))
        # the recorder's floor: the same scans a second later, rows from its template
        later = [decoder.scan(epc, "bench", t0 + timedelta(seconds=1)) for epc in epcs]
        prepared, rows_ms = timed_ms(lambda: [recorder.prepared_for(s) for s in later])
        _, prepared_ms = timed_ms(lambda: ledger.append_prepared(prepared))
    fsync_ms = bare_fsync_ms(workdir)
    cpu_after = cpu_check_ms()

    offered = rounds * tags
    missing = [e for e in epcs if e not in recorded]
    max_gap = max(round_gaps) if round_gaps else 0.0
    doubled = missed = 0
    for times in recorded.values():
        gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(times)]
        doubled += sum(g < window - 1e-6 for g in gaps)
        missed += sum(g > window + max_gap + 0.05 for g in gaps)
    per_tag = sorted(len(t) for t in recorded.values())
    print(f"inventory rounds answered      {rounds} ({rounds / seconds:.1f}/s)")
    print(
        f"tag reads offered / handled    {offered} / {scans_seen} ({scans_seen / seconds:,.0f} reads/s)"
    )
    print(f"tags recorded                  {len(recorded)}/{tags}; missing {len(missing)}")
    print(
        f"recordings per tag             min {per_tag[0]} max {per_tag[-1]} (≈ {seconds / window:.0f} windows)"
    )
    print(f"windows doubled / missed       {doubled} / {missed}")
    print(f"events written                 {sum(batches)} in {len(batches)} transactions")
    c50, c99 = pct(cold, 0.5), pct(cold, 0.99)
    print(
        f"scan→durable, first window     p50 {c50:.1f} ms  p99 {c99:.1f} ms (EPCs decoded for the first time)"
    )
    p50, p99, worst = (
        pct(latencies, 0.5),
        pct(latencies, 0.99),
        max(latencies, default=float("nan")),
    )
    print(f"scan→durable, later windows    p50 {p50:.1f} ms  p99 {p99:.1f} ms  max {worst:.1f} ms")
    print(f"bare: build+hash {tags} events    {build_ms:.1f} ms; Ledger.append {append_ms:.1f} ms")
    floor = rows_ms + prepared_ms
    print(
        f"recorder floor: {tags} rows       {rows_ms:.1f} ms; append_prepared {prepared_ms:.1f} ms"
        f" (= {floor:.1f} ms)"
    )
    first_floor = decode_ms + floor
    print(
        f"first-burst floor               decode {tags} new EPCs {decode_ms:.1f} ms + recorder floor"
        f" = {first_floor:.1f} ms (one thread, one transaction)"
    )
    print(f"bare 4 KiB write + fsync       {fsync_ms:.2f} ms (median of 50)")
    print(
        f"CPU check (fixed task)         {cpu_before:.0f} ms before, {cpu_after:.0f} ms after"
        " (the same work each run: compare runs by it)"
    )
    print(f"ratio p99 / (build+append)     {p99 / (build_ms + append_ms):.2f}")
    print(
        f"ratio first-window p99 / first-burst floor {c99 / first_floor:.2f}; "
        f"later p99 / recorder floor {p99 / floor:.2f}"
    )
    faults = [s.message for s in statuses if s.faults]
    print(f"device faults reported         {len(faults)}")
    ok = not missing and doubled == 0 and missed == 0
    met = p99 < 50 and c99 < 50
    print(
        f"portal check                   {'PASS' if ok else 'FAIL'}; p99 goal < 50 ms "
        f"(first and later windows): {'met' if met else 'NOT met'}"
    )
    print()


def make_video(path: Path, frames: int, size: tuple[int, int]) -> int:
    import cv2

    from tracer.codes.synthetic import Distortion, frame_with_code

    contents = [
        ("EAN13", "6923456010017"),
        ("GS1 DataMatrix", "(01)06923456010024(21)A1001(10)L260112001"),
        ("GS1-128", "(01)06934567020017(10)L260126003"),
        ("GS1 QRCode", "(01)06934567020024(21)9001(10)L260202004"),
    ]
    images = [
        frame_with_code(kind, content, size, Distortion(module_px=3.0, seed=i))[0]
        for i, (kind, content) in enumerate(contents)
    ]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 30, size)
    for i in range(frames):
        writer.write(images[i % len(images)])
    writer.release()
    return len(contents)


def bench_camera(workdir: Path, frames: int) -> None:
    import cv2

    from tracer.codes.decode import Decoder
    from tracer.devices.camera import CameraReader

    size = (1280, 720)
    print(f"## Camera decode: {frames} frames {size[0]}×{size[1]}, a code in every frame")
    video = workdir / "line.avi"
    make_video(video, frames, size)
    capture = cv2.VideoCapture(str(video))
    images = []
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        images.append(frame)
    capture.release()

    results = {}
    for backend in ("zxing", "zbar"):
        decoder = Decoder(backend, try_harder=False)
        decoder.decode(images[0])
        start = time.perf_counter()
        found = sum(1 for image in images if decoder.decode(image))
        elapsed = time.perf_counter() - start
        results[backend] = len(images) / elapsed
        print(
            f"bare {backend:<5} decoder               {results[backend]:6.1f} frames/s ({found}/{len(images)} frames with a code)"
        )

    done = threading.Event()
    scans: list[object] = []
    reader = CameraReader(f"camera://{video}", str(video), realtime=False)
    start = time.perf_counter()
    reader.start(scans.append, lambda s: done.set() if s.state.value == "stopped" else None)
    done.wait(600)
    elapsed = time.perf_counter() - start
    reader.stop()
    driver_fps = reader.frames_decoded / elapsed
    print(
        f"driver (capture + decode)       {driver_fps:6.1f} frames/s ({len(scans)} scans from {reader.frames_decoded} frames, {reader.frames_dropped} dropped)"
    )
    print(f"ratio driver / bare zxing       {driver_fps / results['zxing']:.2f}")
    print(f"ratio zxing-cpp / pyzbar        {results['zxing'] / results['zbar']:.2f}")
    print(f"design goal ≥ 30 frames/s       {'met' if driver_fps >= 30 else 'NOT met'} (driver)")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="short runs (smoke test)")
    parser.add_argument("--seconds", type=float, default=None)
    parser.add_argument("--frames", type=int, default=None)
    parser.add_argument("--tags", type=int, default=500)
    parser.add_argument("--slice", type=int, default=128, help="new codes per transaction at most")
    parser.add_argument("--no-camera", action="store_true")
    parser.add_argument(
        "--general", action="store_true", help="recorder without its station templates"
    )
    args = parser.parse_args()
    seconds = args.seconds or (2.0 if args.quick else 5.0)
    frames = args.frames or (40 if args.quick else 240)
    with tempfile.TemporaryDirectory(prefix="tracer-bench-") as tmp:
        workdir = Path(tmp)
        bench_portal(
            workdir,
            tags=args.tags,
            rate=20.0,
            seconds=seconds,
            window=1.0,
            slice_size=args.slice,
            general=args.general,
        )
        if not args.no_camera:
            bench_camera(workdir, frames)


if __name__ == "__main__":
    main()
