"""Interest and fees on integer fen: rates are ``Decimal``, every result is rounded once, to the fen,
half up (ROUND_HALF_UP), as a Chinese bank's counter rounds interest and fees.

Deposit interest is simple interest on an actual/360 day count (the convention the task names):
``principal x annual rate x days / 360``.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

DAY_BASIS = 360
# The demo bank's self-service fee for a transfer to another bank: a small percentage with a floor and a
# cap (the shape of a Chinese bank's published interbank fee); transfers within the bank are free.
INTERBANK_FEE_RATE = Decimal("0.0002")
INTERBANK_FEE_MIN_FEN = 200
INTERBANK_FEE_MAX_FEN = 2500


def _fen(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _check_fen(amount_fen: int) -> None:
    if not isinstance(amount_fen, int) or isinstance(amount_fen, bool) or amount_fen < 0:
        raise ValueError(f"amounts are non-negative integer fen, got {amount_fen!r}")


def interest_fen(principal_fen: int, annual_rate: Decimal, days: int) -> int:
    """Simple interest for ``days`` days at ``annual_rate`` (0.0175 for 1.75 %), rounded to the fen."""
    _check_fen(principal_fen)
    if not isinstance(annual_rate, Decimal) or annual_rate < 0:
        raise ValueError(f"a rate is a non-negative Decimal, got {annual_rate!r}")
    if days < 0:
        raise ValueError("days cannot be negative")
    return _fen(Decimal(principal_fen) * annual_rate * days / DAY_BASIS)


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later; the month's last day when that day does not exist (31 Jan + 1 month)."""
    month0 = start.month - 1 + months
    year, month = start.year + month0 // 12, month0 % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return start.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def transfer_fee_fen(amount_fen: int, same_bank: bool) -> int:
    """The kiosk's fee for a transfer: none within the bank; to another bank 0.02 %, at least 2 and at most 25 yuan."""
    _check_fen(amount_fen)
    if same_bank or amount_fen == 0:
        return 0
    fee = _fen(Decimal(amount_fen) * INTERBANK_FEE_RATE)
    return min(max(fee, INTERBANK_FEE_MIN_FEN), INTERBANK_FEE_MAX_FEN)
