"""The plan's measures (docs/kpi.md), computed from the journal alone: per day and per flow the sessions,
completions, abandonment and at which step, the customer's handling time, the self-service completion rate,
satisfaction, the share finished without staff, appointments, the loans' automatic decisions and the
counter-replacement estimate.

Pure over the journal: it reads sessions, their entries and their host requests, and writes nothing. What the
journal cannot know comes in as arguments: each flow's :class:`FlowProfile` (from the catalogue: whether it is
counter business, and the counter's time for it), the bookings the host took for appointments, and the
transactions the counters still did. Nothing personal comes out: counts, rates, durations and step ids.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from kiosk.journal.journal import Journal
from kiosk.journal.kpi_sessions import SessionFacts, session_facts

COUNTER_MINUTES = 30.0  # the bank's plan: a counter transaction takes 30 minutes end to end (queue and service)
APPOINTMENT_FLOW = "appointment_pickup"  # a customer who booked in the mini-program finishes at the kiosk
RATINGS = ("satisfied", "neutral", "dissatisfied")  # answers (kiosk/engine/survey.py)
NOT_ANSWERED = ("skipped", "timeout")


@dataclass(frozen=True)
class FlowProfile:
    """What the catalogue says of a flow for these measures (kiosk.engine.flow.Flow)."""

    counter_business: bool = True
    counter_minutes: float = COUNTER_MINUTES


def _rate(part: int, whole: int | None) -> float | None:
    return part / whole if whole else None


def percentile(values: Iterable[float], q: float) -> float | None:
    """Nearest rank: the smallest value with at least ``q`` of the values at or below it."""
    ordered = sorted(values)
    if not ordered:
        return None
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


@dataclass
class Satisfaction:
    """The question after completed sessions: rate = satisfied / answered, response = answered / asked."""

    asked: int = 0
    satisfied: int = 0
    neutral: int = 0
    dissatisfied: int = 0
    skipped: int = 0
    timeout: int = 0
    reasons: Counter[str] = field(default_factory=Counter)  # why the dissatisfied were

    @property
    def answered(self) -> int:
        return self.satisfied + self.neutral + self.dissatisfied

    @property
    def rate(self) -> float | None:
        return _rate(self.satisfied, self.answered)

    @property
    def response_rate(self) -> float | None:
        return _rate(self.answered, self.asked)

    def add(self, facts: SessionFacts) -> None:
        self.asked += facts.survey_asked
        rating = facts.rating
        if rating in (*RATINGS, *NOT_ANSWERED):
            setattr(self, rating, getattr(self, rating) + 1)
        if rating == "dissatisfied" and facts.rating_reason:
            self.reasons[facts.rating_reason] += 1

    def as_dict(self) -> dict[str, Any]:
        counts = {name: getattr(self, name) for name in ("asked", *RATINGS, *NOT_ANSWERED, "answered")}
        return {**counts, "rate": _round(self.rate), "response_rate": _round(self.response_rate),
                "reasons": dict(sorted(self.reasons.items()))}


@dataclass
class Figures:
    """One group of sessions: a flow on a day, a day, a flow over the period, or the whole period."""

    name: str
    sessions: int = 0
    completed: int = 0
    cancelled: int = 0
    timeout: int = 0
    failed: int = 0  # refused, device fault, host fault
    unsettled: int = 0  # outcome unknown, abandoned by a stopped kiosk, still open
    without_staff: int = 0  # completed with no staff entry: no approval, no help requested, no takeover
    abandoned_at: Counter[str] = field(default_factory=Counter)  # the last step screen of cancelled or timed out
    seconds: list[float] = field(default_factory=list)  # handling time of each completed session
    satisfaction: Satisfaction = field(default_factory=Satisfaction)

    @property
    def abandoned(self) -> int:
        return self.cancelled + self.timeout

    @property
    def completion_rate(self) -> float | None:
        """The self-service completion rate: sessions that ended with the business done at the kiosk."""
        return _rate(self.completed, self.sessions)

    @property
    def without_staff_share(self) -> float | None:
        return _rate(self.without_staff, self.completed)

    @property
    def median_s(self) -> float | None:
        return statistics.median(self.seconds) if self.seconds else None

    @property
    def p90_s(self) -> float | None:
        return percentile(self.seconds, 0.9)

    def add(self, facts: SessionFacts) -> None:
        self.sessions += 1
        outcome = facts.outcome
        if outcome == "completed":
            self.completed += 1
            self.without_staff += not facts.staff
            if facts.seconds is not None:
                self.seconds.append(facts.seconds)
        elif outcome in ("cancelled", "timeout"):
            setattr(self, outcome, getattr(self, outcome) + 1)
            self.abandoned_at[facts.last_step or "?"] += 1
        elif outcome in ("failed", "device_fault", "host_fault"):
            self.failed += 1
        else:
            self.unsettled += 1
        self.satisfaction.add(facts)

    def as_dict(self) -> dict[str, Any]:
        counts = ("sessions", "completed", "cancelled", "timeout", "abandoned", "failed", "unsettled", "without_staff")
        return {"name": self.name, **{c: getattr(self, c) for c in counts},
                "completion_rate": _round(self.completion_rate), "without_staff_share": _round(self.without_staff_share),
                "median_s": _round(self.median_s, 1), "p90_s": _round(self.p90_s, 1),
                "abandoned_at": dict(self.abandoned_at.most_common()), "satisfaction": self.satisfaction.as_dict()}


@dataclass
class Group:
    """Figures per flow and their total, and sessions by hour of the day."""

    flows: dict[str, Figures] = field(default_factory=dict)
    total: Figures = field(default_factory=lambda: Figures("total"))
    hours: Counter[int] = field(default_factory=Counter)

    def add(self, facts: SessionFacts) -> None:
        self.flows.setdefault(facts.flow, Figures(facts.flow)).add(facts)
        self.total.add(facts)
        self.hours[facts.hour] += 1

    def as_dict(self) -> dict[str, Any]:
        return {"flows": [self.flows[f].as_dict() for f in sorted(self.flows)], "total": self.total.as_dict(),
                "sessions_by_hour": {f"{h:02d}": n for h, n in sorted(self.hours.items())}}


@dataclass
class Appointments:
    """Bookings made in the mini-program and finished at the kiosk. ``bookings`` comes from the host (None:
    not known): show-up = appointment sessions / bookings, conversion = completed ones / bookings."""

    sessions: int = 0
    completed: int = 0
    bookings: int | None = None

    @property
    def show_up(self) -> float | None:
        return _rate(self.sessions, self.bookings)

    @property
    def conversion(self) -> float | None:
        return _rate(self.completed, self.bookings)

    def as_dict(self) -> dict[str, Any]:
        return {"flow": APPOINTMENT_FLOW, "sessions": self.sessions, "completed": self.completed,
                "bookings": self.bookings, "show_up": _round(self.show_up), "conversion": _round(self.conversion)}


@dataclass
class LoanDecisions:
    """The host's decisions on loan applications made at the kiosk (kiosk/journal/kpi_sessions.py says where they
    are read from); automatic = approved or declined without staff; referred = sent to a loan officer."""

    approved: int = 0
    referred: int = 0
    declined: int = 0

    @property
    def decided(self) -> int:
        return self.approved + self.referred + self.declined

    @property
    def automatic_rate(self) -> float | None:
        return _rate(self.approved + self.declined, self.decided)

    def as_dict(self) -> dict[str, Any]:
        return {"approved": self.approved, "referred": self.referred, "declined": self.declined,
                "decided": self.decided, "automatic_rate": _round(self.automatic_rate)}


@dataclass
class CounterEstimate:
    """Kiosk completions of counter business (flows with ``counter_business``): the share they are of all such
    business when the counters' remaining transactions are known, and the customers' minutes saved, each
    completion counting its flow's counter time less the time it took at the kiosk."""

    completions: int = 0
    counter_transactions: int | None = None  # what the branch's counters still did in the period (None: unknown)
    minutes_saved: float = 0.0
    by_flow: Counter[str] = field(default_factory=Counter)

    @property
    def share(self) -> float | None:
        if self.counter_transactions is None:
            return None
        return _rate(self.completions, self.completions + self.counter_transactions)

    def add(self, facts: SessionFacts, profile: FlowProfile) -> None:
        if facts.outcome != "completed" or not profile.counter_business:
            return
        self.completions += 1
        self.by_flow[facts.flow] += 1
        self.minutes_saved += profile.counter_minutes - (facts.seconds or 0.0) / 60

    def as_dict(self) -> dict[str, Any]:
        return {"completions": self.completions, "counter_transactions": self.counter_transactions,
                "share": _round(self.share), "minutes_saved": round(self.minutes_saved, 1),
                "by_flow": dict(sorted(self.by_flow.items()))}


