"""Camera decode benchmark: frames/s at 1280×720 and 1920×1080, zxing-cpp vs zbar,
and tracer's Decoder against the raw library call on the very same frames.

Run: .venv/bin/python benchmarks/bench_codes.py [--rounds N] [--frames N]

Frames are camera-like BGR images (tracer.codes.synthetic) each holding one code:
EAN-13, GS1-128, a GS1 Digital Link QR and a GS1 DataMatrix in turn, slightly
tilted, with mild noise. The raw calls are what an application would write:
`zxingcpp.read_barcodes(frame)` and `pyzbar.decode(gray)` (zbar needs the
grayscale conversion, so it is timed too). "raw" uses the options tracer's camera path
uses (GS1 carrier symbologies only, no inverted search); the library's all-formats
default is shown beside it. tracer's path is the camera path,
`Decoder(backend, try_harder=False).decode(frame)`: grayscale conversion, the
same library call, name/text normalisation and GS1 parsing of every symbol.
Raw and tracer calls alternate frame by frame (the order rotating) so that load
from other work on the machine hits all of them alike; totals over all rounds.
"per CPU-s" divides by the process's CPU time instead of wall-clock time: on a
machine shared with other work it is what one free core would deliver.

EPC decoding (`--epc-only` runs just this part): µs per tag for tags never seen
before (every hex new, as in a portal's first burst): epcpy's `from_hex` alone
(the raw library), tracer's general epcpy path, and `decode_epc`, which takes
the direct SGTIN-96 / SSCC-96 decoding.
"""

from __future__ import annotations

import argparse
import time

import cv2
import numpy as np

from tracer.codes.decode import _ZBAR_CAMERA as ZBAR_CAMERA
from tracer.codes.decode import CAMERA_SYMBOLOGIES, Decoder
from tracer.codes.epc import _from_hex_epcpy, decode_epc
from tracer.codes.synthetic import Distortion, frame_with_code

KINDS = [
    ("EAN13", "690123456789"),
    ("GS1-128", "(01)06901234567892(10)L24A(17)261231"),
    ("QRCode", "https://id.gs1.org/01/06901234567892/10/L24A"),
    ("GS1 DataMatrix", "(01)06901234567892(10)L24A(21)S1"),
]
RESOLUTIONS = [(1280, 720), (1920, 1080)]


def make_frames(size: tuple[int, int], count: int) -> list[tuple[str, np.ndarray]]:
    frames = []
    for i in range(count):
        kind, content = KINDS[i % len(KINDS)]
        distortion = Distortion(angle=(i * 7) % 12 - 6, module_px=3.0, noise=4, seed=i)
        frame, _ = frame_with_code(kind, content, size, distortion)
        frames.append((kind, frame))
    return frames


def raw_zxing(frame: np.ndarray) -> int:
    """The library call with the options tracer's camera path uses (same work)."""
    import zxingcpp

    formats = zxingcpp.barcode_formats_from_str(CAMERA_SYMBOLOGIES)
    return len(zxingcpp.read_barcodes(frame, formats=formats, try_invert=False))


def raw_zxing_default(frame: np.ndarray) -> int:
    import zxingcpp

    return len(zxingcpp.read_barcodes(frame))


def raw_zbar(frame: np.ndarray) -> int:
    from pyzbar import pyzbar
    from pyzbar.wrapper import ZBarSymbol

    gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    return len(pyzbar.decode(gray, symbols=[ZBarSymbol(k) for k in ZBAR_CAMERA]))


def raw_zbar_default(frame: np.ndarray) -> int:
    from pyzbar import pyzbar

    return len(pyzbar.decode(cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)))


def bench(size: tuple[int, int], frame_count: int, rounds: int) -> dict[str, dict[str, float]]:
    frames_all = make_frames(size, frame_count)
    results: dict[str, dict[str, float]] = {}
    for backend, raw, default in (
        ("zxing", raw_zxing, raw_zxing_default),
        ("zbar", raw_zbar, raw_zbar_default),
    ):
        # zbar has no Data Matrix reader: it is timed on the frames it can read
        frames = [f for k, f in frames_all if backend == "zxing" or k != "GS1 DataMatrix"]
        decoder = Decoder(backend, try_harder=False)

        def ours(frame: np.ndarray, decoder: Decoder = decoder) -> int:
            return len(decoder.decode(frame))

        fns = {"raw": raw, "ours": ours, "default": default}
        for fn in fns.values():  # warm up (library load, first allocations)
            fn(frames[0])
        spent = dict.fromkeys(fns, 0.0)
        cpu = dict.fromkeys(fns, 0.0)
        found = dict.fromkeys(fns, 0)
        order = list(fns)
        for round_ in range(rounds):
            for index, frame in enumerate(frames):
                # rotate the order frame by frame: load from other work hits all alike
                shift = (round_ + index) % len(order)
                for name in order[shift:] + order[:shift]:
                    start, start_cpu = time.perf_counter(), time.process_time()
                    hits = fns[name](frame)
                    spent[name] += time.perf_counter() - start
                    cpu[name] += time.process_time() - start_cpu
                    found[name] += hits > 0 and round_ == 0
        total = len(frames) * rounds
        raw_fps, our_fps = total / spent["raw"], total / spent["ours"]
        results[backend] = {
            "raw_fps": raw_fps,
            "tracer_fps": our_fps,
            "default_fps": total / spent["default"],
            "tracer_cpu_fps": total / max(cpu["ours"], 1e-9),
            "overhead": raw_fps / our_fps - 1,
            "frames": len(frames),
            "found_raw": found["raw"],
            "found_tracer": found["ours"],
        }
    return results


