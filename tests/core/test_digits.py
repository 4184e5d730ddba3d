"""Only ASCII 0-9 count as digits: full-width, superscript and other-script digits are format errors."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devices.pinpad.pinblock import encrypt_pin, format0_clear
from kiosk.core.digits import ascii_digits
from kiosk.identity.id_number import IdNumberProblem, validate_id_number

FULL_WIDTH = "１１０１０５１９４９１２３１００２Ｘ"  # 110105194912310021 typed on a full-width keyboard
SUPERSCRIPT = "1101051949123100²X"
ARABIC_INDIC = "١١٠١٠٥١٩٤٩١٢٣١٠٠٢X"
PAN = "6222021234567890123"


@pytest.mark.parametrize("text", ["0", "0123456789", "147258"])
def test_ascii_digits_are_digits(text: str) -> None:
    assert ascii_digits(text)


@pytest.mark.parametrize("text", ["", "１２３", "12²", "٣٤", "১২", "12 3", "-1", "1.5", "Ⅻ"])
def test_other_digits_are_not(text: str) -> None:
    assert not ascii_digits(text)


@pytest.mark.parametrize("number", [FULL_WIDTH, SUPERSCRIPT, ARABIC_INDIC])
def test_an_id_number_with_other_digits_is_a_format_refusal_not_a_crash(number: str) -> None:
    assert validate_id_number(number) == IdNumberProblem("format")


@pytest.mark.parametrize("pin", ["１４７２５８", "14725²", "١٤٧٢٥٨"])
def test_a_pin_with_other_digits_is_refused_before_any_block_is_made(pin: str) -> None:
    with pytest.raises(ValueError, match="PIN"):
        format0_clear(pin, PAN)
    with pytest.raises(ValueError, match="PIN"):
        encrypt_pin(pin, PAN, bytes(16))


@given(st.text(max_size=24))
def test_any_text_is_judged_without_an_exception(text: str) -> None:
    problem = validate_id_number(text)
    assert problem is None or problem.reason in ("format", "check_digit", "birth_date")
    if problem is None:
        assert ascii_digits(text[:17])
