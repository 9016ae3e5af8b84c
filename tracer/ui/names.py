"""Names for identifiers: SGLN → shop name, GTIN → product name, in the UI language.

Loaded once per ledger from master data (a few hundred rows), so table views
can label thousands of rows without a query each.
"""

from __future__ import annotations

from tracer.ledger import masterdata
from tracer.ledger.backend import LedgerBackend
from tracer.ledger.regions import region_name
from tracer.model import Location, Product
from tracer.ui.qt import QLocale


def chinese() -> bool:
    return QLocale().name().startswith("zh")


def localized(name: str, name_zh: str | None) -> str:
    return name_zh if (name_zh and chinese()) else name


def region(text: str | None) -> str:
    """A stored province/region in the UI language (GB/T 2260 names), else as stored."""
    return region_name(text, chinese=chinese())


class NameBook:
    def __init__(self, ledger: LedgerBackend | None) -> None:
        self.locations: dict[str, Location] = {}
        self.products: dict[str, Product] = {}
        if ledger is not None:
            self.reload(ledger)

    def reload(self, ledger: LedgerBackend) -> None:
        self.locations = {}
        for loc in masterdata.locations(ledger):
            self.locations[loc.sgln] = loc
            self.locations[loc.gln] = loc
        self.products = {}
        for p in masterdata.products(ledger):
            self.products[p.gtin.zfill(14)] = p

    def location(self, sgln_or_gln: str | None) -> str:
        if not sgln_or_gln:
            return ""
        loc = self.locations.get(sgln_or_gln)
        return localized(loc.name, loc.name_zh) if loc else sgln_or_gln

    def product(self, gtin: str | None) -> str:
        if not gtin:
            return ""
        p = self.products.get(gtin.zfill(14))
        return localized(p.name, p.name_zh) if p else ""
