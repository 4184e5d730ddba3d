"""What a reversal undoes besides the balances (kiosk/host/sim/reversal.py moves those back generically): the
business rows a reversible posting made, found by the posting's idempotency key. One function per operation
that needs one; each checks what it must before it changes anything (a refusal keeps earlier writes).

Kept as they were, for the audit trail: the payment and transfer records, the quote spent, the documents
issued (their fee is given back; the verification code still answers).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kiosk.host.sim.context import OpContext, Refusal

Undo = Callable[[OpContext, str, dict[str, Any]], None]


def _si_bills_unpaid(ctx: OpContext, key: str, result: dict[str, Any]) -> None:
    ctx.conn.execute("UPDATE bills SET status = 'unpaid', payment_ref = NULL WHERE payment_ref = ?",
                     (result["payment_ref"],))


def _utility_bills_due(ctx: OpContext, key: str, result: dict[str, Any]) -> None:
    ctx.conn.execute("UPDATE utility_bills SET status = 'due', payment_ref = NULL WHERE payment_ref = ?",
                     (result["payment_ref"],))


def _transfer_reversed(ctx: OpContext, key: str, result: dict[str, Any]) -> None:
    """Marked reversed: it no longer counts in the card's daily total."""
    ctx.conn.execute("UPDATE m14_transfers SET reversed_at = ? WHERE idempotency_key = ?", (ctx.now.isoformat(), key))


def _fx_sold_back(ctx: OpContext, key: str, result: dict[str, Any]) -> None:
    """The foreign savings credited are taken back and the person's annual quota is freed."""
    row = ctx.conn.execute("SELECT account_no, currency, amount_minor FROM fx_purchases WHERE idempotency_key = ?",
                           (key,)).fetchone()
    held = ctx.conn.execute("SELECT balance_minor FROM fx_holdings WHERE account_no = ? AND currency = ?",
                            (row["account_no"], row["currency"])).fetchone()
    if held is None or held["balance_minor"] < row["amount_minor"]:
        raise Refusal("insufficient_funds", "the foreign currency bought has been spent")
    ctx.conn.execute("UPDATE fx_holdings SET balance_minor = balance_minor - ? WHERE account_no = ? AND currency = ?",
                     (row["amount_minor"], row["account_no"], row["currency"]))
    ctx.conn.execute("UPDATE fx_purchases SET reversed_at = ? WHERE idempotency_key = ?", (ctx.now.isoformat(), key))


def _wealth_holding_cancelled(ctx: OpContext, key: str, result: dict[str, Any]) -> None:
    """The holding is cancelled and the product's quota given back."""
    row = ctx.conn.execute("SELECT product_code, amount_fen, status FROM wealth_holdings WHERE idempotency_key = ?",
                           (key,)).fetchone()
    if row["status"] != "held":
        raise Refusal("original_used", "the holding has been redeemed or cancelled since")
    ctx.conn.execute("UPDATE wealth_holdings SET status = 'reversed' WHERE idempotency_key = ?", (key,))
    ctx.conn.execute("UPDATE wealth_products SET quota_left_fen = quota_left_fen + ? WHERE code = ?",
                     (row["amount_fen"], row["product_code"]))


def _time_deposit_closed(ctx: OpContext, key: str, result: dict[str, Any]) -> None:
    row = ctx.conn.execute("SELECT status, partial_done FROM m14_deposits WHERE idempotency_key = ?", (key,)).fetchone()
    if row["status"] != "open" or row["partial_done"]:
        raise Refusal("original_used", "the deposit has been withdrawn since")
    ctx.conn.execute("UPDATE m14_deposits SET status = 'reversed' WHERE idempotency_key = ?", (key,))


def _freeze_released(ctx: OpContext, key: str, result: dict[str, Any]) -> None:
    ctx.conn.execute("DELETE FROM freezes WHERE idempotency_key = ?", (key,))


def _credit_query_withdrawn(ctx: OpContext, key: str, result: dict[str, Any]) -> None:
    """The report never reached the customer: the query does not use up a free report of the year."""
    ctx.conn.execute("DELETE FROM credit_queries WHERE idempotency_key = ?", (key,))


def _loan_unwound(ctx: OpContext, key: str, result: dict[str, Any]) -> None:
    """The loan, its schedule, the account's hold and the bureau's record go; the approval stands again."""
    conn = ctx.conn
    loan = conn.execute("SELECT loan_no, application_ref FROM loan_loans WHERE idempotency_key = ?", (key,)).fetchone()
    conn.execute("DELETE FROM loan_schedule WHERE loan_no = ?", (loan["loan_no"],))
    conn.execute("DELETE FROM loan_loans WHERE loan_no = ?", (loan["loan_no"],))
    conn.execute("UPDATE loan_applications SET status = 'approved' WHERE application_ref = ?",
                 (loan["application_ref"],))
    conn.execute("DELETE FROM account_holds WHERE idempotency_key = ?", (key,))
    conn.execute("DELETE FROM credit_records WHERE idempotency_key = ?", (key,))


UNDO: dict[str, Undo] = {
    "si.pay": _si_bills_unpaid,
    "utility.pay": _utility_bills_due,
    "transfer.send": _transfer_reversed,
    "fx.purchase": _fx_sold_back,
    "wealth.purchase": _wealth_holding_cancelled,
    "time_deposits.open": _time_deposit_closed,
    "deposits.certify": _freeze_released,
    "credit.report": _credit_query_withdrawn,
    "loans.disburse": _loan_unwound,
}
