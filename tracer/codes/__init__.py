"""Item codes: GS1 element strings, Digital Link, EPC tags, image decoding, labels."""

from tracer.codes.epc import EpcTag, decode_epc, encode_epc
from tracer.codes.gs1 import GS1Code, parse_code
from tracer.errors import CodeError

__all__ = ["CodeError", "EpcTag", "GS1Code", "decode_epc", "encode_epc", "parse_code"]
