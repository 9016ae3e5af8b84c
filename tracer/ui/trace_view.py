"""The trace drawn as a graph (QGraphicsView): lots and places as boxes, units on the arrows."""

from __future__ import annotations

from typing import Any

from tracer.recall import TraceGraph
from tracer.ui.graph_layout import layered
from tracer.ui.qt import (
    QBrush,
    QColor,
    QFont,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QPainter,
    QPainterPath,
    QPen,
    QPointF,
    QRectF,
    Qt,
    QWidget,
)

BOX_W, BOX_H, GAP_X, GAP_Y = 210, 46, 90, 18
COLORS = {
    "lot": "#e8f0fb",
    "factory": "#fff4d6",
    "supplier": "#f3e8ff",
    "warehouse": "#e6f6ea",
    "distributor": "#e6f6ea",
    "retailer": "#fde8e8",
    "e-commerce": "#fde8e8",
}


def units_text(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,.2f}"


class TraceGraphView(QGraphicsView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.node_items: dict[str, Any] = {}

    def wheelEvent(self, event: Any) -> None:
        factor = 1.15 if event.angleDelta().y() > 0 else 1 / 1.15
        self.scale(factor, factor)

    def show_graph(self, graph: TraceGraph | None, label: Any) -> None:
        """Draw `graph`; `label(node) -> (text, kind)` names each node."""
        scene = self.scene()
        scene.clear()
        self.node_items = {}
        if graph is None:
            return
        edges = [(e.source, e.target) for e in graph.edges]
        nodes = [n for pair in edges for n in pair] or list(graph.lots)
        placed = layered(nodes, edges)
        font = QFont(self.font())
        font.setPointSize(9)
        for node, p in placed.items():
            text, kind = label(node)
            x = p.layer * (BOX_W + GAP_X)
            y = p.row * (BOX_H + GAP_Y)
            rect = scene.addRect(
                QRectF(x, y, BOX_W, BOX_H),
                QPen(QColor("#5f6b7a")),
                QBrush(QColor(COLORS.get(kind, "#f4f4f4"))),
            )
            rect.setToolTip(node)
            item = QGraphicsSimpleTextItem(_elide(text, 30), rect)
            item.setFont(font)
            item.setPos(x + 8, y + (BOX_H - item.boundingRect().height()) / 2)
            self.node_items[node] = rect
        pen = QPen(QColor("#1f5fa8"))
        pen.setWidthF(1.4)
        for e in graph.edges:
            a, b = placed.get(e.source), placed.get(e.target)
            if a is None or b is None:
                continue
            start = QPointF(a.layer * (BOX_W + GAP_X) + BOX_W, a.row * (BOX_H + GAP_Y) + BOX_H / 2)
            end = QPointF(b.layer * (BOX_W + GAP_X), b.row * (BOX_H + GAP_Y) + BOX_H / 2)
            if b.layer <= a.layer:  # a return: draw it below, dashed
                start = QPointF(start.x() - BOX_W / 2, start.y() + BOX_H / 2)
                end = QPointF(end.x() + BOX_W / 2, end.y() + BOX_H / 2)
            path = QPainterPath(start)
            mid = (start.x() + end.x()) / 2
            path.cubicTo(QPointF(mid, start.y()), QPointF(mid, end.y()), end)
            edge_pen = QPen(pen)
            if e.kind == "returned":
                edge_pen.setStyle(Qt.PenStyle.DashLine)
                edge_pen.setColor(QColor("#c62828"))
            scene.addPath(path, edge_pen)
            head = QPainterPath(end)
            head.lineTo(end.x() - 8, end.y() - 4)
            head.lineTo(end.x() - 8, end.y() + 4)
            head.closeSubpath()
            scene.addPath(head, edge_pen, QBrush(edge_pen.color()))
            tag = QGraphicsSimpleTextItem(units_text(e.units))
            tag.setFont(font)
            tag.setBrush(QBrush(QColor("#1f3b63")))
            tag.setPos(mid - tag.boundingRect().width() / 2, (start.y() + end.y()) / 2 - 14)
            scene.addItem(tag)
        scene.setSceneRect(scene.itemsBoundingRect().adjusted(-20, -20, 20, 20))
        self.resetTransform()
        self.fit()

    def fit(self) -> None:
        rect = self.scene().sceneRect()
        if rect.isEmpty():
            return
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        if self.transform().m11() > 1.0:
            self.resetTransform()


def _elide(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
