"""A demo lot and the EPC identifiers of what is in it (LGTIN class, SGTINs).

Both the production events (`tracer.demo.events`) and the distribution events
(`tracer.demo.distribution`) name lots and items; the EPC spelling lives here once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from tracer.codes.keys import escape_component, lgtin_uri, sgtin_uri
from tracer.demo.chain import DemoProduct


@dataclass
class DemoLot:
    """A material or finished lot while its events are generated (not master data)."""

    product: DemoProduct
    number: str
    quantity: int
    produced: datetime

    @cached_property
    def lot_class(self) -> str:
        # EPC URIs split GTINs as tracer.codes does (GS1 prefix table), so a
        # scanned barcode of a demo item names the same EPC as the ledger
        return lgtin_uri("0" + self.product.product.gtin, self.number)

    def sgtin(self, serial: int) -> str:
        # escaping works character by character and digits need none: the lot part once
        return f"{self._sgtin_lot}{serial:05d}"

    @cached_property
    def _sgtin_lot(self) -> str:
        return self._sgtin_base + escape_component(self.number)

    @cached_property
    def _sgtin_base(self) -> str:
        """`sgtin_uri` up to the serial: the GCP split looked up once per lot, not per item."""
        return sgtin_uri("0" + self.product.product.gtin, "")
