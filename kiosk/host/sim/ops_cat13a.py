"""PINs and card activation: change a PIN (密码修改), reset a forgotten one (密码重置), activate a card
issued elsewhere (领卡激活) and a social-security card's financial account (社保卡金融账户激活).

Every new PIN comes twice as PIN blocks bound to the card; the host decrypts them here and nowhere
else, and refuses a weak one: six same digits, a run up or down, or the holder's birth date as YYMMDD
(from the ID number the bank holds for the card's customer).
"""

from __future__ import annotations

import hmac
import sqlite3

from kiosk.core.masking import mask_middle, mask_pan
from kiosk.host.api import (
    CardActivateRequest,
    CardActivateResult,
    CardHolderRequest,
    CardHolderResult,
    PinChangeRequest,
    PinChangeResult,
    PinResetRequest,
    PinResetResult,
    SsCardActivateRequest,
    SsCardActivateResult,
)
from kiosk.host.sim.context import OpContext, Refusal, next_ref
from kiosk.host.sim.ops_cards import card_status
from kiosk.host.sim.ops_staff import is_approved
from kiosk.host.sim.pins import decrypt, is_too_simple, verify_card_pin
from kiosk.host.sim.seed import pin_hash


def _card(conn: sqlite3.Connection, pan: str) -> sqlite3.Row:
    card: sqlite3.Row | None = conn.execute(
        "SELECT c.*, u.id_number AS holder_id_number, s.ss_card_no FROM cards c "
        "JOIN customers u ON u.customer_id = c.customer_id LEFT JOIN ss_cards s ON s.card_ref = c.card_ref "
        "WHERE c.pan = ?", (pan,),
    ).fetchone()
    if card is None:
        raise Refusal("card_not_found", "the bank does not know this card")
    return card


def _holders_card(ctx: OpContext, id_number: str, pan: str) -> sqlite3.Row:
    card = _card(ctx.conn, pan)
    if card["holder_id_number"] != id_number:
        raise Refusal("card_not_yours", "the card is not this customer's")
    return card


def birth_yymmdd(id_number: str) -> str:
    """The birth date in an 18-character ID number (GB 11643: YYYYMMDD at 7-14), as YYMMDD."""
    return id_number[8:14]


def new_pin_digest(ctx: OpContext, card: sqlite3.Row, block: str, confirm: str, key_id: str) -> str:
    """The new PIN's hash, once both entries decode and match and the PIN is not weak."""
    pan = card["pan"]
    pin = decrypt(ctx, pan, block, key_id)
    if not hmac.compare_digest(pin, decrypt(ctx, pan, confirm, key_id)):
        raise Refusal("pin_mismatch", "the two PIN entries differ")
    if is_too_simple(pin):
        raise Refusal("pin_too_simple", "the PIN is too simple", reason="pattern")
    if pin == birth_yymmdd(card["holder_id_number"]):
        raise Refusal("pin_too_simple", "the PIN is the holder's birth date", reason="birth_date")
    return pin_hash(pan, pin)


def _refuse_unless_active(ctx: OpContext, card: sqlite3.Row) -> None:
    status = card_status(card, ctx.now)
    if status == "inactive":
        raise Refusal("card_not_active", "the card has not been activated")
    if status != "active":
        raise Refusal("card_lost", "the card is reported lost", status=status)


def _set_pin(conn: sqlite3.Connection, card_ref: str, digest: str) -> None:
    """The new PIN, effective at once; the wrong-PIN count of the old one is cleared."""
    conn.execute("UPDATE cards SET pin_hash = ?, pin_wrong = 0, pin_wrong_day = NULL WHERE card_ref = ?",
                 (digest, card_ref))


def verify_holder(ctx: OpContext, req: CardHolderRequest) -> CardHolderResult:
    card = _holders_card(ctx, req.id_number, req.pan)
    return CardHolderResult(card_ref=card["card_ref"], pan_masked=mask_pan(card["pan"]), product=card["product"],
                            status=card_status(card, ctx.now),  # type: ignore[arg-type]
                            social_security=card["ss_card_no"] is not None)


