"""Supervisor approvals (a signed-in supervisor's token; dual control by countersigning), and the status
of an earlier posting (for reconciliation)."""

from __future__ import annotations

import json
import sqlite3

from kiosk.host.api import (
    ApprovalRecordRequest,
    ApprovalRecordResult,
    OperationStatusRequest,
    OperationStatusResult,
)
from kiosk.host.sim.context import OpContext, Refusal, next_ref
from kiosk.host.sim.staff_auth import staff_for_token


def is_approved(conn: sqlite3.Connection, approval_ref: str | None) -> bool:
    """True when ``approval_ref`` names a recorded supervisor approval (not a rejection)."""
    if approval_ref is None:
        return False
    row = conn.execute("SELECT decision FROM approvals WHERE approval_ref = ?", (approval_ref,)).fetchone()
    return row is not None and row["decision"] == "approve"


def _check_countersign(ctx: OpContext, req: ApprovalRecordRequest, staff_number: str) -> None:
    """Dual control: the first approval exists, approves the same subject in the same session, and is
    another supervisor's."""
    first = ctx.conn.execute("SELECT * FROM approvals WHERE approval_ref = ?", (req.countersigns,)).fetchone()
    if first is None or first["decision"] != "approve" or first["countersigns"] is not None:
        raise Refusal("countersign_invalid", "there is no first approval to countersign", reason="not_an_approval")
    if (first["session_id"], first["subject"]) != (req.session_id, req.subject):
        raise Refusal("countersign_invalid", "the first approval is for another session or subject",
                      reason="other_subject")
    if first["staff_number"] == staff_number:
        raise Refusal("countersign_same_supervisor", "dual control needs a second, different supervisor")


def record_approval(ctx: OpContext, req: ApprovalRecordRequest) -> ApprovalRecordResult:
    staff = staff_for_token(ctx, req.staff_token)
    if staff["role"] != "supervisor":
        raise Refusal("staff_not_supervisor", "only a supervisor may approve", role=staff["role"])
    if req.countersigns is not None:
        _check_countersign(ctx, req, staff["number"])
    approval_ref = next_ref(ctx.conn, "A")
    ctx.conn.execute(
        "INSERT INTO approvals(approval_ref, session_id, staff_number, decision, reason, subject, recorded_at, "
        "idempotency_key, countersigns) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (approval_ref, req.session_id, staff["number"], req.decision, req.reason, req.subject,
         ctx.now.isoformat(), ctx.idempotency_key, req.countersigns),
    )
    return ApprovalRecordResult(approval_ref=approval_ref, staff_number=staff["number"],
                                supervisors=2 if req.countersigns is not None else 1)


def operation_status(ctx: OpContext, req: OperationStatusRequest) -> OperationStatusResult:
    row = ctx.conn.execute(
        "SELECT op, http_status, reply FROM postings WHERE idempotency_key = ?", (req.idempotency_key,)
    ).fetchone()
    if row is None:
        return OperationStatusResult(found=False, op=None, status=None, reply=None)
    committed = row["http_status"] == 200
    return OperationStatusResult(found=True, op=row["op"], status="committed" if committed else "rejected",
                                 reply=json.loads(row["reply"]))
