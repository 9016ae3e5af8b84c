"""Item codes: GS1 element strings, Digital Link, EPC tags, image decoding, labels.

Image decoding pulls in OpenCV and the barcode libraries, and EPC tag
translation epcpy, so those are imported on first use: parsing a
keyboard-wedge scan stays light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from tracer.codes.gs1 import GS1Code, parse_code
from tracer.errors import CodeError

if TYPE_CHECKING:
    from tracer.codes.decode import Decoder, Symbol, decode_image
    from tracer.codes.epc import EpcTag, decode_epc, encode_epc

# heavy parts load on first use: start-up and the keyboard-wedge scan path
# need only parse_code
_LAZY = {
    "decode_image": "tracer.codes.decode",
    "Decoder": "tracer.codes.decode",
    "Symbol": "tracer.codes.decode",
    "EpcTag": "tracer.codes.epc",
    "decode_epc": "tracer.codes.epc",
    "encode_epc": "tracer.codes.epc",
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