def change_pin(ctx: OpContext, req: PinChangeRequest) -> PinChangeResult:
    card = _card(ctx.conn, req.pan)
    _refuse_unless_active(ctx, card)
    verify_card_pin(ctx, card, req.old_pin_block, req.key_id)  # pin_locked, pin_wrong (counted)
    digest = new_pin_digest(ctx, card, req.pin_block, req.pin_block_confirm, req.key_id)
    if hmac.compare_digest(digest, card["pin_hash"]):
        raise Refusal("pin_same_as_old", "the new PIN is the old one")
    _set_pin(ctx.conn, card["card_ref"], digest)
    return PinChangeResult(change_ref=next_ref(ctx.conn, "PC"), pan_masked=mask_pan(req.pan), changed_at=ctx.now)


def reset_pin(ctx: OpContext, req: PinResetRequest) -> PinResetResult:
    card = _holders_card(ctx, req.id_number, req.pan)
    _refuse_unless_active(ctx, card)
    if not is_approved(ctx.conn, req.approval_ref):
        raise Refusal("approval_required", "a PIN reset needs a supervisor's approval")
    digest = new_pin_digest(ctx, card, req.pin_block, req.pin_block_confirm, req.key_id)
    _set_pin(ctx.conn, card["card_ref"], digest)
    return PinResetResult(reset_ref=next_ref(ctx.conn, "PR"), pan_masked=mask_pan(req.pan), reset_at=ctx.now)


def _refuse_unless_inactive(ctx: OpContext, card: sqlite3.Row) -> None:
    status = card_status(card, ctx.now)
    if status == "active":
        raise Refusal("card_already_active", "the card is already activated")
    if status != "inactive":
        raise Refusal("card_lost", "the card is reported lost", status=status)


def _activate(ctx: OpContext, card: sqlite3.Row, digest: str) -> str:
    ctx.conn.execute("UPDATE cards SET status = 'active' WHERE card_ref = ?", (card["card_ref"],))
    _set_pin(ctx.conn, card["card_ref"], digest)
    return next_ref(ctx.conn, "AC")


def activate_card(ctx: OpContext, req: CardActivateRequest) -> CardActivateResult:
    card = _holders_card(ctx, req.id_number, req.pan)
    _refuse_unless_inactive(ctx, card)
    if card["ss_card_no"] is not None:
        raise Refusal("ss_card", "a social-security card is activated with its medical-account PIN")
    digest = new_pin_digest(ctx, card, req.pin_block, req.pin_block_confirm, req.key_id)
    ref = _activate(ctx, card, digest)
    return CardActivateResult(activation_ref=ref, pan_masked=mask_pan(req.pan), product=card["product"],
                              activated_at=ctx.now)


def activate_ss_card(ctx: OpContext, req: SsCardActivateRequest) -> SsCardActivateResult:
    """The financial account of a social-security card goes live, and the medical-account PIN (123456
    when issued) becomes the customer's own. The card's financial PIN is left as it was set when the
    customer applied for the card."""
    card = _holders_card(ctx, req.id_number, req.pan)
    if card["ss_card_no"] is None:
        raise Refusal("not_ss_card", "the card is not a social-security card")
    if card["ss_card_no"] != req.ss_card_no:
        raise Refusal("ss_card_mismatch", "the chip's social-security card number is not the bank's")
    _refuse_unless_inactive(ctx, card)
    digest = new_pin_digest(ctx, card, req.pin_block, req.pin_block_confirm, req.key_id)
    ctx.conn.execute("UPDATE cards SET status = 'active' WHERE card_ref = ?", (card["card_ref"],))
    ctx.conn.execute("UPDATE ss_cards SET medical_pin_hash = ?, medical_pin_changed_at = ?, activated_at = ? "
                     "WHERE card_ref = ?", (digest, ctx.now.isoformat(), ctx.now.isoformat(), card["card_ref"]))
    return SsCardActivateResult(activation_ref=next_ref(ctx.conn, "SA"), pan_masked=mask_pan(req.pan),
                                ss_card_no_masked=mask_middle(req.ss_card_no, 2, 2), activated_at=ctx.now)
