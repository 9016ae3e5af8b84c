"""Item codes: GS1 element strings, Digital Link, EPC tags, image decoding, labels.

Image decoding pulls in OpenCV and the barcode libraries, so `decode_image`,
`Decoder` and `Symbol` are imported on first use: parsing a keyboard-wedge
scan stays light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from tracer.codes.epc import EpcTag, decode_epc, encode_epc
from tracer.codes.gs1 import GS1Code, parse_code
from tracer.errors import CodeError

if TYPE_CHECKING:
    from tracer.codes.decode import Decoder, Symbol, decode_image

_LAZY = {
    "decode_image": "tracer.codes.decode",
    "Decoder": "tracer.codes.decode",
    "Symbol": "tracer.codes.decode",
}

__all__ = [
    "CodeError",
    "Decoder",
    "EpcTag",
    "GS1Code",
    "Symbol",
    "decode_epc",
    "decode_image",
    "encode_epc",
    "parse_code",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'tracer.codes' has no attribute {name!r}")
