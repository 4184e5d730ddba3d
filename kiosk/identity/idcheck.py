"""Checks a bank makes of a resident ID card before it serves the holder."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from devices.idcard.api import IdCard
from kiosk.identity.id_number import age_on, validate_id_number


@dataclass(frozen=True)
class IdCardProblem:
    reason: str  # "expired", "not_yet_valid", "id_number_format", "id_number_check_digit", "id_number_birth_date", "id_number_birth_mismatch"


def check_id_card(card: IdCard, today: date) -> IdCardProblem | None:
    problem = validate_id_number(card.id_number, card.birth_date)
    if problem is not None:
        return IdCardProblem(f"id_number_{problem.reason}")
    if card.valid_from > today:
        return IdCardProblem("not_yet_valid")
    if card.valid_to is not None and card.valid_to < today:
        return IdCardProblem("expired")
    return None


def age_of(card: IdCard, today: date) -> int:
    return age_on(card.birth_date, today)
