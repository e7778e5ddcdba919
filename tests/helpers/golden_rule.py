"""The Service II redemption-fee rule as the 2012 plan states it (002:96-103), for workspace tests.

Written out by hand (not read from the catalog) so the golden cases of DOMAIN.md §3 test the
workspace against the rule text itself.
"""

from __future__ import annotations

from decimal import Decimal

from janus_gui.core.models import Citation, Evidence, FeeRule

RULE_CITATION = Citation("002_9a3a92caa630b855.txt", 96, 103, "a 1.00% redemption fee may")
SERVICE_II_RULE = FeeRule(
    applies=True,
    rate=Decimal("0.01"),
    holding_period_days=60,
    lot_order="FIFO",
    base="redemption value",
    recipient="Portfolio",
    reason="Service II Shares: 1.00% on interests held 60 days or less.",
    rule_id="golden",
    citation=RULE_CITATION,
    evidence=Evidence.DOCUMENTED,
)
