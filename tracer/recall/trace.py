"""forward_trace / backward_trace: the walks of `closure`, replayed by `flows`.

Forward from a lot: the lot and every lot made from it (any number of
transformation levels), their items, every case and pallet that held them,
then every shipment, receipt, sale, return and destruction of those units.
Backward from a lot or a unit: the lots it was made from and where those
came from (suppliers), each input lot counted only up to the time it was used.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime

from tracer.ledger import Ledger
from tracer.ledger.gcpause import gc_paused
from tracer.ledger.rows import utc_text
from tracer.recall import closure
from tracer.recall.closure import Window
from tracer.recall.dialect import SqliteSession
from tracer.recall.flows import Accept, FlowBuilder
from tracer.recall.graph import LotInfo, TraceGraph
from tracer.recall.masterdata import enrich
from tracer.recall.start import TraceError, TraceStart, parse_start
from tracer.recall.vocab import SSCC, lot_of_class

DEFAULT_MAX_DEPTH = 32

StartLike = str | tuple[str, str] | TraceStart


def forward_trace(
    ledger: Ledger,
    start: StartLike | Sequence[StartLike],
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> TraceGraph:
    """Where did it go? Every place the start (and what was made from it) reached."""
    return _trace(ledger, start, forward=True, since=since, until=until, max_depth=max_depth)


def backward_trace(
    ledger: Ledger,
    start: StartLike | Sequence[StartLike],
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> TraceGraph:
    """Where did it come from? Its input lots, their suppliers, and its own path."""
    return _trace(ledger, start, forward=False, since=since, until=until, max_depth=max_depth)


def _starts(start: StartLike | Sequence[StartLike]) -> list[TraceStart]:
    if isinstance(start, (str, tuple, TraceStart)):
        return [parse_start(start)]
    starts = [parse_start(s) for s in start]
    if not starts:
        raise TraceError("nothing to trace: give at least one lot, SGTIN or SSCC")
    return starts


def _trace(
    ledger: Ledger,
    start: StartLike | Sequence[StartLike],
    *,
    forward: bool,
    since: datetime | None,
    until: datetime | None,
    max_depth: int,
) -> TraceGraph:
    t0 = time.perf_counter()
    starts = _starts(start)
    if max_depth < 1:
        raise TraceError("the depth limit must be at least 1")
    window = Window(utc_text(since) if since else None, utc_text(until) if until else None)
    graph = TraceGraph(
        direction="forward" if forward else "backward",
        start=", ".join(s.text for s in starts),
        start_ids=[],
    )
    with ledger._lock, gc_paused():
        # a server backend brings its own session (tracer.ledger.postgres: PgTraceSession)
        make_session = getattr(ledger, "trace_session", None)
        session = make_session() if make_session else SqliteSession(ledger.connection)
        with session.snapshot():
            session.script(closure.TEMP_TABLES)
            session.script(closure.CLEAR)
            unit_leaves = _seed(session, starts, graph, forward, max_depth, window)
            truncated = False
            for _ in range(max_depth + 1):  # new lots found from items feed the lot walk
                closure.walk_lots(session, forward=forward, max_depth=max_depth, window=window)
                _expand(session, forward)
                truncated |= closure.walk_units(session, max_depth=max_depth, window=window)
                more = closure.lots_from_units(session, forward=forward, window=window)
                if not more:
                    break
                closure.seed_lots(session, more)
            lots = closure.lots_found(session)
            events, idents, links = closure.fetch_events(session, window)
            truncated |= any(depth >= max_depth for _, depth, _, _ in lots)
    graph.truncated = truncated
    for lot_class, depth, via_seq, _ in lots:
        graph.lots[lot_class] = _lot_info(lot_class, depth, via_seq)
    for lot_class in unit_leaves:
        graph.lots.setdefault(lot_class, _lot_info(lot_class, 0, None, partial=True))
    with gc_paused():
        FlowBuilder(graph, None if forward else _backward_accept(lots)).run(events, idents, links)
    enrich(ledger, graph)
    graph.elapsed_ms = (time.perf_counter() - t0) * 1000
    return graph


def _seed(
    session: SqliteSession,
    starts: list[TraceStart],
    graph: TraceGraph,
    forward: bool,
    max_depth: int,
    window: Window,
) -> set[str]:
    """Fill trace_seed / trace_id from the starts; return the lots of start units."""
    seeds: list[tuple[str, int]] = []
    ids: list[tuple[str, str, str | None, int]] = []
    unit_lots: set[str] = set()
    for s in starts:
        if s.is_lot:
            found = closure.existing_classes(session, list(s.candidates))
            if not found:
                raise TraceError(f"lot {s.text} is not in the ledger")
            seeds += [(c, 0) for c in found]
            graph.start_ids += found
            continue
        found = closure.existing_ids(session, list(s.candidates))
        if not found:
            raise TraceError(f"{s.kind.upper()} {s.text} is not in the ledger")
        graph.start_ids += found
        classes: list[str] = []
        for uid in found:
            for ident, lot, _depth in closure.unit_contents(
                session, uid, max_depth=max_depth, window=window
            ):
                if ident.startswith("urn:epc:class:"):
                    ids.append((ident, "startclass", ident, 0))
                    unit_lots.add(ident)
                    classes.append(ident)
                elif ident.startswith(SSCC):
                    ids.append((ident, "unit", None, 0))
                else:
                    ids.append((ident, "start", lot or "", 0))
                    if lot:
                        unit_lots.add(lot)
        if forward:  # lot-level goods in the case: what they were made into
            seeds += [(c, 1) for c in closure.outputs_of(session, classes, window=window)]
        else:
            seeds += [(c, 0) for c in unit_lots]
    closure.seed_lots(session, seeds)
    closure.add_ids(session, ids)
    return unit_lots


def _expand(session: SqliteSession, forward: bool) -> None:
    if forward:
        closure.expand_lots(session, with_items=True)
        return
    # backward: input lots by class and by item (with their cases); the start
    # lot itself only by class, since only its production is wanted
    closure.expand_lots(session, with_items=False)
    session.execute(
        "INSERT INTO trace_id (id, kind, lot_class, depth) "
        "SELECT il.epc, 'item', il.lot_class, t.depth FROM trace_lot t "
        "CROSS JOIN item_lots il WHERE il.lot_class = t.lot_class AND t.depth > 0 "
        "ON CONFLICT DO NOTHING"
    )


def _backward_accept(lots: list[tuple[str, int, int | None, str | None]]) -> Accept:
    caps = {lot: via_time for lot, depth, _, via_time in lots if depth > 0 and via_time}
    own = {lot for lot, depth, _, _ in lots if depth == 0}

    def accept(kind: str, lot: str, when: str, start_leaf: bool) -> bool:
        if start_leaf:
            return True
        if lot in caps:
            return when <= caps[lot]
        if lot in own:
            return kind in ("declared", "commissioned")
        return False

    return accept


def _lot_info(lot_class: str, depth: int, via_seq: int | None, *, partial: bool = False) -> LotInfo:
    key = lot_of_class(lot_class)
    return LotInfo(
        lot_class=lot_class,
        gtin=key.gtin if key else None,
        lot=key.lot if key else None,
        depth=depth,
        via_transformation=via_seq,
        partial=partial,
    )
