"""Social-insurance bills (社保缴费): what is due, and paying it from a card."""

from __future__ import annotations

import json
import sqlite3

from kiosk.core.masking import mask_name, mask_pan
from kiosk.host.api import SiBill, SiBillsRequest, SiBillsResult, SiPayRequest, SiPayResult
from kiosk.host.sim.context import OpContext, Refusal, next_ref
from kiosk.host.sim.ops_cards import card_status
from kiosk.host.sim.pins import verify_card_pin


def list_bills(ctx: OpContext, req: SiBillsRequest) -> SiBillsResult:
    person = ctx.conn.execute("SELECT name FROM persons WHERE id_number = ?", (req.id_number,)).fetchone()
    rows = ctx.conn.execute(
        "SELECT * FROM bills WHERE id_number = ? AND status = 'unpaid' ORDER BY bill_id", (req.id_number,)
    ).fetchall()
    items = [
        SiBill(bill_id=r["bill_id"], type=r["type"], period=r["period"], amount_fen=r["amount_fen"],
               payee=r["payee"])
        for r in rows
    ]
    return SiBillsResult(payer_name_masked=mask_name(person["name"]) if person else None, items=items)


def _paying_card(ctx: OpContext, pan: str) -> sqlite3.Row:
    card: sqlite3.Row | None = ctx.conn.execute("SELECT * FROM cards WHERE pan = ?", (pan,)).fetchone()
    if card is None or card["status"] in ("replaced", "closed"):
        raise Refusal("card_not_found", "no such card at this bank")
    if card_status(card, ctx.now) != "active":
        raise Refusal("card_lost", "the card is reported lost")
    return card


def _bills_due(ctx: OpContext, req: SiPayRequest) -> list[sqlite3.Row]:
    marks = ",".join("?" * len(req.bill_ids))
    rows = ctx.conn.execute(
        f"SELECT * FROM bills WHERE id_number = ? AND bill_id IN ({marks})",  # noqa: S608 - placeholders only
        (req.id_number, *req.bill_ids),
    ).fetchall()
    found = {r["bill_id"] for r in rows}
    missing = [b for b in req.bill_ids if b not in found]
    if missing or len(set(req.bill_ids)) != len(req.bill_ids):
        raise Refusal("bill_not_found", "no such bill for this payer", bill_ids=missing)
    paid = [r["bill_id"] for r in rows if r["status"] != "unpaid"]
    if paid:
        raise Refusal("bill_already_paid", "a bill is already paid", bill_ids=paid)
    expected = sum(r["amount_fen"] for r in rows)
    if expected != req.amount_fen:
        raise Refusal("amount_mismatch", "the amount is not the bills' total", expected_fen=expected)
    return list(rows)


def pay_bills(ctx: OpContext, req: SiPayRequest) -> SiPayResult:
    card = _paying_card(ctx, req.pan)
    verify_card_pin(ctx, card, req.pin_block, req.key_id)
    _bills_due(ctx, req)
    account = ctx.conn.execute(
        "SELECT balance_fen FROM accounts WHERE account_no = ?", (card["account_no"],)
    ).fetchone()
    if account["balance_fen"] < req.amount_fen:
        raise Refusal("insufficient_funds", "the balance does not cover the amount")
    payment_ref = next_ref(ctx.conn, "P")
    ctx.conn.execute(
        "UPDATE accounts SET balance_fen = balance_fen - ? WHERE account_no = ?", (req.amount_fen, card["account_no"])
    )
    ctx.conn.executemany(
        "UPDATE bills SET status = 'paid', payment_ref = ? WHERE bill_id = ?",
        [(payment_ref, bill_id) for bill_id in req.bill_ids],
    )
    ctx.conn.execute(
        "INSERT INTO payments(payment_ref, account_no, card_ref, amount_fen, bill_ids, paid_at, idempotency_key) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (payment_ref, card["account_no"], card["card_ref"], req.amount_fen, json.dumps(req.bill_ids),
         ctx.now.isoformat(), ctx.idempotency_key),
    )
    return SiPayResult(payment_ref=payment_ref, debited_fen=req.amount_fen, paid_at=ctx.now,
                       account_masked=mask_pan(card["account_no"]))
