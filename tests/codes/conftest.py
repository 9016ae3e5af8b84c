"""A generated image corpus: each symbology under rotation, blur, noise, low contrast,
small scale and perspective, written once per test session with the expected results."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import cv2
import pytest

from tracer.codes.synthetic import KINDS, Distortion, frame_with_code

CONTENT = {
    "EAN13": "690123456789",
    "EAN8": "9638507",
    "UPCA": "03600029145",
    "ITF": "10036000291459",
    "Code128": "TRACER-42",
    "GS1-128": "(01)06901234567892(10)L24A",
    "QRCode": "https://id.gs1.org/01/06901234567892/10/L24A",
    "GS1 QRCode": "(01)06901234567892(10)L24A(21)S1",
    "DataMatrix": "TRACER-42",
    "GS1 DataMatrix": "(01)06901234567892(10)L24A(21)S1",
}
# What the decoders must return as Symbol.text for each content above.
EXPECTED_TEXT = {
    "EAN13": "6901234567892",
    "EAN8": "96385074",
    "UPCA": "036000291452",
    "ITF": "10036000291459",
    "Code128": "TRACER-42",
    "GS1-128": "]C1010690123456789210L24A",
    "QRCode": "https://id.gs1.org/01/06901234567892/10/L24A",
    "GS1 QRCode": "]Q3010690123456789210L24A\x1d21S1",
    "DataMatrix": "TRACER-42",
    "GS1 DataMatrix": "]d2010690123456789210L24A\x1d21S1",
}
CONDITIONS = {
    "upright": Distortion(angle=0, module_px=2.5),
    "rot30": Distortion(angle=30, module_px=2.5),
    "rot90": Distortion(angle=90, module_px=2.5),
    "rot160": Distortion(angle=160, module_px=2.5),
    "rot225": Distortion(angle=225, module_px=2.5),
    "rot300": Distortion(angle=300, module_px=2.5),
    "blur": Distortion(angle=15, module_px=2.5, blur=0.8),
    "noise": Distortion(angle=195, module_px=2.5, noise=12),
    "low-contrast": Distortion(angle=75, module_px=2.5, contrast=0.35),
    "small": Distortion(angle=10, module_px=2.0),
    "keystone": Distortion(angle=5, module_px=2.5, perspective=0.2),
    "keystone-rot": Distortion(angle=100, module_px=2.5, perspective=0.2),
    "everything": Distortion(angle=250, module_px=2.5, blur=0.8, noise=6, contrast=0.6),
}


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Directory of PNG frames plus expected.json (file -> kind, text, corners)."""
    root = tmp_path_factory.mktemp("codes-corpus")
    expected = {}
    for k_index, kind in enumerate(KINDS):
        for c_index, (condition, distortion) in enumerate(CONDITIONS.items()):
            d = dataclasses.replace(distortion, seed=k_index * 100 + c_index)
            frame, corners = frame_with_code(kind, CONTENT[kind], (800, 600), d)
            name = f"{kind.replace(' ', '_')}-{condition}.png"
            cv2.imwrite(str(root / name), frame)
            expected[name] = {
                "kind": kind,
                "condition": condition,
                "text": EXPECTED_TEXT[kind],
                "corners": corners.round(1).tolist(),
            }
    (root / "expected.json").write_text(json.dumps(expected, indent=1))
    return root
