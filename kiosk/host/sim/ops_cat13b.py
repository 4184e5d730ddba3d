"""Cards and accounts (issue 13): releasing a loss report (解挂), replacing a card (补卡/换卡), closing an
account (销户).

The counter's rules, as the host enforces them:

- **Loss release.** Only a card under a loss report can be released (``card_not_lost``), with the card
  itself in the reader (``card_mismatch``) and its PIN (``pin_wrong``, ``pin_locked``: the day's count is
  the one ``si.pay`` keeps); a formal loss also needs a supervisor's approval (``approval_required``).
- **Replacement.** ``lost``: only after a formal loss (``loss_not_formal``; a verbal loss is made formal
  first); ``expired``: the card has expired or expires within 90 days (``card_not_expired``), as banks
  renew cards ahead of time; ``damaged``: the card is not under a loss report (``card_lost``). For an
  expired or damaged card the old card is handed in (``old_card_required``, ``old_card_mismatch``). The
  fee is the bank's tariff (lost 10.00 yuan, damaged 5.00, expired free), quoted before and posted as
  quoted (``fee_mismatch``), debited in fen from the card's own account (``insufficient_funds``). The new
  card is bound to the same account with the new PIN; the old card is dead (status ``replaced``).
- **Closing.** The card and PIN of the account; no card of the account under a loss report
  (``card_lost``), no loan (``loan_outstanding``), no deposit certificate (``deposit_certificate_held``);
  a balance is moved to another open account of the same customer at this bank, never paid out
  (``balance_not_zero``, ``transfer_target_invalid``), and the balance posted is the balance shown
  (``amount_mismatch``); a supervisor approves (``approval_required``). Every card of the account is dead
  (status ``closed``).
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta
from typing import Literal

from kiosk.core.masking import mask_pan
from kiosk.host.api import (
    AccountCloseCheckRequest,
    AccountCloseCheckResult,
    AccountCloseRequest,
    AccountCloseResult,
    CardReplaceQuoteRequest,
    CardReplaceQuoteResult,
    CardReplaceRequest,
    CardReplaceResult,
    LossReleaseRequest,
    LossReleaseResult,
    OwnAccount,
)
from kiosk.host.sim.context import OpContext, Refusal, next_ref
from kiosk.host.sim.ops_cards import card_status
from kiosk.host.sim.ops_staff import is_approved
from kiosk.host.sim.pins import check_new_pin, verify_card_pin
from kiosk.host.sim.seed import add_card

REPLACEMENT_FEE_FEN = {"lost": 1000, "damaged": 500, "expired": 0}
RENEW_AHEAD_DAYS = 90
DEAD = ("replaced", "closed")


def _live_card(conn: sqlite3.Connection, id_number: str, *, card_ref: str | None = None,
               pan: str | None = None) -> sqlite3.Row:
    """This customer's card (by reference or number) that is not replaced or closed."""
    column, value = ("card_ref", card_ref) if card_ref is not None else ("pan", pan)
    card: sqlite3.Row | None = conn.execute(
        f"SELECT c.* FROM cards c JOIN customers u ON u.customer_id = c.customer_id "  # noqa: S608 - a constant
        f"WHERE u.id_number = ? AND c.{column} = ?",
        (id_number, value),
    ).fetchone()
    if card is None or card["status"] in DEAD:
        raise Refusal("card_not_found", "no such card for this customer")
    return card


# --- loss release ----------------------------------------------------------------------------------------


def release_loss(ctx: OpContext, req: LossReleaseRequest) -> LossReleaseResult:
    card = _live_card(ctx.conn, req.id_number, card_ref=req.card_ref)
    status = card_status(card, ctx.now)
    if status == "active":
        raise Refusal("card_not_lost", "the card is not under a loss report", status=status)
    if card["pan"] != req.pan:
        raise Refusal("card_mismatch", "the card in the reader is not the card under the loss report")
    verify_card_pin(ctx, card, req.pin_block, req.key_id)
    kind: Literal["verbal", "formal"] = "formal" if status == "lost_formal" else "verbal"
    if kind == "formal" and not is_approved(ctx.conn, req.approval_ref):
        raise Refusal("approval_required", "releasing a formal loss needs a supervisor approval")
    release_ref = next_ref(ctx.conn, "R")
    ctx.conn.execute("UPDATE cards SET status = 'active', loss_expires_at = NULL WHERE card_ref = ?",
                     (card["card_ref"],))
    ctx.conn.execute(
        "INSERT INTO loss_releases(release_ref, card_ref, kind, released_at, approval_ref, idempotency_key) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (release_ref, card["card_ref"], kind, ctx.now.isoformat(), req.approval_ref, ctx.idempotency_key),
    )
    return LossReleaseResult(release_ref=release_ref, kind=kind, pan_masked=mask_pan(card["pan"]),
                             released_at=ctx.now)


