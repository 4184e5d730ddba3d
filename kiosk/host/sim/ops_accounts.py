"""Opening a class I account with a new debit card (开户)."""

from __future__ import annotations

import sqlite3
from datetime import date

from kiosk.core.masking import mask_pan
from kiosk.host.api import AccountOpenRequest, AccountOpenResult
from kiosk.host.sim.context import OpContext, Refusal
from kiosk.host.sim.ops_customers import customer_by_id_number, has_class1_account
from kiosk.host.sim.ops_staff import is_approved
from kiosk.host.sim.pins import check_new_pin
from kiosk.host.sim.seed import add_card, add_customer, open_class1_account

ADULT_ALONE_AGE = 16  # under this, a guardian and a supervisor approval are needed


def _age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _check_sms(conn: sqlite3.Connection, sms_ref: str, mobile: str) -> None:
    row = conn.execute("SELECT mobile, verified FROM sms WHERE sms_ref = ?", (sms_ref,)).fetchone()
    if row is None or not row["verified"] or row["mobile"] != mobile:
        raise Refusal("sms_not_verified", "the mobile number has not been verified by SMS")


def _check_minor(ctx: OpContext, req: AccountOpenRequest) -> None:
    if _age_on(req.birth_date, ctx.now.date()) >= ADULT_ALONE_AGE:
        return
    if req.guardian_id_number is None or req.guardian_id_number == req.id_number:
        raise Refusal("guardian_required", "a guardian must be present for a customer under 16")
    if not is_approved(ctx.conn, req.approval_ref):
        raise Refusal("approval_required", "a supervisor must approve an account for a customer under 16")


def _check_card_free(conn: sqlite3.Connection, pan: str) -> None:
    if conn.execute("SELECT 1 FROM cards WHERE pan = ?", (pan,)).fetchone() is not None:
        raise Refusal("card_in_use", "this card is already bound to an account")


def open_account(ctx: OpContext, req: AccountOpenRequest) -> AccountOpenResult:
    customer = customer_by_id_number(ctx.conn, req.id_number)
    if customer is not None and has_class1_account(ctx.conn, customer["customer_id"]):
        raise Refusal("class1_account_exists", "the customer already has a class I account at this bank")
    _check_sms(ctx.conn, req.sms_ref, req.mobile)
    _check_minor(ctx, req)
    _check_card_free(ctx.conn, req.card_pan)
    pin_digest = check_new_pin(ctx, req.card_pan, req.pin_block, None, req.key_id)
    if customer is None:
        customer_id = add_customer(ctx.conn, req.id_number, req.name, req.mobile, ctx.now)
    else:
        customer_id = customer["customer_id"]
    account_no = open_class1_account(ctx.conn, customer_id, 0, ctx.now, ctx.idempotency_key)
    add_card(ctx.conn, req.card_pan, pin_digest, account_no, customer_id, "借记卡")
    return AccountOpenResult(
        customer_id=customer_id, account_no=account_no, card_pan_masked=mask_pan(req.card_pan),
        opened_at=ctx.now,
    )

