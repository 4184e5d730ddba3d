"""Fuzzing the bank card side: BER-TLV and DOLs, response APDUs, the virtual card's command parser, the
terminal's reading sequence against a card that answers anything, and the virtual card files.

A card is untrusted input: whatever it answers, the read is a BankCard or a DeviceError (never an
IndexError, a ValueError from building the next command, or a RecursionError from nested templates)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from devices.api import DeviceError
from devices.smartcard import apdu, emv, tlv
from devices.smartcard.api import BankCard
from devices.smartcard.card_app import CardProfile, VirtualPbocCard
from devices.smartcard.card_files import CardFileError, load_profile, load_profiles
from devices.smartcard.memory import MemoryTransport
from tests.fuzz.outcome import attempt
from tests.fuzz.toml_text import toml_document, values

TODAY = date(2026, 11, 28)


@st.composite
def tags(draw: st.DrawFn) -> int:
    """A tag as BER encodes it: one byte whose low five bits are not all set, or that byte pattern
    followed by bytes with bit 8 set and a last one without."""
    first = draw(st.integers(0x01, 0xFE))
    if first & 0x1F != 0x1F:
        return first
    middle = draw(st.lists(st.integers(0x80, 0xFF), max_size=2))
    tag = first
    for byte in [*middle, draw(st.integers(0x00, 0x7F))]:
        tag = (tag << 8) | byte
    return tag


def nested(depth: int) -> bytes:
    data = tlv.encode(0x5A, b"\x62\x22")
    for _ in range(depth):
        data = tlv.encode(0x70, data)
    return data


@given(st.binary(max_size=400))
@example(nested(3000))  # templates 3000 deep: walked without recursion
@example(bytes.fromhex("70 84 01000000".replace(" ", "")))  # four length bytes
@example(bytes.fromhex("70 83 FFFFFF"))  # a length far past the data
@example(bytes.fromhex("9F"))  # a tag cut short
@example(bytes.fromhex("1F FF FF FF FF 01 00"))  # a tag longer than four bytes
def test_any_bytes_parse_and_walk_or_raise_tlv_error(data: bytes) -> None:
    try:
        objects = list(tlv.walk(tlv.parse(data)))
    except tlv.TlvError:
        return
    for obj in objects:
        assert tlv.parse(obj.to_bytes()) == [obj]


def test_a_deep_template_is_found_without_recursion() -> None:
    assert tlv.find_value(tlv.parse(nested(3000)), 0x5A) == b"\x62\x22"


@given(tags(), st.binary(max_size=300))
def test_encode_then_parse_round_trips(tag: int, value: bytes) -> None:
    assert tlv.parse(tlv.encode(tag, value)) == [tlv.Tlv(tag, value)]


@given(st.lists(st.tuples(tags(), st.binary(max_size=40)), max_size=5), st.sampled_from([0x70, 0x77, 0xA5]))
def test_a_template_round_trips_with_its_children(children: list[tuple[int, bytes]], template: int) -> None:
    [obj] = tlv.parse(tlv.template(template, *(tlv.encode(t, v) for t, v in children)))
    assert obj.constructed
    assert [(c.tag, c.value) for c in obj.children] == children


@given(st.lists(st.builds(tlv.DolEntry, tags(), st.integers(0, 0xFFFFFF)), max_size=6))
def test_a_dol_round_trips(entries: list[tlv.DolEntry]) -> None:
    assert tlv.parse_dol(tlv.encode_dol(entries)) == entries


@given(st.binary(max_size=60))
def test_any_dol_bytes_parse_or_raise_tlv_error(data: bytes) -> None:
    try:
        entries = tlv.parse_dol(data)
    except tlv.TlvError:
        return
    assert tlv.parse_dol(tlv.encode_dol(entries)) == entries


@given(st.binary(max_size=260))
def test_any_response_apdu_has_a_status_word_or_is_a_mute_card(raw: bytes) -> None:
    response, error = attempt(lambda: apdu.ResponseApdu.from_bytes(raw), apdu.TransportError)
    if error is not None:
        assert error.reason == "mute_card"
    else:
        assert response.data + bytes([response.sw1, response.sw2]) == raw


@pytest.fixture(scope="module")
def profiles() -> dict[str, CardProfile]:
    return load_profiles()


@given(st.binary(max_size=300))
@example(bytes.fromhex("00A4040005A000000333"))  # Lc says 5, four bytes follow
@example(bytes.fromhex("00B2"))
def test_the_virtual_card_answers_any_command_with_a_status_word(profiles, command: bytes) -> None:
    card = VirtualPbocCard(profiles["zhang_wei_1"])
    assert len(card.process(command)) >= 2


class AnswersAnything:
    """A card in the reader that answers each command with what the test draws: the real card's answer
    as it is, cut short, with a byte changed, with other bytes in its place, or a status word alone."""

    def __init__(self, card: VirtualPbocCard, data: st.DataObject) -> None:
        self.card, self.data = card, data

    def transmit(self, command: bytes) -> bytes:
        answer = self.card.process(command)
        how = self.data.draw(st.sampled_from(["as_is", "as_is", "cut", "flip", "other", "status"]))
        if how == "cut":
            return answer[:self.data.draw(st.integers(0, len(answer)))]
        if how == "flip" and answer:
            position = self.data.draw(st.integers(0, len(answer) - 1))
            changed = bytearray(answer)
            changed[position] ^= self.data.draw(st.integers(1, 255))
            return bytes(changed)
        if how == "other":
            body = self.data.draw(st.binary(max_size=80) | st.builds(tlv.encode, tags(), st.binary(max_size=40)))
            return body + self.data.draw(st.sampled_from([b"\x90\x00", b"\x61\x10", b"\x6c\x05", b"\x6a\x82"]))
        if how == "status":
            return self.data.draw(st.binary(min_size=2, max_size=2))
        return answer


def read_or_refuse(transport: apdu.CardTransport) -> None:
    card, error = attempt(lambda: emv.read_bank_card(transport, TODAY), DeviceError)
    if error is not None:
        assert error.reason in ("card_blocked", "unsupported_card", "read_failed", "mute_card", "card_removed")
    else:
        assert isinstance(card, BankCard)
        assert card.pan


@given(st.sampled_from(["zhang_wei_1", "zhang_wei_1_get_response", "zhang_wei_1_exact_le", "zhang_wei_1_no_pse",
                        "credit_two_apps"]), st.data())
def test_a_card_answering_anything_is_read_or_refused(profiles, key: str, data: st.DataObject) -> None:
    read_or_refuse(AnswersAnything(VirtualPbocCard(profiles[key]), data))


class Scripted:
    """A card whose answers are the given ones, in order, then ``rest`` to everything."""

    def __init__(self, answers: list[bytes], rest: bytes = b"\x6a\x82") -> None:
        self.answers, self.rest = list(answers), rest

    def transmit(self, command: bytes) -> bytes:
        return self.answers.pop(0) if self.answers else self.rest


PSE_FCI = tlv.template(0x6F, tlv.encode(0x84, emv.PSE_NAME), tlv.template(0xA5, tlv.encode(0x88, b"\x01")))
DIRECTORY = tlv.template(0x70, tlv.template(0x61, tlv.encode(0x4F, bytes.fromhex("A000000333010101"))))
APP_FCI = tlv.template(0x6F, tlv.encode(0x84, bytes.fromhex("A000000333010101")))
OK = b"\x90\x00"


def test_an_afl_naming_record_255_is_a_read_failure() -> None:
    """READ RECORD addresses records 1-254: an AFL up to 255 is the card's mistake, not the terminal's crash."""
    answers = [PSE_FCI + OK, DIRECTORY + OK, b"\x6a\x83", APP_FCI + OK,
               tlv.encode(0x80, b"\x00\x00\x08\x01\xff\x00") + OK]
    with pytest.raises(DeviceError) as info:
        emv.read_bank_card(Scripted(answers, rest=tlv.template(0x70, tlv.encode(0x5A, b"\x62\x22")) + OK), TODAY)
    assert info.value.reason == "read_failed"


@pytest.mark.parametrize("answers", [
    # a PDOL asking for 300 bytes: no short GET PROCESSING OPTIONS carries them
    [PSE_FCI + OK, DIRECTORY + OK, b"\x6a\x83",
     tlv.template(0x6F, tlv.template(0xA5, tlv.encode(0x9F38, bytes.fromhex("9F3782012C")))) + OK],
    # a PDOL asking for 16 MB: refused before anything is allocated
    [PSE_FCI + OK, DIRECTORY + OK, b"\x6a\x83",
     tlv.template(0x6F, tlv.template(0xA5, tlv.encode(0x9F38, bytes.fromhex("9F3783FFFFFF")))) + OK],
    # a directory record 3000 templates deep
    [PSE_FCI + OK, nested(3000) + OK, b"\x6a\x83"],
])
def test_answers_a_terminal_cannot_use_are_read_failures(answers: list[bytes]) -> None:
    with pytest.raises(DeviceError) as info:
        emv.read_bank_card(Scripted(answers), TODAY)
    assert info.value.reason in ("read_failed", "unsupported_card")


@given(st.lists(st.binary(max_size=60).map(lambda b: b + b"\x90\x00") | st.binary(max_size=4), max_size=12))
def test_a_card_answering_random_bytes_is_refused(answers: list[bytes]) -> None:
    read_or_refuse(Scripted(answers))


# -- virtual card files -------------------------------------------------------------------------

card_tables = st.fixed_dictionaries({}, optional={
    "": st.dictionaries(st.sampled_from(["key", "atr", "pse", "responses", "mute", "application"]), values, max_size=4),
    "application": st.dictionaries(st.sampled_from(["aid", "label", "priority", "pdol", "aip", "blocked", "kind",
                                                    "record", "5A"]), values, max_size=6),
})


@given(card_tables)
@example({"": {"application": "A0000003330101"}})  # a string where the tables go
@example({"": {"application": [[1]]}})
@example({"": {"application": [{"aid": "A000000333010101", "label": "x", "record": [5]}]}})  # a record not a table
@example({"application": {"aid": "A000000333010101", "label": "x", "record": 5}})
@example({"application": {"aid": "A000000333010101", "label": "x", "record": [{"sfi": 1, "number": 1, "zz": "1"}]}})
def test_any_card_file_is_a_profile_or_a_card_file_error(tmp_path_factory, tables: dict) -> None:
    path = tmp_path_factory.mktemp("cards") / "card.toml"
    path.write_text(toml_document(tables), encoding="utf-8")
    _, error = attempt(lambda: load_profile(path), CardFileError)
    assert error is None or str(error).startswith(str(path))


@given(st.binary(max_size=200))
@example(b"\xff\xfe")  # not UTF-8
@example(b"a = " + b"[" * 5000)  # nested too deep for tomllib
def test_any_card_file_bytes_are_a_profile_or_a_card_file_error(tmp_path_factory, raw: bytes) -> None:
    path: Path = tmp_path_factory.mktemp("cards") / "card.toml"
    path.write_bytes(raw)
    with pytest.raises(CardFileError):
        load_profile(path)


def test_the_memory_transport_still_reads_a_demo_card(profiles) -> None:
    assert emv.read_bank_card(MemoryTransport(profiles["zhang_wei_1"]), TODAY).pan
