"""What the kiosk is as a payment terminal: the applications it supports and the data it gives a
card that asks for it in its PDOL (EMV Book 3 5.4)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from devices.smartcard import tlv
from devices.smartcard.api import CardType


@dataclass(frozen=True)
class SupportedAid:
    aid: str  # hex; a card AID that starts with it matches (ASI "partial")
    card_type: CardType


UNIONPAY_DEBIT = SupportedAid("A000000333010101", CardType.DEBIT)
UNIONPAY_CREDIT = SupportedAid("A000000333010102", CardType.CREDIT)
UNIONPAY_QUASI_CREDIT = SupportedAid("A000000333010103", CardType.QUASI_CREDIT)
DEFAULT_AIDS: tuple[SupportedAid, ...] = (
    UNIONPAY_DEBIT, UNIONPAY_CREDIT, UNIONPAY_QUASI_CREDIT,
    SupportedAid("A0000000031010", CardType.UNKNOWN),  # Visa credit or debit
    SupportedAid("A0000000041010", CardType.UNKNOWN),  # Mastercard credit or debit
)

# Data elements of format n (numeric BCD): padded and cut on the left; every other format on the
# right (EMV Book 3 5.4).
_NUMERIC_TAGS = frozenset({0x9F02, 0x9F03, 0x9F1A, 0x5F2A, 0x9A, 0x9C, 0x9F21, 0x5F36, 0x9F41})


@dataclass(frozen=True)
class Terminal:
    """What the kiosk says about itself when a card's PDOL asks (unknown tags get zeros)."""

    country_code: str = "0156"  # 9F1A, China
    currency_code: str = "0156"  # 5F2A, CNY
    terminal_type: int = 0x14  # 9F35: financial institution, unattended, online only
    capabilities: str = "6048C8"  # 9F33: IC + magstripe; enciphered PIN online; SDA, DDA, CDA
    ttq: str = "26000080"  # 9F66 terminal transaction qualifiers (PBOC)
    transaction_type: int = 0x31  # 9C: balance inquiry, the nearest to "identify the account"

    def values(self, today: date, unpredictable: bytes) -> dict[int, bytes]:
        return {
            0x9F66: bytes.fromhex(self.ttq),
            0x9F02: bytes(6),  # amount authorised: none
            0x9F03: bytes(6),  # amount other
            0x9F1A: bytes.fromhex(self.country_code),
            0x5F2A: bytes.fromhex(self.currency_code),
            0x95: bytes(5),  # TVR: nothing found yet
            0x9A: bytes.fromhex(today.strftime("%y%m%d")),
            0x9C: bytes([self.transaction_type]),
            0x9F37: unpredictable,
            0x9F35: bytes([self.terminal_type]),
            0x9F33: bytes.fromhex(self.capabilities),
            0x9F7A: b"\x00",  # electronic cash terminal support indicator: no
        }


DEFAULT_TERMINAL = Terminal()


def pdol_data(entries: Sequence[tlv.DolEntry], values: Mapping[int, bytes]) -> bytes:
    """The values the card asked for, each fitted to the length it asked (zeros when unknown)."""
    out = bytearray()
    for entry in entries:
        value = values.get(entry.tag, b"")
        out += _fit(value, entry.length, numeric=entry.tag in _NUMERIC_TAGS) if value else bytes(entry.length)
    return bytes(out)


def _fit(value: bytes, length: int, numeric: bool) -> bytes:
    if numeric:
        return value[-length:].rjust(length, b"\x00") if length else b""
    return value[:length].ljust(length, b"\x00")
