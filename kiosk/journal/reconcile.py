"""The day's reconciliation per flow (日终对账): sessions, completions, failures, amounts, and the day's
transactions that staff must settle (suspect) or that the host reversed (冲正).

Built on :meth:`Journal.daily_summary`; read by the staff desk (print, export) and by
``kiosk journal reconcile``. Nothing personal: counts and amounts per flow only.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import Any

from kiosk.journal.journal import Journal

# A failure is any end that was not the customer's choice or the clock: refused (by a rule, the host or
# staff), a device fault, a host fault.
FAILURES = ("failed", "device_fault", "host_fault")
UNSETTLED = ("unknown", "abandoned", "open")  # outcome unconfirmed by the host, or the kiosk died mid-session


@dataclass(frozen=True)
class FlowFigures:
    flow: str
    sessions: int = 0
    completed: int = 0
    failed: int = 0  # refused + device faults + host faults
    cancelled: int = 0
    timeout: int = 0
    unsettled: int = 0  # unknown outcome, abandoned, still open
    amount_fen: int = 0  # committed postings (reconciled ones included; reversed ones too)
    suspect: int = 0  # transactions of the day that need staff (not reversible, reversal failed or refused)
    reversed: int = 0  # transactions of the day the host reversed
    reversed_fen: int = 0  # their amount

    @staticmethod
    def from_counts(flow: str, counts: dict[str, int]) -> FlowFigures:
        return FlowFigures(
            flow=flow, sessions=counts.get("sessions", 0), completed=counts.get("completed", 0),
            failed=sum(counts.get(k, 0) for k in FAILURES), cancelled=counts.get("cancelled", 0),
            timeout=counts.get("timeout", 0), unsettled=sum(counts.get(k, 0) for k in UNSETTLED),
            amount_fen=counts.get("amount_fen", 0), suspect=counts.get("suspect", 0),
            reversed=counts.get("reversed", 0), reversed_fen=counts.get("reversed_fen", 0),
        )

    def __add__(self, other: FlowFigures) -> FlowFigures:
        values = {f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self) if f.name != "flow"}
        return FlowFigures(flow=self.flow, **values)


COLUMNS = tuple(f.name for f in fields(FlowFigures))
MONEY = ("amount_fen", "reversed_fen")


@dataclass(frozen=True)
class Reconciliation:
    day: date
    kiosk_id: str
    flows: tuple[FlowFigures, ...]

    @property
    def totals(self) -> FlowFigures:
        total = FlowFigures(flow="total")
        for figures in self.flows:
            total = total + figures
        return total

    def as_dict(self) -> dict[str, Any]:
        return {"date": self.day.isoformat(), "kiosk_id": self.kiosk_id,
                "flows": [asdict(f) for f in self.flows], "totals": asdict(self.totals)}

    def as_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["date", "kiosk_id", *COLUMNS])
        for figures in (*self.flows, self.totals):
            writer.writerow([self.day.isoformat(), self.kiosk_id, *(getattr(figures, c) for c in COLUMNS)])
        return out.getvalue()


def reconcile(journal: Journal, day: date, kiosk_id: str = "") -> Reconciliation:
    """Per flow, for the sessions started on ``day``."""
    summary = journal.daily_summary(day)
    flows = tuple(FlowFigures.from_counts(flow, counts) for flow, counts in sorted(summary.items()))
    return Reconciliation(day, kiosk_id, flows)
