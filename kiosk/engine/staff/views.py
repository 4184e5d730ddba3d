"""What the staff desk shows and decides with: roles and what each may do, the member signed in,
notices, and masked views of a pending approval, a help request and the journal.

Everything here is plain data for the staff screens (kiosk/ui/staff) and tests; personal data only
ever masked (first 6 and last 4 of an ID number, the surname of a name).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from kiosk.core import i18n
from kiosk.core.masking import mask_id_number, mask_name, mask_text
from kiosk.engine.screens import Row

if TYPE_CHECKING:
    from kiosk.engine.session import Session
    from kiosk.engine.steps.host import StaffApproval
    from kiosk.journal.records import Entry, SessionRecord


class Role(StrEnum):
    SUPERVISOR = "supervisor"
    MAINTENANCE = "maintenance"


class Action(StrEnum):
    APPROVE = "approve"  # approve or reject what rules reserve for a supervisor
    ASSIST = "assist"  # step a stuck customer back, hand the session back
    CANCEL_SESSION = "cancel_session"  # end the customer's session safely
    SERVICE = "service"  # self-test, reset, replenish cards and paper, empty the retain bins
    DEVICE_STATUS = "device_status"
    OUT_OF_SERVICE = "out_of_service"
    JOURNAL = "journal"  # read the journal (masked)
    RECONCILE = "reconcile"  # print or export the day's reconciliation
    QUIT_KIOSK = "quit_kiosk"  # stop the kiosk program (under its service it starts again, through recovery)
    REPRINT = "reprint"  # reprint a customer's receipt from the journal (补打); whoever reads the journal
    RETRY_REVERSALS = "retry_reversals"  # send the waiting reversals now (冲正)
    SETTLE_TXN = "settle_txn"  # record that staff settled a suspect transaction
    VERIFY_JOURNAL = "verify_journal"  # check the journal's hash chain; whoever reads the journal


PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.SUPERVISOR: frozenset({Action.APPROVE, Action.ASSIST, Action.CANCEL_SESSION, Action.DEVICE_STATUS,
                                Action.OUT_OF_SERVICE, Action.JOURNAL, Action.RECONCILE, Action.QUIT_KIOSK,
                                Action.REPRINT, Action.RETRY_REVERSALS, Action.SETTLE_TXN, Action.VERIFY_JOURNAL}),
    Role.MAINTENANCE: frozenset({Action.CANCEL_SESSION, Action.SERVICE, Action.DEVICE_STATUS, Action.OUT_OF_SERVICE,
                                 Action.JOURNAL, Action.QUIT_KIOSK, Action.REPRINT, Action.VERIFY_JOURNAL}),
}


class DeskState(StrEnum):
    SIGNED_OUT = "signed_out"
    SIGNING_IN = "signing_in"
    SIGNED_IN = "signed_in"


class StaffDenied(Exception):
    """A staff action refused at the kiosk: ``key`` is the catalog text saying why."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True)
class StaffMember:
    number: str
    name: str
    role: Role
    expires_at: str  # when the host's token ends (host time, ISO 8601)
    method: str  # "password" or "card"

    def may(self, action: Action) -> bool:
        return action in PERMISSIONS[self.role]


@dataclass(frozen=True)
class Notice:
    """The desk's last word to staff: a catalog key with its parameters; ``error`` for a refusal."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)
    error: bool = False

    def text(self, lang: str) -> str:
        return i18n.text(lang, self.key, **self.params)


@dataclass(frozen=True)
class ApprovalRequest:
    """A session waiting for a supervisor, as the supervisor sees it (masked)."""

    session_id: str
    flow_id: str
    step: str
    rule: str
    rows: tuple[Row, ...]  # flow, step, reason, the customer (masked), the business summary
    dual: bool
    first_by: str | None  # dual control: the supervisor who approved first
    busy: bool  # a decision is being recorded
    error: str | None  # what the customer's screen says (a refused decision)


@dataclass(frozen=True)
class SessionView:
    """The customer's session running now, as staff see it: the flow and the screen it is on."""

    session_id: str
    flow_id: str
    step: str
    rows: tuple[Row, ...]  # flow, step


@dataclass(frozen=True)
class HelpRequest:
    session_id: str
    flow_id: str
    step: str
    rows: tuple[Row, ...]
    requested_at: str  # "HH:MM:SS"


