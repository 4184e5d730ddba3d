"""PIN checks on the host side: decrypt a PIN block, judge a new PIN, verify a card's PIN.

The clear PIN exists only inside these functions; it is never logged, stored or returned.
"""

from __future__ import annotations

import hmac
import sqlite3
from datetime import datetime, timedelta

from devices.pinpad.pinblock import PinBlockError, decrypt_pin
from kiosk.host.sim.context import OpContext, Refusal
from kiosk.host.sim.seed import pin_hash

_ASCENDING = "0123456789"
_DESCENDING = "9876543210"


def decrypt(ctx: OpContext, pan: str, pin_block_hex: str, key_id: str) -> str:
    key = ctx.working_keys.get(key_id)
    if key is None:
        raise Refusal("pin_block_invalid", "unknown working key", reason="unknown_key")
    try:
        return decrypt_pin(bytes.fromhex(pin_block_hex), pan, key, "SM4")
    except (PinBlockError, ValueError) as exc:
        raise Refusal("pin_block_invalid", "the PIN block does not decode", reason="undecodable") from exc


def is_too_simple(pin: str) -> bool:
    """All one digit (111111), or a run up or down (123456, 012345, 654321)."""
    return len(set(pin)) == 1 or pin in _ASCENDING or pin in _DESCENDING


def check_new_pin(ctx: OpContext, pan: str, pin_block: str, confirm_block: str | None, key_id: str) -> str:
    """The new PIN's hash, once both entries decode, match and are not too simple."""
    pin = decrypt(ctx, pan, pin_block, key_id)
    if confirm_block is not None and not hmac.compare_digest(pin, decrypt(ctx, pan, confirm_block, key_id)):
        raise Refusal("pin_mismatch", "the two PIN entries differ")
    if is_too_simple(pin):
        raise Refusal("pin_too_simple", "the PIN is too simple")
    return pin_hash(pan, pin)


def _locked_until(now: datetime) -> str:
    return (now + timedelta(days=1)).replace(hour=0, minute=0, second=0).isoformat()


def verify_card_pin(ctx: OpContext, card: sqlite3.Row, pin_block: str, key_id: str) -> None:
    """Check the card's PIN; count wrong entries per day (the count is committed with the refusal)."""
    today = ctx.now.date().isoformat()
    wrong = card["pin_wrong"] if card["pin_wrong_day"] == today else 0
    allowed = ctx.limits.pin_tries
    if wrong >= allowed:
        raise Refusal("pin_locked", "the PIN is locked for today", locked_until=_locked_until(ctx.now))
    pin = decrypt(ctx, card["pan"], pin_block, key_id)
    if hmac.compare_digest(pin_hash(card["pan"], pin), card["pin_hash"]):
        if wrong:
            ctx.conn.execute("UPDATE cards SET pin_wrong = 0 WHERE card_ref = ?", (card["card_ref"],))
        return
    wrong += 1
    ctx.conn.execute(
        "UPDATE cards SET pin_wrong = ?, pin_wrong_day = ? WHERE card_ref = ?", (wrong, today, card["card_ref"])
    )
    if wrong >= allowed:
        raise Refusal("pin_locked", "wrong PIN; the PIN is now locked for today",
                      locked_until=_locked_until(ctx.now))
    raise Refusal("pin_wrong", "wrong PIN", tries_left=allowed - wrong)
