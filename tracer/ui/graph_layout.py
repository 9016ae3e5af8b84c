"""Layered layout of a trace graph (factory on the left, retailers on the right).

Qt-free: each node gets a layer (longest path from a root, so goods always
flow left to right) and a row inside its layer (ordered by its parents' rows,
which keeps crossings down). Cycles (a return to a DC) are cut by ignoring
edges that point back to an earlier layer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Placed:
    node: str
    layer: int
    row: int


def layered(nodes: Iterable[str], edges: Iterable[tuple[str, str]]) -> dict[str, Placed]:
    nodes = list(dict.fromkeys(nodes))
    out: dict[str, list[str]] = defaultdict(list)
    incoming: dict[str, int] = defaultdict(int)
    pairs = [(a, b) for a, b in edges if a != b]
    for a, b in pairs:
        out[a].append(b)
        incoming[b] += 1
    layer = {n: 0 for n in nodes}
    # longest path by relaxation, at most len(nodes) rounds (cycles stop growing there)
    for _ in range(len(nodes)):
        changed = False
        for a, b in pairs:
            if layer.get(b, 0) < layer.get(a, 0) + 1 and layer.get(a, 0) + 1 < len(nodes):
                layer[b] = layer[a] + 1
                changed = True
        if not changed:
            break
    by_layer: dict[int, list[str]] = defaultdict(list)
    for n in nodes:
        by_layer[layer[n]].append(n)
    parents: dict[str, list[str]] = defaultdict(list)
    for a, b in pairs:
        if layer[a] < layer[b]:
            parents[b].append(a)
    placed: dict[str, Placed] = {}
    for depth in sorted(by_layer):
        members = by_layer[depth]

        def key(n: str) -> tuple[float, str]:
            ps = [placed[p].row for p in parents[n] if p in placed]
            return (sum(ps) / len(ps) if ps else 0.0, n)

        for row, n in enumerate(sorted(members, key=key)):
            placed[n] = Placed(n, depth, row)
    return placed
