"""Card list and loss reports (口头挂失 verbal, 正式挂失 formal)."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from kiosk.core.masking import mask_pan
from kiosk.host.api import CardLossRequest, CardLossResult, CardsListRequest, CardsListResult, CardSummary
from kiosk.host.sim.context import OpContext, Refusal, next_ref
from kiosk.host.sim.ops_staff import is_approved

VERBAL_LOSS_DAYS = 5


def card_status(card: sqlite3.Row, now: datetime) -> str:
    """The card's status now: a verbal loss lapses by itself after five days."""
    expires = card["loss_expires_at"]
    if card["status"] == "lost_verbal" and expires is not None and now >= datetime.fromisoformat(expires):
        return "active"
    return str(card["status"])


def list_cards(ctx: OpContext, req: CardsListRequest) -> CardsListResult:
    rows = ctx.conn.execute(
        "SELECT c.* FROM cards c JOIN customers u ON u.customer_id = c.customer_id "
        "WHERE u.id_number = ? AND c.status NOT IN ('replaced', 'closed') ORDER BY c.card_ref",
        (req.id_number,),
    ).fetchall()
    cards = [
        CardSummary(card_ref=r["card_ref"], pan_masked=mask_pan(r["pan"]), product=r["product"],
                    status=card_status(r, ctx.now))  # type: ignore[arg-type]
        for r in rows
    ]
    return CardsListResult(cards=cards)


def _customer_card(conn: sqlite3.Connection, id_number: str, card_ref: str) -> sqlite3.Row:
    card: sqlite3.Row | None = conn.execute(
        "SELECT c.* FROM cards c JOIN customers u ON u.customer_id = c.customer_id "
        "WHERE u.id_number = ? AND c.card_ref = ? AND c.status NOT IN ('replaced', 'closed')",
        (id_number, card_ref),
    ).fetchone()
    if card is None:
        raise Refusal("card_not_found", "no such card for this customer")
    return card


def report_loss(ctx: OpContext, req: CardLossRequest) -> CardLossResult:
    card = _customer_card(ctx.conn, req.id_number, req.card_ref)
    status = card_status(card, ctx.now)
    if status == "lost_formal" or (status == "lost_verbal" and req.kind == "verbal"):
        raise Refusal("card_already_lost", "the card is already reported lost", status=status)
    if req.kind == "formal" and not is_approved(ctx.conn, req.approval_ref):
        raise Refusal("approval_required", "a formal loss report needs a supervisor approval")
    expires_at = ctx.now + timedelta(days=VERBAL_LOSS_DAYS) if req.kind == "verbal" else None
    loss_ref = next_ref(ctx.conn, "L")
    expires_iso = expires_at.isoformat() if expires_at else None
    ctx.conn.execute(
        "INSERT INTO losses(loss_ref, card_ref, kind, effective_at, expires_at, approval_ref, idempotency_key) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (loss_ref, req.card_ref, req.kind, ctx.now.isoformat(), expires_iso, req.approval_ref,
         ctx.idempotency_key),
    )
    ctx.conn.execute(
        "UPDATE cards SET status = ?, loss_expires_at = ? WHERE card_ref = ?",
        (f"lost_{req.kind}", expires_iso, req.card_ref),
    )
    return CardLossResult(loss_ref=loss_ref, kind=req.kind, effective_at=ctx.now, expires_at=expires_at)
