"""The base info payload (text fields in UCS-2, the WLT photo) and the nation codes."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from devices.idcard.base_info import (
    FIELDS,
    PAYLOAD_LENGTH,
    BaseInfoError,
    decode_base_info,
    decode_text,
    encode_base_info,
    encode_text,
    id_number_problem,
)
from devices.idcard.nations import NATIONS, UnknownNation, nation_code, nation_name
from kiosk.identity.id_number import validate_id_number

WLT = bytes(range(256)) * 4


@pytest.fixture
def zhang_wei(people):
    return people.id_cards["zhang_wei"]


def _offsets() -> dict[str, tuple[int, int]]:
    spans, offset = {}, 4
    for name, width in FIELDS:
        spans[name] = (offset, offset + width)
        offset += width
    return spans


SPANS = _offsets()


def _with(payload: bytes, field: str, text: str) -> bytes:
    start, end = SPANS[field]
    width = end - start
    return payload[:start] + text.ljust(width // 2).encode("utf-16-le") + payload[end:]


def test_the_layout_adds_up():
    assert sum(width for _, width in FIELDS) == 256
    assert PAYLOAD_LENGTH == 4 + 256 + 1024
    assert [name for name, _ in FIELDS] == ["name", "sex", "nation", "birth", "address", "id_number", "issuer",
                                           "valid_from", "valid_to", "reserved"]


def test_the_payload_bytes_of_a_known_card(zhang_wei):
    payload = encode_base_info(zhang_wei, WLT)
    assert len(payload) == PAYLOAD_LENGTH
    assert payload[:4] == bytes.fromhex("01 00 04 00")  # 256 and 1024, big endian
    assert payload[4:8] == "张伟".encode("utf-16-le") == bytes.fromhex("20 5F 1F 4F")
    assert payload[8:34] == "             ".encode("utf-16-le")  # padded with spaces to 15 characters
    assert payload[34:36] == bytes.fromhex("31 00")  # sex "1"
    assert payload[36:40] == bytes.fromhex("30 00 31 00")  # nation "01"
    assert payload[SPANS["birth"][0]:SPANS["birth"][1]] == "19850312".encode("utf-16-le")
    assert payload[SPANS["id_number"][0]:SPANS["id_number"][1]] == "110105198503121234".encode("utf-16-le")
    assert payload[SPANS["reserved"][0]:SPANS["reserved"][1]] == b" \x00" * 18
    assert payload[260:] == WLT


def test_every_demo_card_round_trips(people):
    for key, card in people.id_cards.items():
        info = decode_base_info(encode_base_info(card, WLT))
        assert info.card == dataclasses.replace(card, photo=None), key
        assert info.wlt == WLT
        assert key not in repr(info)
        assert card.id_number not in repr(info)


def test_no_expiry_is_written_as_changqi(people):
    card = people.id_cards["li_xiuying"]
    assert card.valid_to is None
    text = encode_text(card)
    start, end = SPANS["valid_to"]
    assert text[start - 4:end - 4] == "长期      ".encode("utf-16-le")
    assert decode_base_info(encode_base_info(card, WLT)).card.valid_to is None


def test_padding_spaces_are_trimmed(zhang_wei):
    fields = decode_text(encode_text(zhang_wei))
    assert fields["name"] == "张伟"
    assert fields["address"] == zhang_wei.address
    assert fields["reserved"] == ""


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("sex", "0", "neither 1"),
        ("nation", "57", "not in GB 3304"),
        ("nation", "汉", "not in GB 3304"),
        ("birth", "19850230", "not a date"),
        ("birth", "1985-3-1", "not YYYYMMDD"),
        ("valid_from", "", "not YYYYMMDD"),
        ("valid_to", "永久", "not YYYYMMDD"),
        ("valid_to", "20100101", "not after valid_from"),
        ("valid_from", "19800101", "before the birth date"),
        ("id_number", "11010519850312123", "17 characters"),
        ("id_number", "11010519850312123x", "expected 17 digits"),
        ("id_number", "1101051985031212 4", "expected 17 digits"),
        ("name", "", "empty"),
        ("issuer", "", "empty"),
    ],
)
def test_a_field_that_does_not_decode_is_refused(zhang_wei, field, text, message):
    payload = _with(encode_base_info(zhang_wei, WLT), field, text)
    with pytest.raises(BaseInfoError, match=message) as info:
        decode_base_info(payload)
    assert info.value.field == field


def test_text_that_is_not_ucs2_is_refused(zhang_wei):
    payload = bytearray(encode_base_info(zhang_wei, WLT))
    payload[4:6] = b"\x00\xd8"  # a lone high surrogate
    with pytest.raises(BaseInfoError, match="not UCS-2") as info:
        decode_base_info(bytes(payload))
    assert info.value.field == "name"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda p: p[:-1], "1283 bytes; expected 1284"),
        (lambda p: p + b"\x00", "1285 bytes"),
        (lambda p: bytes.fromhex("00 FF") + p[2:], "text 255"),
        (lambda p: p[:2] + bytes.fromhex("03 FF") + p[4:], "photo 1023"),
        (lambda p: p[:3], "shorter than the two length fields"),
    ],
)
def test_a_payload_of_the_wrong_size_is_refused(zhang_wei, change, message):
    with pytest.raises(BaseInfoError, match=message) as info:
        decode_base_info(change(encode_base_info(zhang_wei, WLT)))
    assert info.value.field == "length"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": "张" * 16}, "do not fit in 15"),
        ({"address": "北" * 36}, "do not fit in 35"),
        ({"sex": "未知"}, "neither 男 nor 女"),
        ({"nation": "火星"}, "not in GB 3304"),
        ({"name": "\U00020000"}, "outside UCS-2"),
    ],
)
def test_the_simulator_cannot_encode_a_card_no_chip_could_hold(zhang_wei, change, message):
    with pytest.raises(ValueError, match=message):
        encode_text(dataclasses.replace(zhang_wei, **change))


def test_a_wlt_photo_is_1024_bytes(zhang_wei):
    with pytest.raises(ValueError, match="1024"):
        encode_base_info(zhang_wei, b"short")


# -- GB 11643 ----------------------------------------------------------------------------------


def test_the_id_number_rules_agree_with_the_identity_layer(people):
    for key, card in people.id_cards.items():
        mine = id_number_problem(card.id_number, card.birth_date)
        theirs = validate_id_number(card.id_number, card.birth_date)
        assert mine == (theirs.reason if theirs else None), key
    assert id_number_problem(people.id_cards["liu_yang_bad_number"].id_number, date(1990, 1, 1)) == "check_digit"


@pytest.mark.parametrize(
    ("number", "born", "problem"),
    [
        ("11010519491231002X", date(1949, 12, 31), None),
        ("11010519491231002x", date(1949, 12, 31), None),
        ("110105194912310021", date(1949, 12, 31), "check_digit"),
        ("11010519491231002X", date(1949, 12, 30), "birth_mismatch"),
        ("110105194913310021", date(1949, 12, 31), "birth_date"),
        ("1101051949123100", date(1949, 12, 31), "format"),
    ],
)
def test_id_number_problems(number, born, problem):
    assert id_number_problem(number, born) == problem


# -- nations (GB 3304) -------------------------------------------------------------------------


def test_there_are_56_nationalities_and_two_special_codes():
    assert len(NATIONS) == 58
    assert sorted(NATIONS) == [f"{n:02d}" for n in range(1, 57)] + ["97", "98"]
    assert len(set(NATIONS.values())) == 58


@pytest.mark.parametrize(
    ("code", "name"),
    [("01", "汉"), ("02", "蒙古"), ("03", "回"), ("04", "藏"), ("05", "维吾尔"), ("08", "壮"), ("10", "朝鲜"),
     ("11", "满"), ("22", "畲"), ("23", "高山"), ("29", "柯尔克孜"), ("30", "土"), ("37", "仡佬"), ("43", "乌孜别克"),
     ("44", "俄罗斯"), ("49", "京"), ("56", "基诺"), ("97", "其他"), ("98", "外国血统中国籍人士")],
)
def test_nation_codes_and_names(code, name):
    assert nation_name(code) == name
    assert nation_code(name) == code


def test_a_name_with_zu_is_understood_and_unknowns_are_refused():
    assert nation_code("回族") == "03"
    with pytest.raises(UnknownNation):
        nation_code("火星")
    with pytest.raises(UnknownNation):
        nation_name("00")
    with pytest.raises(UnknownNation):
        nation_name("99")
