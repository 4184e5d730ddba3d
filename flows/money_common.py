"""What the money flows share (transfer, time deposits): the inserted card, amounts typed in yuan, rates."""

from __future__ import annotations

from decimal import Decimal

from devices.smartcard.api import BankCard
from kiosk.core.digits import ascii_digits
from kiosk.engine.session import Session

MAX_YUAN_DIGITS = 9  # up to 999,999,999 yuan: far above every limit, so a limit (not the field) refuses


def bank_card(s: Session) -> BankCard:
    card = s.slots.bank_card
    if card is None:
        raise LookupError("no bank card read yet in this session")
    return card


def check_yuan(value: str) -> str | None:
    """A whole number of yuan, more than zero, without leading zeros (the keypad has no decimal point)."""
    return None if ascii_digits(value) and not value.startswith("0") else "field.amount_yuan.invalid"


def yuan_to_fen(value: str) -> int:
    return int(value) * 100


def percent(rate: Decimal | str) -> str:
    """An annual rate as the counter shows it: 0.0175 -> '1.75%'."""
    return f"{(Decimal(rate) * 100).quantize(Decimal('0.01'))}%"
