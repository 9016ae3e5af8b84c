"""Campaign, target and progress records: what screens and reports show."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

HAZARDS = ("high", "medium", "low")
REMEDIES = ("return", "destroy", "repair")
RECALL_KEY = "tracer:recall"  # the EPCIS extension member naming the campaign


@dataclass
class Target:
    """One location that received affected goods, and where its recall stands."""

    sgln: str
    gln: str | None = None
    name: str | None = None
    name_zh: str | None = None
    kind: str | None = None
    region: str | None = None
    city: str | None = None
    address: str | None = None
    contact: str | None = None
    phone: str | None = None
    email: str | None = None
    units_shipped: float = 0.0  # received there
    units_forwarded: float = 0.0  # shipped on to other targets (a DC)
    units_sold: float = 0.0
    units_on_hand: float = 0.0
    by_lot: dict[str, float] = field(default_factory=dict)
    notified_at: str | None = None
    acknowledged_at: str | None = None
    acknowledged_by: str | None = None
    units_returned: float = 0.0
    units_destroyed: float = 0.0
    units_repaired: float = 0.0

    @property
    def units_accounted(self) -> float:
        """Recovered by the recall: returned, destroyed or repaired."""
        return self.units_returned + self.units_destroyed + self.units_repaired

    @property
    def units_net(self) -> float:
        """Units that stayed here (received minus shipped on): no double count of a DC."""
        return max(self.units_shipped - self.units_forwarded, 0.0)

    @property
    def units_outstanding(self) -> float:
        return max(self.units_on_hand - self.units_accounted, 0.0)

    def as_dict(self) -> dict[str, Any]:
        d = dict(vars(self))
        d["units_accounted"] = self.units_accounted
        d["units_net"] = self.units_net
        d["units_outstanding"] = self.units_outstanding
        return d


@dataclass
class Campaign:
    campaign_id: str
    status: str
    reason: str
    hazard: str
    remedy: str
    instructions: str | None
    opened_at: str
    opened_by: str | None
    opened_seq: int
    closed_at: str | None
    issuer_sgln: str | None
    contact: dict[str, Any]
    lots: list[str]
    affected_lots: list[dict[str, Any]]
    targets: list[Target] = field(default_factory=list)

    def target(self, gln_or_sgln: str) -> Target | None:
        for t in self.targets:
            if gln_or_sgln in (t.gln, t.sgln):
                return t
        return None

    def as_dict(self) -> dict[str, Any]:
        d = {k: v for k, v in vars(self).items() if k != "targets"}
        d["targets"] = [t.as_dict() for t in self.targets]
        return d


@dataclass
class RegionProgress:
    region: str
    targets: int = 0
    notified: int = 0
    acknowledged: int = 0
    units_shipped: float = 0.0
    units_on_hand: float = 0.0
    units_accounted: float = 0.0


@dataclass
class CampaignProgress:
    """How far a recall has got: the numbers `tracer recall show` prints."""

    campaign: Campaign
    targets: int  # units_shipped below: distributed units, each counted once (net of a DC)
    notified: int
    acknowledged: int
    units_shipped: float
    units_sold: float
    units_on_hand: float
    units_returned: float
    units_destroyed: float
    units_repaired: float
    regions: list[RegionProgress]

    @property
    def units_accounted(self) -> float:
        return self.units_returned + self.units_destroyed + self.units_repaired

    @property
    def percent_of_shipped(self) -> float:
        """Units recovered or known sold, out of all units shipped to the targets."""
        if not self.units_shipped:
            return 100.0
        return (
            100.0
            * min(self.units_accounted + self.units_sold, self.units_shipped)
            / (self.units_shipped)
        )

    @property
    def percent_of_on_hand(self) -> float:
        """Units recovered out of those the targets held when the recall opened."""
        if not self.units_on_hand:
            return 100.0
        return 100.0 * min(self.units_accounted, self.units_on_hand) / self.units_on_hand

    def as_dict(self) -> dict[str, Any]:
        return {
            "campaign_id": self.campaign.campaign_id,
            "status": self.campaign.status,
            "targets": self.targets,
            "notified": self.notified,
            "acknowledged": self.acknowledged,
            "units_shipped": self.units_shipped,
            "units_sold": self.units_sold,
            "units_on_hand": self.units_on_hand,
            "units_returned": self.units_returned,
            "units_destroyed": self.units_destroyed,
            "units_repaired": self.units_repaired,
            "units_accounted": self.units_accounted,
            "percent_of_shipped": round(self.percent_of_shipped, 1),
            "percent_of_on_hand": round(self.percent_of_on_hand, 1),
            "regions": [vars(r) for r in self.regions],
        }