def fresh_epcs(count: int, round_: int, header: int) -> list[str]:
    """Distinct SGTIN-96 (0x30) or SSCC-96 (0x31) hex, 7-digit company prefixes, filter 1."""
    values = []
    for i in range(count):
        company = 6_140_000 + (round_ * 7919 + i) % 9_000
        top = ((header << 6) | (1 << 3) | 5) << 82  # header, filter 1, partition 5
        if header == 0x30:
            item = 100_000 + i % 899_999
            value = top | (company << 58) | (item << 38) | (round_ * count + i + 1)
        else:
            reference = 3_000_000_000 + round_ * count + i
            value = top | (company << 58) | (reference << 24)
        values.append(f"{value:024X}")
    return values


def bench_epc(count: int, rounds: int) -> None:
    from epcpy.epc_schemes.sgtin import SGTIN
    from epcpy.epc_schemes.sscc import SSCC

    libs = {0x30: SGTIN, 0x31: SSCC}
    print(f"\nEPC decode, new tags only, {count} tags x {rounds} rounds (µs per tag)")
    print(
        f"{'scheme':>8} {'epcpy from_hex':>15} {'epcpy path':>11} {'decode_epc':>11} {'speed-up':>9}"
    )
    for header, name in ((0x30, "sgtin-96"), (0x31, "sscc-96")):
        fns = {
            "raw": libs[header].from_hex,
            "slow": _from_hex_epcpy,
            "fast": decode_epc,  # its lru_cache never hits: every hex is new
        }
        spent = dict.fromkeys(fns, 0.0)
        for round_ in range(rounds):
            for shift, fn_name in enumerate(fns):  # each function gets its own fresh hexes
                tags = fresh_epcs(count, round_ * len(fns) + shift, header)
                fn = fns[fn_name]
                start = time.perf_counter()
                for hex_value in tags:
                    fn(hex_value)
                spent[fn_name] += time.perf_counter() - start
        per = {k: v / (count * rounds) * 1e6 for k, v in spent.items()}
        print(
            f"{name:>8} {per['raw']:15.1f} {per['slow']:11.1f} {per['fast']:11.1f} "
            f"{per['slow'] / per['fast']:8.1f}x   (epcpy from_hex / decode_epc "
            f"{per['raw'] / per['fast']:.1f}x)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--frames", type=int, default=16)
    parser.add_argument("--epc-only", action="store_true", help="only the EPC decoding part")
    parser.add_argument("--epc-tags", type=int, default=2000)
    args = parser.parse_args()
    if args.epc_only:
        bench_epc(args.epc_tags, args.rounds)
        return
    print(f"camera decode, one code per frame, {args.frames} frames x {args.rounds} rounds")
    print(
        f"{'frame':>10} {'backend':>7} {'raw fps':>8} {'tracer fps':>10} "
        f"{'overhead':>9} {'read raw/tracer':>16} {'raw, all formats':>17} {'tracer per CPU-s':>17}"
    )
    summary = {}
    for size in RESOLUTIONS:
        results = bench(size, args.frames, args.rounds)
        for backend, r in results.items():
            label = f"{size[0]}x{size[1]}"
            print(
                f"{label:>10} {backend:>7} {r['raw_fps']:8.1f} {r['tracer_fps']:10.1f} "
                f"{r['overhead']:+9.1%} {int(r['found_raw']):>7}/{int(r['found_tracer'])} "
                f"of {int(r['frames'])} {r['default_fps']:12.1f} fps {r['tracer_cpu_fps']:12.1f} fps"
            )
            summary[(label, backend)] = r
    z720, b720 = summary[("1280x720", "zxing")], summary[("1280x720", "zbar")]
    print(
        f"\n720p: tracer+zxing {z720['tracer_fps']:.1f} frames/s wall clock, "
        f"{z720['tracer_cpu_fps']:.1f} per CPU-second (goal >= 30), "
        f"wrapper overhead zxing {z720['overhead']:+.1%}, zbar {b720['overhead']:+.1%} "
        f"(goal < 10%); zxing/zbar speed ratio {z720['tracer_fps'] / b720['tracer_fps']:.2f}"
    )
    bench_epc(args.epc_tags, args.rounds)


if __name__ == "__main__":
    main()
