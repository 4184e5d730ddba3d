"""Customer look-up, SMS verification codes and new-PIN checks."""

from __future__ import annotations

import hmac
import secrets
import sqlite3
from datetime import datetime, timedelta

from kiosk.core.masking import mask_name
from kiosk.host.api import (
    CustomerLookupRequest,
    CustomerLookupResult,
    PinCheckNewRequest,
    PinCheckNewResult,
    SmsSendRequest,
    SmsSendResult,
    SmsVerifyRequest,
    SmsVerifyResult,
)
from kiosk.host.sim.context import OpContext, Refusal
from kiosk.host.sim.pins import check_new_pin

SMS_VALID_S = 300


def has_class1_account(conn: sqlite3.Connection, customer_id: str) -> bool:
    row = conn.execute("SELECT 1 FROM accounts WHERE customer_id = ? AND class = 1 AND closed_at IS NULL", (customer_id,)).fetchone()
    return row is not None


def customer_by_id_number(conn: sqlite3.Connection, id_number: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT customer_id, name FROM customers WHERE id_number = ?", (id_number,)
    ).fetchone()
    return row


def lookup_customer(ctx: OpContext, req: CustomerLookupRequest) -> CustomerLookupResult:
    row = customer_by_id_number(ctx.conn, req.id_number)
    if row is None:
        return CustomerLookupResult(known=False, customer_id=None, name_masked=None, has_class1_account=False)
    return CustomerLookupResult(
        known=True, customer_id=row["customer_id"], name_masked=mask_name(row["name"]),
        has_class1_account=has_class1_account(ctx.conn, row["customer_id"]),
    )


def send_sms_code(ctx: OpContext, req: SmsSendRequest) -> SmsSendResult:
    sms_ref = "SMS" + secrets.token_hex(8).upper()
    code = f"{secrets.randbelow(1_000_000):06d}"
    expires_at = ctx.now + timedelta(seconds=SMS_VALID_S)
    ctx.conn.execute(
        "INSERT INTO sms(sms_ref, mobile, purpose, code, expires_at, tries_left) VALUES (?, ?, ?, ?, ?, ?)",
        (sms_ref, req.mobile, req.purpose, code, expires_at.isoformat(), ctx.limits.sms_tries),
    )
    return SmsSendResult(sms_ref=sms_ref, expires_in_s=SMS_VALID_S)


def verify_sms_code(ctx: OpContext, req: SmsVerifyRequest) -> SmsVerifyResult:
    row = ctx.conn.execute("SELECT * FROM sms WHERE sms_ref = ?", (req.sms_ref,)).fetchone()
    if row is None:
        raise Refusal("sms_ref_unknown", "no such SMS code was sent")
    if row["verified"]:
        return SmsVerifyResult(verified=True)
    if ctx.now >= datetime.fromisoformat(row["expires_at"]):
        raise Refusal("sms_code_expired", "the code has expired", reason="expired")
    if row["tries_left"] <= 0:
        raise Refusal("sms_code_expired", "the code is used up", reason="too_many_tries")
    if not hmac.compare_digest(req.code, row["code"]):
        tries_left = row["tries_left"] - 1
        ctx.conn.execute("UPDATE sms SET tries_left = ? WHERE sms_ref = ?", (tries_left, req.sms_ref))
        raise Refusal("sms_code_wrong", "wrong code", tries_left=tries_left)
    ctx.conn.execute("UPDATE sms SET verified = 1 WHERE sms_ref = ?", (req.sms_ref,))
    return SmsVerifyResult(verified=True)


def check_new_pins(ctx: OpContext, req: PinCheckNewRequest) -> PinCheckNewResult:
    check_new_pin(ctx, req.pan, req.pin_block, req.pin_block_confirm, req.key_id)
    return PinCheckNewResult(ok=True)