# --- card replacement ------------------------------------------------------------------------------------


def _expiry_end(expiry: str) -> date:
    """The last day of a card's YYMM expiry month."""
    year, month = 2000 + int(expiry[:2]), int(expiry[2:])
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - timedelta(days=1)


def _check_reason(card: sqlite3.Row, reason: str, now: datetime) -> None:
    status = card_status(card, now)
    if reason == "lost":
        if status != "lost_formal":
            raise Refusal("loss_not_formal", "a lost card is replaced after a formal loss report", status=status)
        return
    if status != "active":
        raise Refusal("card_lost", "the card is under a loss report: replace it as lost", status=status)
    if reason == "expired":
        expiry = card["expiry"]
        if expiry is None or _expiry_end(expiry) > now.date() + timedelta(days=RENEW_AHEAD_DAYS):
            raise Refusal("card_not_expired", "the card is valid for more than 90 days", expiry=expiry)


def _charge_account(conn: sqlite3.Connection, card: sqlite3.Row, fee_fen: int) -> sqlite3.Row:
    account: sqlite3.Row = conn.execute("SELECT * FROM accounts WHERE account_no = ?",
                                        (card["account_no"],)).fetchone()
    if account["balance_fen"] < fee_fen:
        raise Refusal("insufficient_funds", "the balance does not cover the fee", fee_fen=fee_fen)
    return account


def quote_replacement(ctx: OpContext, req: CardReplaceQuoteRequest) -> CardReplaceQuoteResult:
    card = _live_card(ctx.conn, req.id_number, card_ref=req.card_ref)
    _check_reason(card, req.reason, ctx.now)
    fee = REPLACEMENT_FEE_FEN[req.reason]
    account = _charge_account(ctx.conn, card, fee)
    return CardReplaceQuoteResult(fee_fen=fee, account_masked=mask_pan(account["account_no"]))


def _check_old_card(card: sqlite3.Row, req: CardReplaceRequest) -> None:
    if req.reason == "lost":
        return
    if req.old_card_pan is None:
        raise Refusal("old_card_required", "an expired or damaged card is handed in")
    if req.old_card_pan != card["pan"]:
        raise Refusal("old_card_mismatch", "the card handed in is not the card replaced")


def replace_card(ctx: OpContext, req: CardReplaceRequest) -> CardReplaceResult:
    card = _live_card(ctx.conn, req.id_number, card_ref=req.card_ref)
    _check_reason(card, req.reason, ctx.now)
    _check_old_card(card, req)
    if ctx.conn.execute("SELECT 1 FROM cards WHERE pan = ?", (req.new_card_pan,)).fetchone() is not None:
        raise Refusal("card_in_use", "the new card is already bound to an account")
    fee = REPLACEMENT_FEE_FEN[req.reason]
    if req.fee_fen != fee:
        raise Refusal("fee_mismatch", "the fee is not the tariff's", expected_fen=fee)
    account = _charge_account(ctx.conn, card, fee)
    pin_digest = check_new_pin(ctx, req.new_card_pan, req.pin_block, None, req.key_id)
    new_ref = add_card(ctx.conn, req.new_card_pan, pin_digest, card["account_no"], card["customer_id"],
                       card["product"])
    ctx.conn.execute("UPDATE cards SET status = 'replaced', loss_expires_at = NULL WHERE card_ref = ?",
                     (card["card_ref"],))
    ctx.conn.execute("UPDATE accounts SET balance_fen = balance_fen - ? WHERE account_no = ?",
                     (fee, card["account_no"]))
    replace_ref = next_ref(ctx.conn, "B")
    ctx.conn.execute(
        "INSERT INTO card_replacements(replace_ref, old_card_ref, new_card_ref, reason, old_card_handed_in, "
        "fee_fen, replaced_at, idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (replace_ref, card["card_ref"], new_ref, req.reason, req.old_card_pan is not None, fee,
         ctx.now.isoformat(), ctx.idempotency_key),
    )
    return CardReplaceResult(replace_ref=replace_ref, new_card_pan_masked=mask_pan(req.new_card_pan),
                             account_masked=mask_pan(account["account_no"]), debited_fen=fee,
                             replaced_at=ctx.now)


