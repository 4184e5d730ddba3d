"""Unified social credit codes (GB 32100-2015): any valid code goes through, any single changed character
is caught, and each kind of mistake is named."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.core import credit_code as cc
from kiosk.core.credit_code import Problem

PUBLISHED = "91350100M000100Y43"  # the standard's own example


@st.composite
def valid_codes(draw: st.DrawFn) -> str:
    authority = draw(st.sampled_from(sorted(cc.AUTHORITIES)))
    kind = draw(st.sampled_from(sorted(cc.ORGANISATION_TYPES[authority])))
    region = draw(st.text(string.digits, min_size=6, max_size=6))
    identifier = draw(st.text(cc.ALPHABET, min_size=9, max_size=9))
    return cc.make(authority, kind, region, identifier)


OTHER_CHARACTERS = string.digits + string.ascii_uppercase + "-_*#。"


def test_the_published_example_is_valid() -> None:
    code = cc.parse(PUBLISHED)
    assert (code.authority_name, code.organisation_type_name) == ("market_regulation", "enterprise")
    assert (code.region, code.identifier, code.check) == ("350100", "M000100Y4", "3")
    assert code.is_business_licence


def test_the_weights_are_powers_of_three_mod_31() -> None:
    assert cc.WEIGHTS == tuple(pow(3, i, 31) for i in range(17))
    assert len(cc.ALPHABET) == 31
    assert not set(cc.ALPHABET) & set(cc.NEVER_USED)


@given(valid_codes())
def test_any_valid_code_round_trips(code: str) -> None:
    assert cc.problem(code) is None
    parsed = cc.parse(code)
    assert parsed.code == code
    assert cc.make(parsed.authority, parsed.organisation_type, parsed.region, parsed.identifier) == code
    spaced = " ".join([code[:2].lower(), code[2:8], code[8:17].lower(), code[17]])  # as a customer may type it
    assert cc.parse(spaced) == parsed
    assert cc.find_in(f"https://www.gsxt.gov.cn/?uniscid={code}&lang=zh") == code


@given(valid_codes(), st.integers(0, 17), st.sampled_from(OTHER_CHARACTERS))
def test_any_single_changed_character_is_caught(code: str, position: int, replacement: str) -> None:
    if replacement == code[position]:
        replacement = "0" if code[position] != "0" else "1"
    changed = code[:position] + replacement + code[position + 1:]
    assert cc.problem(changed) is not None


@given(valid_codes(), st.integers(0, 15))
def test_swapping_two_neighbours_is_caught(code: str, position: int) -> None:
    if code[position] == code[position + 1]:
        return
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2:]
    assert cc.problem(swapped) is not None


@pytest.mark.parametrize(("code", "expected"), [
    ("91350100M000100Y4", Problem.LENGTH),
    ("91350100M000100Y433", Problem.LENGTH),
    ("91350100M0001O0Y43", Problem.CHARACTER),  # the letter O for a zero
    ("9135010OM000100Y43", Problem.CHARACTER),
    ("Z1350100M000100Y43", Problem.CHARACTER),
    ("B1350100M000100Y43", Problem.AUTHORITY),  # B is in the alphabet but no authority
    ("94350100M000100Y43", Problem.ORGANISATION_TYPE),  # market regulation registers types 1-3 only
    ("Y2350100M000100Y43", Problem.ORGANISATION_TYPE),
    ("913501A0M000100Y43", Problem.REGION),
    ("91350100M000100Y44", Problem.CHECK),
])
def test_each_problem_is_named(code: str, expected: Problem) -> None:
    assert cc.problem(cc.normalize(code)) is expected
    with pytest.raises(cc.InvalidCreditCode) as raised:
        cc.parse(code)
    assert raised.value.problem is expected


def test_typing_is_forgiven_spaces_hyphens_full_width_and_lower_case() -> None:
    assert cc.normalize(" ９１３５０１００-m000 100y43 ") == PUBLISHED


def test_the_code_is_found_in_what_a_qr_code_says() -> None:
    assert cc.find_in(PUBLISHED) == PUBLISHED
    assert cc.find_in("http://www.gsxt.gov.cn/corp-query/91350100M000100Y43.html") == PUBLISHED
    assert cc.find_in("ABCDEFGHJKLMNPQRTU 91350100M000100Y43") == PUBLISHED  # the valid run wins
    assert cc.find_in("91350100M000100Y44") == "91350100M000100Y44"  # invalid: problem() says why
    assert cc.find_in("11010102345678") is None  # a bill's barcode
    assert cc.find_in("") is None


def test_make_refuses_parts_that_do_not_fit() -> None:
    with pytest.raises(ValueError, match="organisation_type"):
        cc.make("9", "5", "440300", "MA5D12345")
    with pytest.raises(ValueError, match="17 characters"):
        cc.make("9", "1", "440300", "MA5D1234")
