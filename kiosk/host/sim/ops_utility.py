"""Utility bills (生活缴费) at the simulated bank: the bill due on a customer number, and paying it from a card.

The bill due is every unpaid month of the customer number, oldest first, paid together (a utility
collects arrears first). A payment is checked in this order, before anything changes: the card (known,
not lost, not expired), its PIN (a wrong PIN counts), the bills due now (the company may have re-read the
meter since the lookup: then ``amount_changed`` with the amount now due, and nothing is paid), the
available balance (the balance less any deposit-certificate freeze); then the account is debited (with
its line in the transactions), the bills are marked paid, and the payment is kept under its idempotency key.
"""

from __future__ import annotations

import json
import sqlite3

from kiosk.core.masking import mask_name, mask_pan
from kiosk.host.api_utility import UtilityBillRequest, UtilityBillResult, UtilityPayRequest, UtilityPayResult
from kiosk.host.sim.context import OpContext, Refusal, next_ref
from kiosk.host.sim.ops_docs14 import frozen_fen
from kiosk.host.sim.ops_payments import _paying_card
from kiosk.host.sim.pins import verify_card_pin

COMPANY_CODE_DIGITS = 4  # a bill's barcode: the company's code, then the customer number


def _company_by_kind(ctx: OpContext, kind: str) -> sqlite3.Row:
    row: sqlite3.Row | None = ctx.conn.execute("SELECT * FROM utility_companies WHERE kind = ? ORDER BY code",
                                               (kind,)).fetchone()
    if row is None:
        raise Refusal("account_unknown", "the bank collects for no company of this kind here")
    return row


def _from_barcode(ctx: OpContext, barcode: str) -> tuple[sqlite3.Row, str]:
    """The company and the customer number a bill's barcode names."""
    code, number = barcode[:COMPANY_CODE_DIGITS], barcode[COMPANY_CODE_DIGITS:]
    company = ctx.conn.execute("SELECT * FROM utility_companies WHERE code = ?", (code,)).fetchone()
    if not barcode.isascii() or not barcode.isdigit() or company is None or not 6 <= len(number) <= 20:
        raise Refusal("barcode_unknown", "the code is not a bill of a company the bank collects for")
    return company, number


def _account(ctx: OpContext, company_code: str, customer_no: str) -> sqlite3.Row:
    row: sqlite3.Row | None = ctx.conn.execute(
        "SELECT * FROM utility_accounts WHERE company_code = ? AND customer_no = ?", (company_code, customer_no)
    ).fetchone()
    if row is None:
        raise Refusal("account_unknown", "no such customer number at the company")
    return row


def bills_due(ctx: OpContext, company_code: str, customer_no: str) -> list[sqlite3.Row]:
    """The unpaid months, oldest first; ``no_bill_due`` when there are none."""
    rows = ctx.conn.execute(
        "SELECT * FROM utility_bills WHERE company_code = ? AND customer_no = ? AND status = 'due' ORDER BY period",
        (company_code, customer_no)).fetchall()
    if not rows:
        raise Refusal("no_bill_due", "nothing is due on this customer number: it is paid")
    return list(rows)


def utility_bill(ctx: OpContext, req: UtilityBillRequest) -> UtilityBillResult:
    if req.barcode is not None:
        company, number = _from_barcode(ctx, req.barcode)
    else:
        company, number = _company_by_kind(ctx, str(req.kind)), str(req.customer_no)
    account = _account(ctx, company["code"], number)
    rows = bills_due(ctx, company["code"], number)
    ctx.conn.executemany("UPDATE utility_bills SET looked_up = 1 WHERE id = ?", [(r["id"],) for r in rows])
    return UtilityBillResult(kind=company["kind"], company_code=company["code"], company_name=company["name"],
                             customer_no=number, holder_masked=mask_name(account["holder"]),
                             periods=[r["period"] for r in rows], amount_fen=sum(r["amount_fen"] for r in rows))


def _meter_reread(ctx: OpContext, rows: list[sqlite3.Row]) -> list[sqlite3.Row]:
    """The company's re-read of a bill looked up before (seeded ``revised_fen``): its amount changes now."""
    revised = [r["id"] for r in rows if r["looked_up"] and r["revised_fen"] is not None]
    if not revised:
        return rows
    ctx.conn.executemany("UPDATE utility_bills SET amount_fen = revised_fen, revised_fen = NULL WHERE id = ?",
                         [(bill_id,) for bill_id in revised])
    return bills_due(ctx, rows[0]["company_code"], rows[0]["customer_no"])


def _available(ctx: OpContext, account_no: str) -> int:
    (balance,) = ctx.conn.execute("SELECT balance_fen FROM accounts WHERE account_no = ?", (account_no,)).fetchone()
    return int(balance) - frozen_fen(ctx, account_no)


def _check_expiry(ctx: OpContext, card: sqlite3.Row) -> None:
    expiry = card["expiry"]  # YYMM as on the chip; None when the host was not told
    if expiry and (int(expiry[:2]), int(expiry[2:])) < (ctx.now.year % 100, ctx.now.month):
        raise Refusal("card_expired", "the card has expired", expiry=expiry)


def pay_utility_bill(ctx: OpContext, req: UtilityPayRequest) -> UtilityPayResult:
    card = _paying_card(ctx, req.pan)
    _check_expiry(ctx, card)
    verify_card_pin(ctx, card, req.pin_block, req.key_id)
    account = _account(ctx, req.company_code, req.customer_no)
    company = ctx.conn.execute("SELECT * FROM utility_companies WHERE code = ?", (req.company_code,)).fetchone()
    rows = _meter_reread(ctx, bills_due(ctx, req.company_code, req.customer_no))
    due, periods = sum(r["amount_fen"] for r in rows), [r["period"] for r in rows]
    if due != req.amount_fen or periods != req.periods:
        raise Refusal("amount_changed", "the amount due is not the one shown", amount_fen=due, periods=periods)
    account_no = card["account_no"]
    if _available(ctx, account_no) < due:
        raise Refusal("insufficient_funds", "the available balance does not cover the bill")
    reference = next_ref(ctx.conn, "UP")
    ctx.conn.execute("UPDATE accounts SET balance_fen = balance_fen - ? WHERE account_no = ?", (due, account_no))
    (balance,) = ctx.conn.execute("SELECT balance_fen FROM accounts WHERE account_no = ?", (account_no,)).fetchone()
    ctx.conn.execute("INSERT INTO transactions(account_no, posted_on, kind, amount_fen, balance_fen, reference) "
                     "VALUES (?, ?, 'utility', ?, ?, ?)", (account_no, ctx.now.date().isoformat(), -due, balance,
                                                           reference))
    ctx.conn.executemany("UPDATE utility_bills SET status = 'paid', payment_ref = ? WHERE id = ?",
                         [(reference, r["id"]) for r in rows])
    ctx.conn.execute(
        "INSERT INTO utility_payments(payment_ref, card_ref, account_no, company_code, customer_no, periods, "
        "amount_fen, paid_at, approval_ref, idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (reference, card["card_ref"], account_no, req.company_code, req.customer_no, json.dumps(periods), due,
         ctx.now.isoformat(), req.approval_ref, ctx.idempotency_key))
    return UtilityPayResult(payment_ref=reference, company_name=company["name"], customer_no=req.customer_no,
                            holder_masked=mask_name(account["holder"]), periods=periods, amount_fen=due,
                            debited_fen=due, paid_at=ctx.now, account_masked=mask_pan(account_no))
