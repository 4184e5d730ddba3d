"""Transfers (转账汇款) and time deposits (定期存款, 定期支取) at the simulated bank.

Transfers: the payee's holder name must match the account (this bank's customers, or the interbank
directory for other banks); the fee is the kiosk's schedule (kiosk.core.rates); the card's daily total
is checked with the request's channel limit in the same transaction that debits, so two kiosks cannot
both fit under it; a payee paid for the first time joins the customer's past payees.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from kiosk.core.masking import mask_name, mask_pan
from kiosk.core.rates import transfer_fee_fen
from kiosk.host.api import (
    Bank,
    PastPayee,
    TransferCheckRequest,
    TransferCheckResult,
    TransferPayee,
    TransferPayeesRequest,
    TransferPayeesResult,
    TransferSendRequest,
    TransferSendResult,
)
from kiosk.host.sim.context import OpContext, Refusal, next_ref
from kiosk.host.sim.ops_payments import _paying_card
from kiosk.host.sim.pins import verify_card_pin


@dataclass(frozen=True)
class ResolvedPayee:
    bank_code: str
    bank_name: str
    same_bank: bool
    account_no: str  # the payee's account (at this bank: the card's account when a card number was given)
    typed_account: str  # what identifies the payee to the customer (card or account number)
    name: str


def _banks(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return list(conn.execute("SELECT * FROM m14_banks ORDER BY this_bank DESC, rowid"))


def _sent_today(ctx: OpContext, card_ref: str) -> int:
    row = ctx.conn.execute("SELECT COALESCE(SUM(amount_fen), 0) AS s FROM m14_transfers WHERE card_ref = ? "
                           "AND sent_day = ? AND reversed_at IS NULL", (card_ref, ctx.now.date().isoformat())).fetchone()
    return int(row["s"])


def _own_card(ctx: OpContext, pan: str, id_number: str) -> sqlite3.Row:
    """The card, when it is active and belongs to the customer whose ID card was read."""
    card = _paying_card(ctx, pan)
    owner = ctx.conn.execute("SELECT id_number FROM customers WHERE customer_id = ?", (card["customer_id"],)).fetchone()
    if owner is None or owner["id_number"] != id_number:
        raise Refusal("card_not_yours", "the card is not the customer's own")
    return card


def transfer_payees(ctx: OpContext, req: TransferPayeesRequest) -> TransferPayeesResult:
    card = _own_card(ctx, req.pan, req.id_number)
    banks = {b["code"]: b for b in _banks(ctx.conn)}
    rows = ctx.conn.execute("SELECT * FROM m14_payees WHERE customer_id = ? ORDER BY first_paid_at, payee_ref",
                            (card["customer_id"],)).fetchall()
    payees = [PastPayee(payee_ref=r["payee_ref"], bank_code=r["bank_code"], bank_name=banks[r["bank_code"]]["name"],
                        account_masked=mask_pan(r["account_no"]), name_masked=mask_name(r["name"])) for r in rows]
    return TransferPayeesResult(
        banks=[Bank(code=b["code"], name=b["name"], this_bank=bool(b["this_bank"])) for b in banks.values()],
        payees=payees, sent_today_fen=_sent_today(ctx, card["card_ref"]))


def _this_bank_holder(conn: sqlite3.Connection, number: str) -> tuple[str, str] | None:
    """(account_no, holder name) for a card or account number of this bank."""
    row = conn.execute(
        "SELECT a.account_no, u.name FROM accounts a JOIN customers u ON u.customer_id = a.customer_id "
        "LEFT JOIN cards c ON c.account_no = a.account_no WHERE a.account_no = ? OR c.pan = ? LIMIT 1",
        (number, number)).fetchone()
    return None if row is None else (str(row["account_no"]), str(row["name"]))


def resolve_payee(ctx: OpContext, customer_id: str, payee: TransferPayee) -> ResolvedPayee:
    """The payee, by past-payee reference or by bank, account and the holder's name (which must match)."""
    if payee.payee_ref is not None:
        row = ctx.conn.execute("SELECT * FROM m14_payees WHERE payee_ref = ? AND customer_id = ?",
                               (payee.payee_ref, customer_id)).fetchone()
        if row is None:
            raise Refusal("payee_ref_unknown", "no such past payee for this customer")
        bank_code, number, name = row["bank_code"], row["account_no"], row["name"]
    else:
        bank_code, number, name = str(payee.bank_code), str(payee.account_no), str(payee.name)
    bank = ctx.conn.execute("SELECT * FROM m14_banks WHERE code = ?", (bank_code,)).fetchone()
    if bank is None:
        raise Refusal("bank_unknown", "no such bank in the transfer network")
    if bank["this_bank"]:
        found = _this_bank_holder(ctx.conn, number)
    else:
        row = ctx.conn.execute("SELECT account_no, name FROM m14_external_accounts WHERE bank_code = ? AND "
                               "account_no = ?", (bank_code, number)).fetchone()
        found = None if row is None else (str(row["account_no"]), str(row["name"]))
    if found is None:
        raise Refusal("payee_not_found", "no such account at the payee's bank")
    if found[1] != name.strip():
        raise Refusal("payee_name_mismatch", "the name is not the account holder's")
    return ResolvedPayee(bank_code, bank["name"], bool(bank["this_bank"]), found[0], number, found[1])


