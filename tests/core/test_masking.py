from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date

import pytest

from kiosk.core.masking import (
    WITHHELD,
    mask_id_number,
    mask_name,
    mask_pan,
    mask_phone,
    mask_text,
    scrub,
)

ID_NUMBER = "11010519491231002X"
PAN = "6228480402564890018"
TRACK2 = PAN + "=49121010000012345678"


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        (ID_NUMBER, "110105********002X"),
        ("11010519491231002x", "110105********002x"),
        ("110105194912310021", "110105********0021"),
        (" 110105194912310021 ", "110105********0021"),
        ("110105491231002", "110105*****1002"),  # first-generation 15-digit number
        ("12345", "*2345"),  # too short to show both ends
        ("", ""),
    ],
)
def test_mask_id_number(value: str, masked: str) -> None:
    assert mask_id_number(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        (PAN, "622848*********0018"),
        ("6222021234567890", "622202******7890"),
        ("6228 4804 0256 4890 018", "622848*********0018"),
        ("6228-4804-0256-4890", "622848******4890"),
    ],
)
def test_mask_pan(value: str, masked: str) -> None:
    assert mask_pan(value) == masked


def test_masked_numbers_keep_their_length() -> None:
    assert len(mask_pan(PAN)) == len(PAN)
    assert len(mask_id_number(ID_NUMBER)) == len(ID_NUMBER)


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三丰", "张**"),
        ("张三", "张*"),
        ("欧阳修", "欧阳*"),
        ("司马相如", "司马**"),
        ("诸葛亮", "诸葛*"),
        ("上官婉儿", "上官**"),
        ("欧阳", "欧*"),  # two characters: surname 欧, given name 阳
        (" 李四 ", "李*"),
        ("Zhang San", "Zhang ***"),
        ("Zhang San Feng", "Zhang *******"),
        ("", ""),
    ],
)
def test_mask_name_keeps_the_surname(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_mask_phone() -> None:
    assert mask_phone("13812345678") == "138****5678"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (f"身份证{ID_NUMBER}已核验", "身份证110105********002X已核验"),
        (f"id={ID_NUMBER}, card={PAN}", "id=110105********002X, card=622848*********0018"),
        ("card 6228 4804 0256 4890 018 read", "card 622848*********0018 read"),
        ("id 110105 19491231 002X read", "id 110105********002X read"),
        (f"track {TRACK2} read", f"track {WITHHELD} read"),
        (f"tag57 {PAN}D49121010000012345678F", f"tag57 {WITHHELD}"),
        ("account 6228480402564890018123 (22 digits)", "account 622848************8123 (22 digits)"),
        ("call 13812345678 now", "call 138****5678 now"),
    ],
)
def test_mask_text_masks_numbers_in_free_text(text: str, masked: str) -> None:
    assert mask_text(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "session 3f2a9c0e1b7d4e5f8a6b2c1d0e9f8a7b opened",
        "uuid 1234567890123abcdef0123456789abc",  # digits inside a hex string
        "at 2026-11-28T10:00:00.123 amount_fen=150000",
        "years 100 200 300 400",
        "PIN block 0412AC89ABCDEF12 is hex with letters",  # scrub drops it by key; text is left
    ],
)
def test_mask_text_leaves_other_text_alone(text: str) -> None:
    assert mask_text(text) == text


def test_mask_text_is_idempotent() -> None:
    text = f"{ID_NUMBER} {PAN} 13812345678 {TRACK2}"
    assert mask_text(mask_text(text)) == mask_text(text)


def test_scrub_masks_personal_data_by_key() -> None:
    detail = {
        "id_number": ID_NUMBER, "pan": PAN, "name": "张三丰", "holder_name": "欧阳修",
        "mobile": "13812345678", "address": "北京市东城区东华门街道", "step": "confirm",
    }
    assert scrub(detail) == {
        "id_number": "110105********002X", "pan": "622848*********0018", "name": "张**",
        "holder_name": "欧阳*", "mobile": "138****5678", "address": "北京市东城区***", "step": "confirm",
    }


@pytest.mark.parametrize(
    "key",
    ["pin", "pin_block", "PIN_BLOCK", "pinBlock", "PINBlock", "pin-block", "new_pin", "old_pin_block",
     "pin_block_hex", "track2", "Track2", "track_data", "cvv2", "face_image", "customer_photo",
     "sms_code", "password", "working_key"],
)
def test_scrub_withholds_secrets_under_any_spelling(key: str) -> None:
    assert scrub({key: "0412AC89ABCDEF12"}) == {key: WITHHELD}


def test_scrub_keeps_harmless_fields_that_mention_a_pin() -> None:
    detail = {"pin_length": 6, "pin_ok": True, "pin_tries_left": 2, "idempotency_key": "ab12" * 8,
              "step_name": "confirm", "pinyin": "zhang"}
    assert scrub(detail) == detail


def test_scrub_never_writes_bytes() -> None:
    assert scrub({"blob": b"\x04\x12\xac", "list": [bytearray(b"x")]}) == {"blob": WITHHELD, "list": [WITHHELD]}


def test_scrub_masks_numbers_held_as_integers() -> None:
    assert scrub({"pan": int(PAN), "mobile": 13812345678, "amount_fen": 150000}) == {
        "pan": "622848*********0018", "mobile": "138****5678", "amount_fen": 150000,
    }
    assert scrub([int(PAN)]) == ["622848*********0018"]


def test_scrub_walks_nested_structures_and_free_text() -> None:
    detail = {"customer": {"name": "张三", "cards": [{"pan": PAN}]}, "note": f"id {ID_NUMBER}",
              "tags": ("a", f"{PAN}"), "set": {1}}
    assert scrub(detail) == {
        "customer": {"name": "张*", "cards": [{"pan": "622848*********0018"}]},
        "note": "id 110105********002X", "tags": ["a", "622848*********0018"], "set": [1],
    }


@dataclass(frozen=True)
class _Card:
    holder_name: str
    pan: str
    track2: str
    issued: date


def test_scrub_walks_dataclasses() -> None:
    card = _Card("张三", PAN, TRACK2, date(2020, 1, 2))
    assert scrub({"card": card}) == {
        "card": {"holder_name": "张*", "pan": "622848*********0018", "track2": WITHHELD,
                 "issued": date(2020, 1, 2)},
    }


def test_scrub_does_not_change_its_input() -> None:
    detail = {"pan": PAN, "nested": {"pin_block": b"\x01"}, "list": [ID_NUMBER]}
    before = copy.deepcopy(detail)
    scrub(detail)
    assert detail == before


def test_scrub_passes_plain_values_through() -> None:
    assert scrub(None) is None
    assert scrub(42) == 42
    assert scrub(1.5) == 1.5
    assert scrub(True) is True
