"""Render the application icon set from resources/icons/app/tracer.svg.

Why generated: one drawing, every size the platforms ask for: PNGs for the Linux
hicolor theme and AppStream (16-512), tracer.ico for Windows (executables and the
installer), tracer.icns for the macOS .app. After editing the SVG, run and commit:

    .venv/bin/python packaging/make_icons.py            (writes resources/icons/app/)
    .venv/bin/python packaging/make_icons.py --out DIR  (elsewhere, e.g. to compare)

Qt's own SVG renderer draws the PNGs (the same one the app uses for its icons);
Pillow packs them into .ico and .icns.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ICON_DIR = ROOT / "resources" / "icons" / "app"
SOURCE = ICON_DIR / "tracer.svg"
PNG_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512)


def png_name(size: int) -> str:
    return f"tracer-{size}.png"


def render_pngs(source: Path, out: Path, sizes: tuple[int, ...] = PNG_SIZES) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(source))
    if not renderer.isValid():
        raise SystemExit(f"{source}: not a valid SVG")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        path = out / png_name(size)
        if not image.save(str(path), "PNG"):
            raise SystemExit(f"could not write {path}")
        written.append(path)
    return written


def pack(out: Path) -> tuple[Path, Path]:
    """tracer.ico and tracer.icns from the rendered PNGs (each size drawn, not rescaled)."""
    from PIL import Image

    def load(size: int) -> Image.Image:
        return Image.open(out / png_name(size)).convert("RGBA")

    ico = out / "tracer.ico"
    largest = load(ICO_SIZES[-1])
    largest.save(
        ico,
        format="ICO",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=[load(s) for s in ICO_SIZES[:-1]],
    )
    icns = out / "tracer.icns"
    load(ICNS_SIZES[-1]).save(icns, format="ICNS", append_images=[load(s) for s in ICNS_SIZES[:-1]])
    return ico, icns


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ICON_DIR, help="folder for the outputs")
    args = parser.parse_args(argv)
    pngs = render_pngs(SOURCE, args.out)
    ico, icns = pack(args.out)
    for path in [*pngs, ico, icns]:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
