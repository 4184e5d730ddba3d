"""Transactions needing staff (交易待处理): what recovery and the reversal queue leave for staff.

- **Suspect** transactions: posted, then not delivered and not reversible (an account opened, a PIN reset), or
  a reversal (冲正) that kept failing or that the host refused. Staff settle them with the customer and record
  it: a ``staff`` entry ``txn_settled`` with the staff number and a reason from :data:`SETTLE_REASONS`. The
  transaction stays suspect (its state only moves forward, the journal is append-only); the settlement is the
  entry beside it, and the panel shows who settled it and when.
- **Reversals waiting** in the store-and-forward queue, with their attempts and next try; a supervisor can send
  them now (the queue's drain, forced, on the desk's worker).
- **The last recovery**: what the kiosk did at its last start (the ``system`` entry ``recovery``).
- **The journal's hash chain**: whoever reads the journal may check it (``kiosk journal verify`` at the desk), on
  the desk's worker with its own read-only connection; the result is a ``staff`` entry ``journal_verified`` and the
  panel shows the last one. A broken chain also calls staff (``called``, reason ``journal_broken``).

Everything here is masked (the journal holds nothing else) and plain data for the staff screens.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from devices.api import Cancellation, EventSink
from kiosk.core import i18n
from kiosk.core.masking import mask_text
from kiosk.core.money import format_fen
from kiosk.engine import reversals
from kiosk.engine.ops import OpResult
from kiosk.engine.recovery import RecoveryReport
from kiosk.engine.screens import Row
from kiosk.engine.staff.views import Action, StaffDenied, flow_title, t
from kiosk.journal import chain
from kiosk.journal.records import Entry, TxnRecord, TxnState

if TYPE_CHECKING:
    from kiosk.engine.staff.desk import StaffDesk
    from kiosk.journal import Journal

# Why staff settled a suspect transaction (catalog: staff.attention.reason.<code>).
SETTLE_REASONS = ("refunded_at_counter", "delivered_at_counter", "confirmed_with_customer", "corrected_by_host")
# Why a transaction is suspect (catalog: staff.attention.why.<code>).
WHY = ("not_reversible", "reversal_failed", "reversal_refused", "unconfirmed")
RECOVERY_LOOKBACK_DAYS = 30


@dataclass(frozen=True)
class Settlement:
    staff: str
    at: str  # "MM-DD HH:MM"
    reason: str  # a code of SETTLE_REASONS


@dataclass(frozen=True)
class SuspectView:
    key: str
    session: str  # the first 8 characters of the session id
    flow: str  # the flow's title in the desk's language
    op: str
    parties: str  # masked
    amount: str  # yuan, "" when the transaction moves no money
    at: str  # when it became suspect, "MM-DD HH:MM"
    why: str  # a code of WHY
    settled: Settlement | None


@dataclass(frozen=True)
class ReversalView:
    key: str
    flow: str
    op: str
    parties: str
    amount: str
    queued_at: str  # "MM-DD HH:MM"
    attempts: int
    next_at: str  # "MM-DD HH:MM:SS"
    due: bool  # the next try is now (the queue sends it with the next posting or the next drain)
    last_error: str


@dataclass(frozen=True)
class RecoveryView:
    at: str  # "YYYY-MM-DD HH:MM:SS"
    rows: tuple[Row, ...]  # what it did, counts only (nothing done: no rows)
    notes: tuple[str, ...]


@dataclass(frozen=True)
class VerificationView:
    """The last check of the journal's hash chain (the newest ``journal_verified`` entry)."""

    at: str  # "YYYY-MM-DD HH:MM:SS"
    staff: str
    ok: bool
    entries_checked: int
    first_broken_seq: int | None
    reason: str  # why it is broken (masked), "" when intact
    head: str  # the first 16 hex digits of the chain head


@dataclass(frozen=True)
class AttentionView:
    suspects: tuple[SuspectView, ...]  # the unsettled first, then the ones settled today
    reversals: tuple[ReversalView, ...]
    recovery: RecoveryView | None
    verification: VerificationView | None = None  # None: not checked within the lookback

    @property
    def open_suspects(self) -> int:
        return sum(s.settled is None for s in self.suspects)


def _short(iso: str, seconds: bool = False) -> str:
    return f"{iso[5:10]} {iso[11:19] if seconds else iso[11:16]}"


def _parties(txn: TxnRecord) -> str:
    return mask_text(" / ".join(str(v) for v in (txn.parties or {}).values() if v not in (None, "", [], {})))


