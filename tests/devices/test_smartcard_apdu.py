"""Command APDUs byte for byte, 61xx and 6Cxx handling, status words as typed errors."""

from __future__ import annotations

import pytest

from devices.smartcard import apdu
from devices.smartcard.apdu import CommandApdu, ResponseApdu, TransportError


def h(text: str) -> bytes:
    return bytes.fromhex(text.replace(" ", ""))


class ScriptedCard:
    """Answers each command with the next scripted response and remembers what it was sent."""

    def __init__(self, *responses: str) -> None:
        self.responses = [h(r) for r in responses]
        self.sent: list[str] = []

    def transmit(self, command: bytes) -> bytes:
        self.sent.append(command.hex().upper())
        return self.responses.pop(0)


def test_select_the_pse():
    assert apdu.select_by_name(b"1PAY.SYS.DDF01").to_bytes() == h("00 A4 04 00 0E 315041592E5359532E4444463031 00")


def test_select_an_application_and_its_next_occurrence():
    aid = h("A000000333010101")
    assert apdu.select_by_name(aid).to_bytes() == h("00 A4 04 00 08 A000000333010101 00")
    assert apdu.select_by_name(aid, next_occurrence=True).to_bytes() == h("00 A4 04 02 08 A000000333010101 00")


@pytest.mark.parametrize(("record", "sfi", "expected"), [(1, 1, "00B2010C00"), (1, 2, "00B2011400"), (3, 11, "00B2035C00")])
def test_read_record(record, sfi, expected):
    assert apdu.read_record(record, sfi).to_bytes() == h(expected)


def test_read_record_refuses_what_cannot_be_addressed():
    with pytest.raises(ValueError, match="cannot be addressed"):
        apdu.read_record(0, 1)
    with pytest.raises(ValueError, match="cannot be addressed"):
        apdu.read_record(1, 31)


def test_get_processing_options_wraps_the_pdol_data_in_83():
    assert apdu.get_processing_options(b"").to_bytes() == h("80 A8 00 00 02 83 00 00")
    assert apdu.get_processing_options(h("00 000000000000 0156")).to_bytes() == h(
        "80 A8 00 00 0B 83 09 00 000000000000 0156 00")


def test_get_response_and_le_256():
    assert apdu.get_response(0x1E).to_bytes() == h("00 C0 00 00 1E")
    assert apdu.get_response(256).to_bytes() == h("00 C0 00 00 00")


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (CommandApdu(0x00, 0xA4, 0x04, 0x00), "00A40400"),  # case 1
        (CommandApdu(0x00, 0xB2, 0x01, 0x0C, le=0), "00B2010C00"),  # case 2
        (CommandApdu(0x00, 0xA4, 0x04, 0x00, h("3F00")), "00A40400023F00"),  # case 3
        (CommandApdu(0x00, 0xA4, 0x04, 0x00, h("3F00"), 0x10), "00A40400023F0010"),  # case 4
    ],
)
def test_the_four_cases(command, expected):
    assert command.to_bytes() == h(expected)


def test_too_much_data_for_a_short_apdu():
    with pytest.raises(ValueError, match="255"):
        CommandApdu(0x00, 0xA4, 0x04, 0x00, bytes(256)).to_bytes()


def test_61xx_is_fetched_with_get_response_until_the_card_is_done():
    card = ScriptedCard("6104", "A1A2A3A4 6102", "B1B2 9000")
    response = apdu.exchange(card, apdu.read_record(1, 1))
    assert response == ResponseApdu(h("A1A2A3A4B1B2"), 0x90, 0x00)
    assert card.sent == ["00B2010C00", "00C0000004", "00C0000002"]


def test_6cxx_resends_the_command_with_the_le_the_card_wants():
    card = ScriptedCard("6C21", "70" + "1F" + "00" * 31 + "9000")
    response = apdu.exchange(card, apdu.read_record(1, 1))
    assert response.ok
    assert len(response.data) == 33
    assert card.sent == ["00B2010C00", "00B2010C21"]


def test_6cxx_then_61xx():
    card = ScriptedCard("6C02", "6102", "AABB 9000")
    assert apdu.exchange(card, apdu.read_record(1, 1)).data == h("AABB")
    assert card.sent == ["00B2010C00", "00B2010C02", "00C0000002"]


def test_a_second_6cxx_is_an_error():
    card = ScriptedCard("6C02", "6C03")
    with pytest.raises(apdu.StatusWordError, match="6C03"):
        apdu.exchange(card, apdu.read_record(1, 1))


def test_a_card_that_never_stops_answering_61xx_is_mute():
    card = ScriptedCard(*["6101"] * 40)
    with pytest.raises(TransportError) as info:
        apdu.exchange(card, apdu.read_record(1, 1))
    assert info.value.reason == "mute_card"


def test_an_answer_without_a_status_word_is_mute():
    with pytest.raises(TransportError) as info:
        apdu.exchange(ScriptedCard("90"), apdu.read_record(1, 1))
    assert info.value.reason == "mute_card"


@pytest.mark.parametrize(
    ("sw", "error"),
    [
        ("6A82", apdu.FileNotFound),
        ("6A81", apdu.FunctionNotSupported),
        ("6985", apdu.ConditionsNotSatisfied),
        ("6A83", apdu.RecordNotFound),
        ("6283", apdu.SelectedFileInvalidated),
        ("6700", apdu.WrongLength),
        ("6A86", apdu.IncorrectParameters),
        ("6D00", apdu.InstructionNotSupported),
        ("6E00", apdu.ClassNotSupported),
        ("6982", apdu.SecurityStatusNotSatisfied),
    ],
)
def test_status_words_are_typed_errors(sw, error):
    with pytest.raises(error) as info:
        apdu.transmit_ok(ScriptedCard(sw), apdu.select_by_name(b"1PAY.SYS.DDF01"))
    assert info.value.sw == int(sw, 16)
    assert str(info.value).startswith(f"SELECT: SW {sw} (")


def test_an_unknown_status_word_is_still_an_error():
    with pytest.raises(apdu.StatusWordError) as info:
        apdu.transmit_ok(ScriptedCard("6F00"), apdu.read_record(1, 1))
    assert type(info.value) is apdu.StatusWordError
    assert "READ RECORD: SW 6F00" in str(info.value)


def test_a_response_never_shows_its_data():
    assert repr(ResponseApdu(h("5A086228480402564890"), 0x90, 0x00)) == "ResponseApdu(10 bytes, SW 9000)"
