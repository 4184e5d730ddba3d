"""Steps that talk to the bank host: a named host operation, and a supervisor's approval."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from devices.api import Cancellation, EventSink
from kiosk.core import i18n
from kiosk.core.crash import crash_point
from kiosk.engine import txn
from kiosk.engine.flow import Fail, Next, Stay, Step, Verdict
from kiosk.engine.ops import Operation, OpResult
from kiosk.engine.reversals import ReversalPending, pending_blocks
from kiosk.engine.screens import Input, InputKind, Outcome, Row, ScreenKind
from kiosk.engine.session import FirstApproval, StaffDecision
from kiosk.host.api import OPERATIONS, ApprovalRecordResult, Result
from kiosk.host.errors import HostError, HostOutcomeUnknown, HostProtocolError, HostRejected, HostUnavailable
from kiosk.journal.records import TxnState

if TYPE_CHECKING:
    from kiosk.engine.session import Session

Refusal = Callable[["Session", HostRejected], Verdict]


# Postings that are not the customer's business: a supervisor's recorded decision.
NOT_TRANSACTIONS = frozenset({"approvals.record"})


def host_operation(s: Session, op: str, payload: Mapping[str, object], *, posting: bool,
                   amount_fen: int | None = None, delivery: str | None = None) -> Operation:
    """A host call with a fresh idempotency key, journaled before it is sent and when it ends.

    A posting is a transaction (kiosk/engine/txn.py): its intent is committed before anything is sent, and an
    answer that never came is asked for by key before the session decides. The client retries only with the
    same key. ``delivery`` is what a later step hands the customer for it ("card", "document").
    """
    key = uuid.uuid4().hex
    services, session_id, flow_id = s.services, s.id, s.flow.id
    s.slots.last_idempotency_key = key
    operation = OPERATIONS[op]
    transaction = posting and op not in NOT_TRANSACTIONS

    def call(cancel: Cancellation, on_event: EventSink) -> Result:
        journal = services.journal
        if transaction:
            if operation.reversible:
                pending_blocks(services)
            journal.txn_intent(key, session_id, flow_id, op, amount_fen=amount_fen, parties=txn.parties(payload),
                               delivery=delivery, reversible=operation.reversible)
            crash_point("txn.intent")
        with journal.batch():
            if transaction:
                journal.txn_move(key, TxnState.SENT)
            journal.host_request_started(key, session_id, op, posting, amount_fen=amount_fen)
        if transaction:
            crash_point("host.before_send")
        try:
            reply = services.host.call_result(op, payload, key, session_id)
        except HostRejected as exc:
            with journal.batch():
                journal.host_request_finished(key, "rejected", {"code": exc.code})
                if transaction:
                    journal.txn_move(key, TxnState.DECLINED, {"code": exc.code})
            raise
        except HostUnavailable:
            with journal.batch():
                journal.host_request_finished(key, "unavailable")
                if transaction:
                    journal.txn_move(key, TxnState.DECLINED, {"host": "not reached"})
            raise
        except (HostOutcomeUnknown, HostProtocolError) as exc:
            journal.host_request_finished(key, "unknown" if posting else "unavailable", {"error": type(exc).__name__})
            if not transaction:
                raise
            state, answer = txn.resolve_unknown(services, key, session_id)
            if state is TxnState.DECLINED:  # the host says it never posted it: nothing was done
                raise HostUnavailable(f"{op}: not posted (asked the host by key)", op, key) from exc
            if state is not TxnState.APPROVED or answer is None:
                raise
            reply = answer
        else:
            if transaction:
                crash_point("host.after_reply")
            with journal.batch():
                journal.host_request_finished(
                    key, "committed", {"reply": reply.model_dump(mode="json", exclude=set(reply.journal_exclude))})
                if transaction:
                    journal.txn_move(key, TxnState.APPROVED)
        if transaction:
            crash_point("txn.approved")
        return reply

    return Operation(f"host.{op}", call, critical=posting)


def host_verdict(s: Session, result: OpResult, posting: bool, refusals: Mapping[str, Refusal]) -> Verdict:
    err = result.error
    if isinstance(err, HostRejected):
        if err.code in refusals:
            return refusals[err.code](s, err)
        key = f"host.refused.{err.code}"
        return Fail(key if i18n.has_text(s.lang, key) else "host.refused", params={"code": err.code})
    if isinstance(err, ReversalPending):
        return Fail("host.reversal_pending", Outcome.HOST_FAULT)
    if isinstance(err, HostOutcomeUnknown | HostProtocolError) and posting:
        ref = s.slots.last_idempotency_key[:12].upper()
        return Fail("host.outcome_unknown", Outcome.UNKNOWN, params={"reference": ref})
    if isinstance(err, HostError):
        return Fail("host.unavailable", Outcome.HOST_FAULT)
    raise err if err is not None else RuntimeError("host_verdict on a success")


class HostCall(Step):
    """Call the host operation ``op`` with ``payload(s)``; its result model goes to the flow data
    attribute ``store``. PIN blocks go in the payload as PinBlock objects (the host client encodes them).

    Whether the operation posts (changes the bank's books) is declared once, with the operation
    (:data:`kiosk.host.api.OPERATIONS`): cancel and timeout wait for a posting, and once it succeeds
    the session's outcome is completed whatever happens after. ``check`` is a business rule on the
    stored result (e.g. no bills to pay): a verdict, or None to go on. ``reference`` names the result
    field that is the transaction reference.
    """

    kind = ScreenKind.PROCESSING
    customer_step = False  # the kiosk works (or prints) by itself: not a step of "step x of y"
    timeout = None
    text_key = "processing"

    def __init__(
        self, id: str, *, op: str, payload: Callable[[Session], Mapping[str, object]], store: str,
        amount: Callable[[Session], int] | None = None,
        refusals: Mapping[str, Refusal] | None = None, branches: tuple[str, ...] = (),
        check: Callable[[Session], Verdict | None] | None = None, reference: str | None = None,
        **kw: Any,
    ) -> None:
        super().__init__(id, **kw)
        operation = OPERATIONS.get(op)
        if operation is None:
            raise ValueError(f"step {id!r}: no host operation {op!r}; declared: {sorted(OPERATIONS)}")
        unknown = set(refusals or {}) - set(operation.refusals)
        if unknown:
            raise ValueError(f"step {id!r}: {op} never refuses with {sorted(unknown)}")
        if reference is not None and reference not in operation.result.model_fields:
            raise ValueError(f"step {id!r}: {operation.result.__name__} has no field {reference!r}")
        self.operation = operation
        self.check = check
        self.reference = reference
        self.op, self.payload, self.store, self.posting = op, payload, store, operation.posting
        self.amount = amount
        self.refusals = dict(refusals or {})
        self.branches = branches

    @property
    def posting_op(self) -> str | None:
        return self.op if self.posting else None

    def stores(self) -> tuple[tuple[str, type], ...]:
        return ((self.store, self.operation.result),)

    def begin(self, s: Session) -> Operation:
        amount = self.amount(s) if self.amount else None
        return host_operation(s, self.op, self.payload(s), posting=self.posting, amount_fen=amount,
                              delivery=txn.delivery_after(s, self.id) if self.posting else None)

    def on_result(self, s: Session, result: OpResult) -> Verdict:
        if not result.ok:
            return host_verdict(s, result, self.posting, self.refusals)
        reply: Result = result.value
        s.store(self.store, reply)
        if self.reference:
            s.slots.references[self.store] = str(getattr(reply, self.reference))
        if self.posting:
            s.outcome = Outcome.COMPLETED
        verdict = self.check(s) if self.check else None
        return verdict if verdict is not None else Next()


IDENTITY_RULE = "identity"  # the name of the rule None (staff verify identity) in dual control
# What the customer's screen says when the host refuses a supervisor's decision.
APPROVAL_REFUSALS = {
    "staff_token_invalid": "staff.approval.sign_in_again",
    "countersign_same_supervisor": "staff.approval.second_supervisor",
}


class StaffApproval(Step):
    """Wait for a supervisor. Shown only when ``when`` holds and ``rule`` is switched on for the flow
    in config (a rule of None always applies: staff verifying identity cannot be switched off).

    A decision comes as ``Input(APPROVE, "approve"|"reject", staff=number, staff_token=token)`` from the
    staff desk (kiosk/engine/staff/); the host records it only for a signed-in supervisor's token.
    Under dual control (``settings.staff.dual_control`` names the rule) a first approval is recorded and the
    step waits for a second, different supervisor, whose approval countersigns the first."""

    kind = ScreenKind.WAITING_STAFF
    timeout = "staff_s"
    text_key = "approval"

    def __init__(self, id: str, *, rule: str | None, reason: str, **kw: Any) -> None:
        super().__init__(id, **kw)
        self.rule = rule
        self.reason = reason  # catalog key telling customer and staff why approval is needed

    @property
    def rule_name(self) -> str:
        return self.rule or IDENTITY_RULE

    def active(self, s: Session) -> bool:
        return self.rule is None or self.rule in s.services.settings.approvals.get(s.flow.id, ())

    def dual(self, s: Session) -> bool:
        return self.rule_name in s.services.settings.staff.dual_control

    def first_approval(self, s: Session) -> FirstApproval | None:
        """Dual control: (approval_ref, staff number) of the first supervisor, once they approved."""
        return s.slots.first_approvals.get(self.id)

    def screen(self, s: Session) -> dict[str, Any]:
        rows = [Row(s.t("approval.reason"), s.t(self.reason))]
        first = self.first_approval(s)
        if self.dual(s):
            rows.append(Row(s.t("staff.approval.supervisors"),
                            s.t("staff.approval.progress", done=1 if first else 0, needed=2)))
        return {"rows": tuple(rows), "data": {"rule": self.rule, "reason_key": self.reason, "dual": self.dual(s),
                                              "first_by": first[1] if first else None}}

    def on_input(self, s: Session, inp: Input) -> Verdict | None:
        if inp.kind is not InputKind.APPROVE or inp.choice not in ("approve", "reject") or not inp.staff \
                or not inp.staff_token:
            return None
        first = self.first_approval(s)
        if first is not None and first[1] == inp.staff:
            return Stay(error="staff.approval.second_supervisor")
        s.slots.decisions[self.id] = StaffDecision(inp.choice, inp.staff, inp.reason, inp.staff_token)
        return Stay(restart=True)

    def begin(self, s: Session) -> Operation | None:
        decision = s.slots.decisions.get(self.id)
        if decision is None:
            return None
        first = self.first_approval(s)
        payload = {"session_id": s.id, "staff_token": decision.token, "decision": decision.choice,
                   "reason": decision.reason or self.reason, "subject": f"{s.flow.id}:{self.rule or self.id}",
                   "countersigns": first[0] if first else None}
        return host_operation(s, "approvals.record", payload, posting=False)

    def on_result(self, s: Session, result: OpResult) -> Verdict:
        decision = s.slots.decisions.pop(self.id)
        if not result.ok:
            if isinstance(result.error, HostRejected):
                return Stay(error=APPROVAL_REFUSALS.get(result.error.code, "approval.staff_invalid"))
            return host_verdict(s, result, False, {})
        if decision.choice == "reject":
            return Fail("approval.rejected", params={"reason": decision.reason})
        recorded: ApprovalRecordResult = result.value
        if self.dual(s) and self.first_approval(s) is None:
            s.slots.first_approvals[self.id] = FirstApproval(recorded.approval_ref, decision.staff)
            s.notice = s.t("staff.approval.second_needed")
            return Stay()
        s.slots.approvals[self.id] = recorded.approval_ref
        return Next()