def _amount(txn: TxnRecord | None) -> str:
    return format_fen(txn.amount_fen) if txn is not None and txn.amount_fen is not None else ""


class Attention:
    """The panel's data and its actions, for the staff desk (``desk.attention``)."""

    def __init__(self, desk: StaffDesk) -> None:
        self.desk = desk
        self.retrying = False
        self.verifying = False  # the journal's chain is being checked
        self.version = 0  # moves on after every action: the screen reads the journal again

    @property
    def _journal(self) -> Any:
        return self.desk.services.journal

    # -- reading (no denial journaled: the screens poll these) ---------------------------------------
    def view(self) -> AttentionView:
        if not self.desk.may(Action.JOURNAL):
            return AttentionView((), (), None)
        return AttentionView(tuple(self.suspects()), tuple(self.waiting_reversals()), self.last_recovery(),
                             self.last_verification())

    def counts(self) -> tuple[int, int]:
        """(suspect transactions nobody has settled, reversals waiting): what the staff home screen flags."""
        if not self.desk.may(Action.JOURNAL):
            return 0, 0
        suspects = self._journal.transactions(states=(TxnState.SUSPECT,))
        settled = self._settlements(suspects)
        return sum(s.key not in settled for s in suspects), len(self._journal.reversals("pending"))

    def suspects(self) -> list[SuspectView]:
        """Every suspect nobody has settled, oldest first, then those settled today."""
        found = self._journal.transactions(states=(TxnState.SUSPECT,))
        settled = self._settlements(found)
        today = self.desk.today().isoformat()
        views = [self._suspect(txn, settled.get(txn.key)) for txn in found]
        shown = [v for v in views if v.settled is None]
        shown += [v for v in views if v.settled is not None and settled[v.key].at.startswith(today)]
        return shown

    def _settlements(self, suspects: list[TxnRecord]) -> dict[str, Entry]:
        if not suspects:
            return {}
        since = min(txn.created_at for txn in suspects)
        keys = {txn.key for txn in suspects}
        return {e.detail["key"]: e for e in self._journal.entries_named("staff", "txn_settled", since)
                if e.detail and e.detail.get("key") in keys}

    def _suspect(self, txn: TxnRecord, settled: Entry | None) -> SuspectView:
        done = None
        if settled is not None and settled.detail is not None:
            done = Settlement(str(settled.detail.get("staff", "")), _short(settled.at), str(settled.detail.get("reason")))
        return SuspectView(txn.key, (txn.session_id or "")[:8], flow_title(self.desk.lang, txn.flow_id), txn.op,
                           _parties(txn), _amount(txn), _short(txn.updated_at), self._why(txn), done)

    def _why(self, txn: TxnRecord) -> str:
        detail = txn.detail or {}
        if "reversal_refused" in detail:
            return "reversal_refused"
        if "reversal_attempts" in detail or self._journal.reversal(txn.key) is not None:
            return "reversal_failed"
        return "unconfirmed" if txn.reversible else "not_reversible"

    def waiting_reversals(self) -> list[ReversalView]:
        now = self.desk.services.clock.now().isoformat(timespec="milliseconds")
        views = []
        for record in self._journal.reversals("pending"):
            txn = self._journal.transaction(record.txn_key)
            flow = flow_title(self.desk.lang, txn.flow_id) if txn else ""
            views.append(ReversalView(record.txn_key, flow, txn.op if txn else "", _parties(txn) if txn else "",
                                      _amount(txn), _short(record.queued_at), record.attempts,
                                      _short(record.next_at, seconds=True), record.next_at <= now,
                                      record.last_error or ""))
        return views

    def _newest(self, kind: str, name: str) -> Entry | None:
        """The newest ``kind``/``name`` entry within the lookback (RECOVERY_LOOKBACK_DAYS)."""
        since = (self.desk.today() - timedelta(days=RECOVERY_LOOKBACK_DAYS)).isoformat()
        found = self._journal.entries_named(kind, name, since)
        return found[-1] if found else None

    def last_recovery(self) -> RecoveryView | None:
        entry = self._newest("system", "recovery")
        if entry is None:
            return None
        detail = entry.detail or {}
        lang = self.desk.lang
        rows = []
        for name in (f.name for f in fields(RecoveryReport) if f.name != "notes"):
            if detail.get(name):
                key = f"staff.recovery.{name}"
                rows.append(Row(t(lang, key) if i18n.has_text(lang, key) else name, str(detail[name])))
        notes = tuple(mask_text(str(n)) for n in detail.get("notes") or ())
        return RecoveryView(entry.at[:19].replace("T", " "), tuple(rows), notes)

    def last_verification(self) -> VerificationView | None:
        entry = self._newest("staff", "journal_verified")
        if entry is None:
            return None
        d = entry.detail or {}
        seq = d.get("first_broken_seq")
        return VerificationView(entry.at[:19].replace("T", " "), str(d.get("staff") or ""), bool(d.get("ok")),
                                int(d.get("entries_checked") or 0), int(seq) if seq is not None else None,
                                mask_text(str(d.get("reason") or "")), str(d.get("head") or ""))

    # -- acting (a supervisor) ----------------------------------------------------------------------
    def settle(self, key: str, reason: str) -> None:
        """Staff settled a suspect transaction with the customer (refunded at the counter, ...): journaled."""
        self.desk.require(Action.SETTLE_TXN)
        txn = self._journal.transaction(key)
        if reason not in SETTLE_REASONS:
            self._refuse("staff.attention.reason_needed")
        if txn is None or txn.state is not TxnState.SUSPECT:
            self._refuse("staff.attention.not_suspect")
        assert txn is not None
        if key in self._settlements([txn]):
            self._refuse("staff.attention.already_settled")
        self.desk.journal("txn_settled", txn.session_id, key=key, flow=txn.flow_id, op=txn.op,
                          amount_fen=txn.amount_fen, reason=reason)
        self.version += 1
        self.desk.say("staff.attention.settled", flow=flow_title(self.desk.lang, txn.flow_id),
                      reason=t(self.desk.lang, f"staff.attention.reason.{reason}"))

    def _refuse(self, key: str) -> None:
        self.desk.say(key, error=True)
        raise StaffDenied(key)

    def retry_reversals(self) -> None:
        """Send every waiting reversal now, whatever its backoff (on the desk's worker)."""
        member = self.desk.require(Action.RETRY_REVERSALS)
        if self.retrying:
            return
        self.retrying = True
        services = self.desk.services

        def work(cancel: Cancellation, on_event: EventSink) -> reversals.DrainReport:
            return reversals.drain(services, force=True)

        def done(result: OpResult) -> None:
            self.retrying = False
            self.version += 1
            if result.ok:
                report = asdict(result.value)
                self.desk.journal("reversals_retried", staff=member.number, **report)
                self.desk.say("staff.attention.retried", error=bool(report["waiting"] or report["suspect"]), **report)
                return
            code = type(result.error).__name__
            self.desk.journal("reversals_retry_failed", staff=member.number, code=code)
            self.desk.say("staff.attention.retry_failed", error=True, code=code)

        self.desk.run("retry_reversals", work, done)
        self.desk.say("staff.service.running")

    def verify_journal(self) -> None:
        """Check the journal's hash chain (the whole file: on the desk's worker, on its own read connection)."""
        member = self.desk.require(Action.VERIFY_JOURNAL)
        if self.verifying:
            return
        self.verifying = True
        journal: Journal = self._journal
        path, kiosk_id = journal.path, journal.kiosk_id

        def work(cancel: Cancellation, on_event: EventSink) -> chain.VerifyReport:
            if path is None:  # an in-memory journal has no file to open again
                return journal.verify_chain(kiosk_id)
            return chain.verify(path, kiosk_id)

        def done(result: OpResult) -> None:
            self.verifying = False
            self.version += 1
            if not result.ok:
                code = type(result.error).__name__
                self.desk.journal("journal_verify_failed", staff=member.number, code=code)
                self.desk.say("staff.attention.verify_failed", error=True, code=code)
                return
            self._verified(member.number, result.value)

        self.desk.run("verify_journal", work, done)
        self.desk.say("staff.service.running")

    def _verified(self, staff: str, report: chain.VerifyReport) -> None:
        head, seq, reason = (report.head or "")[:16], report.first_broken_seq, mask_text(report.reason or "")
        self.desk.journal("journal_verified", staff=staff, ok=report.ok, entries_checked=report.entries_checked,
                          first_broken_seq=seq, reason=reason or None, head=head)
        if report.ok:
            self.desk.say("staff.attention.verified", entries=report.entries_checked, head=head)
            return
        self._journal.record(None, "staff", "called", {"reason": "journal_broken", "first_broken_seq": seq})
        self.desk.say("staff.attention.verify_broken" if seq is not None else "staff.attention.verify_broken_whole",
                      error=True, seq=seq, reason=reason)