# --- account closing -------------------------------------------------------------------------------------


def _account_ref(account: sqlite3.Row) -> str:
    return f"AC{account['rowid']:08d}"


def _closable_account(ctx: OpContext, card: sqlite3.Row) -> sqlite3.Row:
    conn = ctx.conn
    account: sqlite3.Row = conn.execute("SELECT rowid, * FROM accounts WHERE account_no = ?",
                                        (card["account_no"],)).fetchone()
    if account["closed_at"] is not None:
        raise Refusal("card_not_found", "the account is closed")
    cards = conn.execute("SELECT * FROM cards WHERE account_no = ?", (card["account_no"],)).fetchall()
    lost = [c for c in cards if c["status"] not in DEAD and card_status(c, ctx.now) != "active"]
    if lost:
        raise Refusal("card_lost", "a card of the account is under a loss report",
                      status=card_status(lost[0], ctx.now))
    holds = {r["kind"] for r in conn.execute(
        "SELECT kind FROM account_holds WHERE account_no = ? AND settled = 0", (card["account_no"],))}
    if "loan" in holds:
        raise Refusal("loan_outstanding", "a loan is repaid from this account")
    if "deposit_certificate" in holds:
        raise Refusal("deposit_certificate_held", "a deposit certificate is held under this account")
    return account


def _other_accounts(conn: sqlite3.Connection, account: sqlite3.Row) -> list[sqlite3.Row]:
    return list(conn.execute(
        "SELECT rowid, * FROM accounts WHERE customer_id = ? AND account_no != ? AND closed_at IS NULL "
        "ORDER BY account_no",
        (account["customer_id"], account["account_no"]),
    ).fetchall())


def check_account_close(ctx: OpContext, req: AccountCloseCheckRequest) -> AccountCloseCheckResult:
    card = _live_card(ctx.conn, req.id_number, pan=req.pan)
    account = _closable_account(ctx, card)
    targets = [OwnAccount(account_ref=_account_ref(a), account_masked=mask_pan(a["account_no"]))
               for a in _other_accounts(ctx.conn, account)]
    return AccountCloseCheckResult(account_masked=mask_pan(account["account_no"]),
                                   balance_fen=account["balance_fen"], targets=targets)


def _transfer_target(conn: sqlite3.Connection, account: sqlite3.Row, ref: str) -> sqlite3.Row:
    for other in _other_accounts(conn, account):
        if _account_ref(other) == ref:
            return other
    raise Refusal("transfer_target_invalid", "not another open account of this customer at this bank")


def close_account(ctx: OpContext, req: AccountCloseRequest) -> AccountCloseResult:
    card = _live_card(ctx.conn, req.id_number, pan=req.pan)
    account = _closable_account(ctx, card)
    verify_card_pin(ctx, card, req.pin_block, req.key_id)
    balance = account["balance_fen"]
    if req.balance_fen != balance:
        raise Refusal("amount_mismatch", "the balance is not the one shown", expected_fen=balance)
    target = None
    if balance > 0:
        if req.transfer_to is None:
            raise Refusal("balance_not_zero", "the balance is moved to another own account first (never cash)")
        target = _transfer_target(ctx.conn, account, req.transfer_to)
    if not is_approved(ctx.conn, req.approval_ref):
        raise Refusal("approval_required", "closing an account needs a supervisor approval")
    if target is not None:
        ctx.conn.execute("UPDATE accounts SET balance_fen = balance_fen + ? WHERE account_no = ?",
                         (balance, target["account_no"]))
    ctx.conn.execute("UPDATE accounts SET balance_fen = 0, closed_at = ? WHERE account_no = ?",
                     (ctx.now.isoformat(), account["account_no"]))
    ctx.conn.execute("UPDATE cards SET status = 'closed', loss_expires_at = NULL WHERE account_no = ?",
                     (account["account_no"],))
    close_ref = next_ref(ctx.conn, "X")
    ctx.conn.execute(
        "INSERT INTO account_closings(close_ref, account_no, transfer_to, transferred_fen, closed_at, "
        "approval_ref, idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (close_ref, account["account_no"], target["account_no"] if target else None, balance,
         ctx.now.isoformat(), req.approval_ref, ctx.idempotency_key),
    )
    return AccountCloseResult(close_ref=close_ref, account_masked=mask_pan(account["account_no"]),
                              transferred_fen=balance,
                              transfer_to_masked=mask_pan(target["account_no"]) if target else None,
                              closed_at=ctx.now)
