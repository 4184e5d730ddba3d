"""What the balance and document flows share: the bank card in the reader, PIN refusals, fees in fen,
and the A4 document a host result carries."""

from __future__ import annotations

from devices.api import DeviceState
from devices.smartcard.api import BankCard
from flows.common import pin_refusals
from kiosk.core.digits import ascii_digits
from kiosk.engine.session import Session


def bank_card(s: Session) -> BankCard:
    card = s.slots.bank_card
    if card is None:
        raise LookupError("no bank card read yet in this session")
    return card


def device_up(s: Session, name: str) -> bool:
    device = s.services.devices.by_name().get(name)
    return device is not None and device.status().state in (DeviceState.OK, DeviceState.BUSY)


PIN_REFUSALS = pin_refusals()


def statement_fee_fen(pages: int, free_pages: int, page_fen: int) -> int:
    """The fee for a statement of ``pages`` pages: the pages above ``free_pages``, each ``page_fen``.
    Integer fen in, integer fen out: nothing is rounded, so nothing is lost or invented."""
    if pages < 0 or free_pages < 0 or page_fen < 0:
        raise ValueError("pages, free pages and the page price are 0 or more")
    return max(pages - free_pages, 0) * page_fen


def yuan_to_fen(whole_yuan: str) -> int:
    """A whole-yuan amount typed on the keypad, in fen (no decimals are typed, none are lost)."""
    if not ascii_digits(whole_yuan):
        raise ValueError("whole yuan are digits only")
    return int(whole_yuan) * 100
