"""Fuzzing what customers show or type: QR and barcodes off the camera, the appointment token, the credit code on
a licence, every form field of every flow (amounts, phone numbers, SMS codes, customer numbers, dates), the
pinyin keyboard, and the printer's status bytes.

Whatever the text, the parser answers (a value, a refusal, an error key) and raises only its own error."""

from __future__ import annotations

import re
import string

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from devices.camera.codes import decode_frame
from devices.printer.escpos_status import Paper, paper_from_dle_eot, paper_from_gs_r
from flows import catalogue
from flows.corporate_account_precheck import check_typed_code
from kiosk.core import credit_code as cc
from kiosk.core.pinyin import matches, word_initials
from kiosk.engine.steps.basic import FieldRule, Form, _check_field
from kiosk.host.sim.context import Refusal
from kiosk.host.sim.tokens_appointments import booking_ref_of, sign_token
from kiosk.ui.pinyin import default_dictionary
from tests.fuzz.outcome import attempt

OTHER_DIGITS = "０１２３４５６７８９١٢٣٤٥٦٧٨٩²³߀৩"  # full-width, Arabic-Indic, superscript, N'Ko, Bengali
typed = st.text(max_size=24) | st.text(string.digits + OTHER_DIGITS + "X-. ", max_size=24)


# -- the appointment token --------------------------------------------------------------------------

@given(typed | st.builds(lambda ref, sig: f"KA1.{ref}.{sig}", typed, typed))
@example("KA1.APT١٢٣٤٥٦٧٨." + "A" * 86)  # Arabic-Indic digits passed the \d of the booking reference
@example("KA1.APT12345678.é")
@example("KA1.APT12345678.====")
def test_any_code_names_a_booking_or_is_refused(text: str) -> None:
    ref, refusal = attempt(lambda: booking_ref_of(text), Refusal)
    if refusal is not None:
        assert refusal.code in ("token_invalid", "signature_invalid")
    else:
        assert re.fullmatch(r"APT[0-9]{8}", ref)


@given(st.text(string.digits, min_size=8, max_size=8), st.data())
def test_a_signed_token_round_trips_and_any_changed_character_is_refused(digits: str, data: st.DataObject) -> None:
    token = sign_token(f"APT{digits}")
    assert booking_ref_of(token) == f"APT{digits}"
    position = data.draw(st.integers(0, len(token) - 1))
    replacement = data.draw(st.sampled_from(string.ascii_letters + string.digits + "-_.١"))
    changed = token[:position] + replacement + token[position + 1:]
    if changed != token:
        with pytest.raises(Refusal):
            booking_ref_of(changed)


# -- the credit code on a licence or typed ------------------------------------------------------------

@given(typed | st.builds(lambda a, b: f"http://www.gsxt.gov.cn/{a}{b}.html", typed, typed))
@example("91350100M000100Y43")
@example("９１３５０１００Ｍ０００１００Ｙ４３")  # full width, as a QR code may say it
@example("91٣50100M000100Y43")
def test_any_text_finds_a_code_or_none_and_parses_or_names_the_problem(text: str) -> None:
    found = cc.find_in(text)
    if found is None:
        return
    assert re.fullmatch(f"[0-9A-Z]{{{cc.LENGTH}}}", found)
    code, error = attempt(lambda: cc.parse(found), cc.InvalidCreditCode)
    if error is not None:
        assert error.problem is cc.problem(found)
    else:
        assert re.fullmatch("[0-9]{6}", code.region)


@given(typed)
@example("ß" * 9)  # upper-cases to 18 characters
def test_a_typed_credit_code_is_accepted_or_named(text: str) -> None:
    result = check_typed_code(text)
    assert result is None or result.startswith("field.credit_code.")


# -- every form field of every flow -------------------------------------------------------------------

def form_fields() -> list[tuple[str, FieldRule]]:
    return [(f"{flow_id}.{step.id}.{rule.name}", rule) for flow_id, flow in sorted(catalogue().items())
            for step in flow.steps if isinstance(step, Form) for rule in step.fields]


FIELDS = form_fields()


@pytest.mark.parametrize(("where", "rule"), FIELDS, ids=[where for where, _ in FIELDS])
@given(typed | st.text(string.digits, min_size=1, max_size=40))
@example("１００")  # full-width digits: refused as the field's format, not passed on
@example("9" * 32)  # the longest a field takes
@example("0")
@example("20261331")  # a date that is not one
def test_every_form_field_answers_ok_or_an_error_key(where: str, rule: FieldRule, value: str) -> None:
    result = _check_field(rule, value)
    assert result is None or (isinstance(result, str) and result.startswith(("field.", "flow.")))
    if result is None and rule.input in ("digits", "phone", "code"):
        assert re.fullmatch("[0-9]+", value)


def test_the_catalogue_has_form_fields_to_fuzz() -> None:
    assert len(FIELDS) > 10


# -- the pinyin keyboard and the home screen's search -----------------------------------------------

@given(st.text(max_size=12) | st.text("abcdefghijklmnopqrstuvwxyzv'İ", max_size=12))
@example("İ")  # lower-cases to two characters
@example("zhongguorenmin")
def test_any_typed_letters_give_candidates_that_consume_what_was_typed(letters: str) -> None:
    for candidate in default_dictionary().candidates(letters):
        assert candidate.word
        assert 1 <= candidate.consumed <= len(letters.lower())


@given(st.text(max_size=10), st.lists(st.text(max_size=10), max_size=4), st.text(max_size=30))
def test_the_search_matches_any_query(query: str, keys: list[str], title: str) -> None:
    assert isinstance(matches(query, keys), bool)
    assert re.fullmatch(r"[A-Z0-9]*", word_initials(title))


# -- the printer's status bytes ---------------------------------------------------------------------

@given(st.binary(max_size=16))
@example(b"\x12")  # DLE EOT 4: paper present
@example(b"\x72")  # DLE EOT 4: no paper
def test_any_status_reply_is_a_paper_state(reply: bytes) -> None:
    assert paper_from_dle_eot(reply) in Paper
    assert paper_from_gs_r(reply) in Paper
    if not reply:
        assert paper_from_dle_eot(reply) is paper_from_gs_r(reply) is Paper.UNKNOWN


@given(st.integers(0, 255), st.binary(max_size=4))
def test_the_last_byte_with_the_fixed_bits_is_the_answer(status: int, before: bytes) -> None:
    dle = status & 0b0110_1100 | 0b0001_0010
    assert paper_from_dle_eot(before + bytes([dle])) is paper_from_dle_eot(bytes([dle]))
    assert paper_from_dle_eot(bytes([dle])) is not Paper.UNKNOWN


# -- codes off the camera ---------------------------------------------------------------------------

frames = hnp.arrays(np.uint8, st.tuples(st.integers(1, 48), st.integers(1, 48))
                    | st.tuples(st.integers(1, 48), st.integers(1, 48), st.just(3)))


@given(frames)
@example(np.zeros((1, 1), np.uint8))
@example(np.full((48, 48, 3), 255, np.uint8))
def test_any_frame_gives_codes_or_none(image: np.ndarray) -> None:
    seen = decode_frame(image)
    assert all(code.text for code in seen.codes)
    assert isinstance(seen.in_view, bool)