@dataclass(frozen=True)
class JournalRow:
    time: str
    flow: str
    outcome: str
    reason: str
    session: str  # the first 8 characters of the session id
    session_id: str = ""
    receipt_seq: int | None = None  # the session's last receipt entry (what a reprint prints), if it printed one


@dataclass(frozen=True)
class StaffLogRow:
    time: str
    action: str
    staff: str
    detail: str


def t(lang: str, key: str, **params: Any) -> str:
    return i18n.text(lang, key, **params)


def text_or_key(lang: str, key: str | None) -> str:
    """A stored message key as words, when the catalog has it and it needs no parameters."""
    if not key:
        return ""
    if not i18n.has_text(lang, key):
        return mask_text(key)
    try:
        return t(lang, key)
    except (KeyError, IndexError):
        return key


def customer_rows(lang: str, s: Session) -> list[Row]:
    card = s.slots.id_card
    if card is None:
        return []
    return [Row(t(lang, "row.name"), mask_name(card.name)), Row(t(lang, "row.id_number"), mask_id_number(card.id_number))]


def business_rows(s: Session) -> list[Row]:
    """What the customer confirms (the flow's confirm step), when the session has got that far; masked."""
    for step in s.flow.steps:
        rows = getattr(step, "rows", None)
        if step.kind.value == "confirm" and rows is not None:
            try:
                return [Row(r.label, mask_text(r.value)) for r in rows(s)]
            except (LookupError, TypeError, AttributeError, StopIteration):
                return []
    return []


def session_rows(lang: str, s: Session, step_id: str) -> list[Row]:
    return [Row(t(lang, "staff.row.flow"), s.flow.title(lang)), Row(t(lang, "staff.row.step"), step_title(lang, s, step_id))]


def step_title(lang: str, s: Session, step_id: str) -> str:
    """A step's title in the desk's language (the customer's screen may be in another)."""
    try:
        step = s.flow.step(step_id)
    except KeyError:
        return t(lang, f"staff.step.{step_id}") if i18n.has_text(lang, f"staff.step.{step_id}") else step_id
    specific = f"flow.{s.flow.id}.{step.id}.title"
    return t(lang, specific) if i18n.has_text(lang, specific) else t(lang, f"step.{step.text}.title")


def approval_request(lang: str, s: Session, step: StaffApproval, busy: bool, error: str | None) -> ApprovalRequest:
    first = step.first_approval(s)
    rows = [Row(t(lang, "staff.row.flow"), s.flow.title(lang)), Row(t(lang, "approval.reason"), t(lang, step.reason))]
    summary = business_rows(s)
    rows += summary if summary else customer_rows(lang, s)
    return ApprovalRequest(s.id, s.flow.id, step.id, step.rule_name, tuple(rows), step.dual(s),
                           first[1] if first else None, busy, error)


def flow_title(lang: str, flow_id: str) -> str:
    return i18n.text(lang, f"flow.{flow_id}.title") if i18n.has_text(lang, f"flow.{flow_id}.title") else flow_id


def journal_row(lang: str, record: SessionRecord, receipt_seq: int | None = None) -> JournalRow:
    outcome = record.outcome.value if record.outcome else "open"
    return JournalRow(record.started_at[11:19], flow_title(lang, record.flow_id),
                      t(lang, f"staff.outcome.{outcome}") if i18n.has_text(lang, f"staff.outcome.{outcome}")
                      else outcome, text_or_key(lang, record.reason), record.id[:8], record.id, receipt_seq)


def staff_log_row(lang: str, entry: Entry) -> StaffLogRow:
    detail = dict(entry.detail or {})
    staff = str(detail.pop("staff", ""))
    action = t(lang, f"staff.log.{entry.name}") if i18n.has_text(lang, f"staff.log.{entry.name}") else entry.name
    words = ", ".join(f"{k}={_plain(v)}" for k, v in sorted(detail.items()) if v not in (None, "", [], {}))
    return StaffLogRow(entry.at[11:19], action, staff, mask_text(words))


def _plain(value: Any) -> str:
    """A journal value as one line: a list of records (cards taken out of a bin) as their values."""
    if isinstance(value, list):
        return "; ".join(" ".join(map(str, v.values())) if isinstance(v, dict) else str(v) for v in value)
    return str(value)