@dataclass
class KpiReport:
    start: date
    end: date
    days: dict[date, Group]
    period: Group
    appointments: Appointments
    loans: LoanDecisions
    counter: CounterEstimate
    counter_minutes: dict[str, float]  # the counter time assumed for each flow in the report

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": self.start.isoformat(), "to": self.end.isoformat(),
            "days": [{"date": day.isoformat(), **group.as_dict()} for day, group in sorted(self.days.items())],
            "period": self.period.as_dict(), "appointments": self.appointments.as_dict(),
            "loans": self.loans.as_dict(), "counter": self.counter.as_dict(),
            "assumptions": {"counter_minutes": self.counter_minutes},
        }


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def kpi_report(journal: Journal, start: date, end: date, profiles: Mapping[str, FlowProfile] | None = None, *,
               bookings: int | None = None, counter_transactions: int | None = None) -> KpiReport:
    """The measures for the sessions started from ``start`` to ``end`` (both included). A flow missing from
    ``profiles`` counts as counter business of :data:`COUNTER_MINUTES`."""
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    profiles = profiles or {}
    report = KpiReport(start, end, {}, Group(), Appointments(bookings=bookings), LoanDecisions(),
                       CounterEstimate(counter_transactions=counter_transactions), {})
    day = start
    while day <= end:
        for record in journal.sessions(day=day):
            facts = session_facts(journal, record)
            _add(report, day, facts, profiles.get(facts.flow, FlowProfile()))
        day += timedelta(days=1)
    return report


def _add(report: KpiReport, day: date, facts: SessionFacts, profile: FlowProfile) -> None:
    report.days.setdefault(day, Group()).add(facts)
    report.period.add(facts)
    report.counter.add(facts, profile)
    report.counter_minutes[facts.flow] = profile.counter_minutes
    if facts.flow == APPOINTMENT_FLOW:
        report.appointments.sessions += 1
        report.appointments.completed += facts.outcome == "completed"
    if facts.loan_decision is not None:
        name = facts.loan_decision
        setattr(report.loans, name, getattr(report.loans, name) + 1)


def parse_day(text: str) -> date:
    """YYYY-MM-DD, strictly (argparse's type for --from and --to)."""
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise ValueError(f"{text!r} is not a date (YYYY-MM-DD)") from None
