"""Resident identity numbers (GB 11643-1999): 6-digit region, 8-digit birth date, 3-digit
sequence (odd for men), and an ISO 7064 MOD 11-2 check character (0-9 or X)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kiosk.core.digits import ascii_digits

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def check_character(first17: str) -> str:
    if len(first17) != 17 or not ascii_digits(first17):
        raise ValueError("the first 17 characters of an ID number are digits")
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


@dataclass(frozen=True)
class IdNumberProblem:
    reason: str  # "format", "check_digit", "birth_date", "birth_mismatch"


def birth_date_of(id_number: str) -> date | None:
    try:
        return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None


def validate_id_number(id_number: str, birth_date: date | None = None) -> IdNumberProblem | None:
    """None when the number is well formed, its check character right and its birth date real
    (and equal to ``birth_date`` when given); otherwise the first problem found."""
    if len(id_number) != 18 or not ascii_digits(id_number[:17]) or id_number[17] not in "0123456789Xx":
        return IdNumberProblem("format")
    if check_character(id_number[:17]) != id_number[17].upper():
        return IdNumberProblem("check_digit")
    born = birth_date_of(id_number)
    if born is None:
        return IdNumberProblem("birth_date")
    if birth_date is not None and born != birth_date:
        return IdNumberProblem("birth_mismatch")
    return None


def sex_of(id_number: str) -> str:
    """'男' when the sequence number is odd, '女' when even."""
    return "男" if int(id_number[16]) % 2 else "女"


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
