"""Appointments (预约办理) at the simulated bank: the mini-program books, the kiosk checks and redeems.

A booking is of a bookable service (``appointment_services``: a kiosk flow and the answers it takes) for an
ID number and a time window; its code is signed by the host (kiosk/host/sim/tokens_appointments.py). A code is
checked in this order: that it is an appointment code at all (``token_invalid``), its signature
(``signature_invalid``), the booking (``booking_unknown``, ``booking_cancelled``), one-time use
(``already_used``, with when), the window (``not_yet_valid``, ``expired``, with the window); redeeming also
needs the ID card read at the kiosk to be the holder's (``holder_mismatch``). Redeeming marks the booking used
and answers its answers; it is a posting, so a retry under the same idempotency key answers the same again.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta

from kiosk.core.masking import mask_name
from kiosk.host.api_appointments import (
    AppointmentCheckRequest,
    AppointmentCheckResult,
    AppointmentCreateRequest,
    AppointmentCreateResult,
    AppointmentRedeemRequest,
    AppointmentRedeemResult,
)
from kiosk.host.sim.context import OpContext, Refusal, next_ref
from kiosk.host.sim.seed_appointments import REF_SERIES
from kiosk.host.sim.tokens_appointments import booking_ref_of, sign_token

DEFAULT_WINDOW = timedelta(hours=24)
LONGEST_WINDOW = timedelta(days=30)
FURTHEST_AHEAD = timedelta(days=30)


def _holder_masked(ctx: OpContext, id_number: str) -> str:
    row = ctx.conn.execute("SELECT name FROM persons WHERE id_number = ?", (id_number,)).fetchone()
    return mask_name(row["name"]) if row is not None else ""


def _window(ctx: OpContext, req: AppointmentCreateRequest) -> tuple[datetime, datetime]:
    start = req.window_from or ctx.now
    end = req.window_to or start + DEFAULT_WINDOW
    if end <= start or end - start > LONGEST_WINDOW or end <= ctx.now or start - ctx.now > FURTHEST_AHEAD:
        raise Refusal("window_invalid", "the window must end after it starts and after now, last at most "
                      "30 days and open within 30 days", longest_days=LONGEST_WINDOW.days)
    return start, end


def create_appointment(ctx: OpContext, req: AppointmentCreateRequest) -> AppointmentCreateResult:
    service = ctx.conn.execute("SELECT answers FROM appointment_services WHERE flow = ?", (req.flow,)).fetchone()
    if service is None:
        bookable = [r["flow"] for r in ctx.conn.execute("SELECT flow FROM appointment_services ORDER BY flow")]
        raise Refusal("flow_not_bookable", "this business cannot be booked", bookable=bookable)
    allowed = json.loads(service["answers"])
    unknown = sorted(set(req.answers) - set(allowed))
    if unknown:
        raise Refusal("answer_not_bookable", "the business takes no such answer", names=unknown, allowed=allowed)
    start, end = _window(ctx, req)
    ref = next_ref(ctx.conn, REF_SERIES)
    ctx.conn.execute(
        "INSERT INTO appointments(booking_ref, id_number, flow, answers, window_from, window_to, created_at, "
        "idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (ref, req.id_number, req.flow, json.dumps(req.answers, ensure_ascii=False), start.isoformat(),
         end.isoformat(), ctx.now.isoformat(), ctx.idempotency_key))
    return AppointmentCreateResult(booking_ref=ref, token=sign_token(ref), flow=req.flow, window_from=start,
                                   window_to=end, holder_masked=_holder_masked(ctx, req.id_number))


def valid_booking(ctx: OpContext, token: str) -> sqlite3.Row:
    """The booking a code names, once it passes every check but the holder's."""
    ref = booking_ref_of(token)
    row: sqlite3.Row | None = ctx.conn.execute("SELECT * FROM appointments WHERE booking_ref = ?", (ref,)).fetchone()
    if row is None:
        raise Refusal("booking_unknown", "the bank has no such booking")
    if row["status"] == "cancelled":
        raise Refusal("booking_cancelled", "the booking was cancelled")
    if row["status"] == "redeemed":
        raise Refusal("already_used", "the code was used already", redeemed_at=row["redeemed_at"])
    start, end = datetime.fromisoformat(row["window_from"]), datetime.fromisoformat(row["window_to"])
    if ctx.now < start:
        raise Refusal("not_yet_valid", "the booking's window has not opened", window_from=row["window_from"],
                      window_to=row["window_to"])
    if ctx.now > end:
        raise Refusal("expired", "the booking's window has closed", window_from=row["window_from"],
                      window_to=row["window_to"])
    return row


def check_appointment(ctx: OpContext, req: AppointmentCheckRequest) -> AppointmentCheckResult:
    row = valid_booking(ctx, req.token)
    return AppointmentCheckResult(booking_ref=row["booking_ref"], flow=row["flow"],
                                  window_from=datetime.fromisoformat(row["window_from"]),
                                  window_to=datetime.fromisoformat(row["window_to"]),
                                  holder_masked=_holder_masked(ctx, row["id_number"]))


def redeem_appointment(ctx: OpContext, req: AppointmentRedeemRequest) -> AppointmentRedeemResult:
    row = valid_booking(ctx, req.token)
    if row["id_number"] != req.id_number:
        raise Refusal("holder_mismatch", "the ID card is not the booking holder's")
    ctx.conn.execute("UPDATE appointments SET status = 'redeemed', redeemed_at = ?, redeemed_key = ? "
                     "WHERE booking_ref = ?", (ctx.now.isoformat(), ctx.idempotency_key, row["booking_ref"]))
    return AppointmentRedeemResult(booking_ref=row["booking_ref"], flow=row["flow"],
                                   answers=json.loads(row["answers"]), redeemed_at=ctx.now)
