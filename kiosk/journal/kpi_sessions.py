"""What the plan's measures (kiosk/journal/kpi.py) take from one session of the journal: its outcome, its
handling time, where it was abandoned, whether staff stepped in, the satisfaction answer and a loan decision.

Where each fact is read:

- handling time: the session's ``started_at`` (the customer's first touch of a service) to its ``ended_at``
  (the safe exit done: card back, receipt out), on the kiosk's clock;
- the step an abandoned session was left at: the ``step`` entry of the ``cancel`` or ``timeout`` transition
  (its ``from``), else the last step the session entered;
- staff: any ``staff`` entry of the session (an approval, staff verifying identity, a help request, staff
  stepping the session back, taking it over or cancelling it);
- satisfaction: the ``survey`` entries ``asked`` and ``satisfaction`` (``rating``: satisfied, neutral,
  dissatisfied, skipped or timeout; ``reason``: why a customer was dissatisfied), kiosk/engine/survey.py;
- a loan decision: the committed host request of :data:`LOAN_DECISION_OP`, whose reply's
  :data:`LOAN_DECISION_FIELD` is the decision (the last one when the customer applied again in the session);
  failing that, a ``host`` entry of the same operation that kept the reply. A session without one has none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kiosk.journal.journal import Journal
from kiosk.journal.records import Entry, EntryKind, SessionRecord

LOAN_DECISION_OP = "loans.decide"  # the host operation deciding a consumer loan application (consumer_loan_apply)
LOAN_DECISION_FIELD = "decision"  # the field of its reply holding the decision
# The host's words for a decision, as the report counts them (automatic: approved or declined).
LOAN_DECISIONS = {"approved": "approved", "approve": "approved", "referred": "referred", "refer": "referred",
                  "declined": "declined", "decline": "declined"}
STOP_EVENTS = ("cancel", "timeout")  # the chart's events that abandon a session (kiosk/engine/states.py)
ENGINE_STATES = ("ending", "failed", "done")
ABANDONED = ("cancelled", "timeout")  # the outcomes of an abandoned session


@dataclass(frozen=True)
class SessionFacts:
    flow: str
    outcome: str  # a SessionOutcome value, or "open"
    hour: int  # the hour of the day the session started
    seconds: float | None  # started to ended; None while open
    last_step: str | None  # the step screen a cancelled or timed-out session was left at
    staff: bool  # staff took part in the session
    survey_asked: int  # 1 when the satisfaction question was put after it
    rating: str | None  # satisfied, neutral, dissatisfied, skipped, timeout
    rating_reason: str | None
    loan_decision: str | None  # approved, referred, declined
    elderly: bool


def session_facts(journal: Journal, record: SessionRecord) -> SessionFacts:
    entries = journal.entries(record.id)
    started = datetime.fromisoformat(record.started_at)
    seconds = None
    if record.ended_at is not None:
        seconds = (datetime.fromisoformat(record.ended_at) - started).total_seconds()
    outcome = record.outcome.value if record.outcome is not None else "open"
    rating, reason = _survey(entries)
    return SessionFacts(
        flow=record.flow_id, outcome=outcome, hour=started.hour, seconds=seconds,
        last_step=_last_step(entries) if outcome in ABANDONED else None,
        staff=any(e.kind is EntryKind.STAFF for e in entries),
        survey_asked=int(any(e.kind is EntryKind.SURVEY and e.name == "asked" for e in entries)),
        rating=rating, rating_reason=reason, loan_decision=_loan_decision(journal, record.id, entries),
        elderly=record.elderly,
    )


def _last_step(entries: list[Entry]) -> str | None:
    entered = None
    for entry in entries:
        if entry.kind is not EntryKind.STEP or not entry.detail or "from" not in entry.detail:
            continue
        if entry.detail.get("event") in STOP_EVENTS and entry.detail["from"] not in ENGINE_STATES:
            return str(entry.detail["from"])
        if entry.name not in ENGINE_STATES:
            entered = entry.name
    return entered


def _survey(entries: list[Entry]) -> tuple[str | None, str | None]:
    answers = [e.detail or {} for e in entries if e.kind is EntryKind.SURVEY and e.name == "satisfaction"]
    if not answers:
        return None, None
    rating, reason = answers[-1].get("rating"), answers[-1].get("reason")
    return (str(rating) if rating else None), (str(reason) if reason else None)


def _loan_decision(journal: Journal, session_id: str, entries: list[Entry]) -> str | None:
    found: Any = None
    for request in journal.host_requests(session_id):
        if request.op == LOAN_DECISION_OP and request.status.committed:
            found = _decision((request.detail or {}).get("reply")) or found
    if found is None:
        for entry in entries:
            if entry.kind is EntryKind.HOST and entry.name == f"host.{LOAN_DECISION_OP}":
                detail = entry.detail or {}
                found = _decision(detail.get("reply") or detail.get("value")) or found
    return found


def _decision(reply: Any) -> str | None:
    if not isinstance(reply, dict):
        return None
    return LOAN_DECISIONS.get(str(reply.get(LOAN_DECISION_FIELD, "")).lower())
