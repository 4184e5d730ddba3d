"""Supervisor approvals, and the status of an earlier posting (for reconciliation)."""

from __future__ import annotations

import json
import sqlite3

from kiosk.host.api import (
    ApprovalRecordRequest,
    ApprovalRecordResult,
    OperationStatusRequest,
    OperationStatusResult,
)
from kiosk.host.context import OpContext, Refusal, next_ref


def is_approved(conn: sqlite3.Connection, approval_ref: str | None) -> bool:
    """True when ``approval_ref`` names a recorded supervisor approval (not a rejection)."""
    if approval_ref is None:
        return False
    row = conn.execute("SELECT decision FROM approvals WHERE approval_ref = ?", (approval_ref,)).fetchone()
    return row is not None and row["decision"] == "approve"


def record_approval(ctx: OpContext, req: ApprovalRecordRequest) -> ApprovalRecordResult:
    staff = ctx.conn.execute("SELECT role FROM staff WHERE number = ?", (req.staff_number,)).fetchone()
    if staff is None:
        raise Refusal("staff_unknown", "no such staff number")
    if staff["role"] != "supervisor":
        raise Refusal("staff_not_supervisor", "only a supervisor may approve", role=staff["role"])
    approval_ref = next_ref(ctx.conn, "A")
    ctx.conn.execute(
        "INSERT INTO approvals(approval_ref, session_id, staff_number, decision, reason, subject, recorded_at, "
        "idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (approval_ref, req.session_id, req.staff_number, req.decision, req.reason, req.subject,
         ctx.now.isoformat(), ctx.idempotency_key),
    )
    return ApprovalRecordResult(approval_ref=approval_ref)


def operation_status(ctx: OpContext, req: OperationStatusRequest) -> OperationStatusResult:
    row = ctx.conn.execute(
        "SELECT op, http_status, reply FROM postings WHERE idempotency_key = ?", (req.idempotency_key,)
    ).fetchone()
    if row is None:
        return OperationStatusResult(found=False, op=None, status=None, reply=None)
    committed = row["http_status"] == 200
    return OperationStatusResult(found=True, op=row["op"], status="committed" if committed else "rejected",
                                 reply=json.loads(row["reply"]))