def _is_new_payee(ctx: OpContext, customer_id: str, payee: ResolvedPayee) -> bool:
    row = ctx.conn.execute("SELECT 1 FROM m14_payees WHERE customer_id = ? AND bank_code = ? AND account_no = ?",
                           (customer_id, payee.bank_code, payee.typed_account)).fetchone()
    return row is None


def _checked(ctx: OpContext, card: sqlite3.Row, payee: TransferPayee) -> ResolvedPayee:
    resolved = resolve_payee(ctx, card["customer_id"], payee)
    if resolved.same_bank and resolved.account_no == card["account_no"]:
        raise Refusal("same_account", "the payee account is the paying card's own account")
    return resolved


def check_transfer(ctx: OpContext, req: TransferCheckRequest) -> TransferCheckResult:
    card = _paying_card(ctx, req.pan)
    payee = _checked(ctx, card, req.payee)
    return TransferCheckResult(
        bank_name=payee.bank_name, same_bank=payee.same_bank, account_masked=mask_pan(payee.typed_account),
        name_masked=mask_name(payee.name), new_payee=_is_new_payee(ctx, card["customer_id"], payee),
        fee_fen=transfer_fee_fen(req.amount_fen, payee.same_bank), sent_today_fen=_sent_today(ctx, card["card_ref"]))


def send_transfer(ctx: OpContext, req: TransferSendRequest) -> TransferSendResult:
    card = _paying_card(ctx, req.pan)
    verify_card_pin(ctx, card, req.pin_block, req.key_id)
    payee = _checked(ctx, card, req.payee)
    fee = transfer_fee_fen(req.amount_fen, payee.same_bank)
    if fee != req.fee_fen:
        raise Refusal("fee_changed", "the fee is not the one shown", fee_fen=fee)
    sent_today = _sent_today(ctx, card["card_ref"])
    if sent_today + req.amount_fen > req.daily_limit_fen:
        raise Refusal("daily_limit_exceeded", "the card's transfers today would pass the daily limit",
                      sent_today_fen=sent_today, daily_limit_fen=req.daily_limit_fen)
    debit = req.amount_fen + fee
    balance = ctx.conn.execute("SELECT balance_fen FROM accounts WHERE account_no = ?",
                               (card["account_no"],)).fetchone()["balance_fen"]
    if balance < debit:
        raise Refusal("insufficient_funds", "the balance does not cover the amount and the fee")
    ref = next_ref(ctx.conn, "T")
    ctx.conn.execute("UPDATE accounts SET balance_fen = balance_fen - ? WHERE account_no = ?",
                     (debit, card["account_no"]))
    if payee.same_bank:
        ctx.conn.execute("UPDATE accounts SET balance_fen = balance_fen + ? WHERE account_no = ?",
                         (req.amount_fen, payee.account_no))
    ctx.conn.execute(
        "INSERT INTO m14_transfers(transfer_ref, card_ref, account_no, bank_code, payee_account, amount_fen, fee_fen, "
        "purpose, sent_at, sent_day, approval_ref, idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (ref, card["card_ref"], card["account_no"], payee.bank_code, payee.account_no, req.amount_fen, fee,
         req.purpose, ctx.now.isoformat(), ctx.now.date().isoformat(), req.approval_ref, ctx.idempotency_key))
    if _is_new_payee(ctx, card["customer_id"], payee):
        ctx.conn.execute(
            "INSERT INTO m14_payees(payee_ref, customer_id, bank_code, account_no, name, first_paid_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (next_ref(ctx.conn, "PY"), card["customer_id"], payee.bank_code, payee.typed_account, payee.name,
             ctx.now.isoformat()))
    return TransferSendResult(
        transfer_ref=ref, amount_fen=req.amount_fen, fee_fen=fee, debited_fen=debit, sent_at=ctx.now,
        account_masked=mask_pan(card["account_no"]), payee_account_masked=mask_pan(payee.typed_account),
        payee_name_masked=mask_name(payee.name), bank_name=payee.bank_name)
