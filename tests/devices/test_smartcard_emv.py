"""The terminal's reading sequence over the in-memory transport, for every card variant."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date

import pytest

from devices.api import DeviceError, ErrorCode
from devices.smartcard import emv, tlv
from devices.smartcard.apdu import TransportError
from devices.smartcard.api import CardType
from devices.smartcard.card_app import CardProfile, VirtualPbocCard
from devices.smartcard.card_files import load_profiles
from devices.smartcard.memory import MemoryTransport
from devices.smartcard.terminal import UNIONPAY_CREDIT

TODAY = date(2026, 11, 28)
UN = bytes.fromhex("12345678")
SELECT_PSE = "00A404000E315041592E5359532E444446303100"
SELECT_DEBIT = "00A4040008A00000033301010100"
READ_PSE_1, READ_PSE_2 = "00B2010C00", "00B2020C00"
# GET PROCESSING OPTIONS for the standard PDOL: TTQ, amounts 0, country 156, TVR 0, CNY, date,
# balance inquiry, unpredictable number.
GPO_STANDARD = "80A80000238321" + "26000080" + "00" * 12 + "0156" + "00" * 5 + "0156" + "261128" + "31" + "12345678" + "00"
READ_APP = ["00B2010C00", "00B2011400"]
SELECT_SSSE = "00A404000F7378312E73682EC9E7BBE1B1A3D5CF00"  # "sx1.sh.社会保障": a plain bank card answers 6A82
READ_SSSE = ["00B2072C00", "00B2083400", "00B2093400"]  # EF05 item 07, EF06 items 08 and 09


@pytest.fixture(autouse=True)
def fixed_unpredictable_number(monkeypatch):
    monkeypatch.setattr(emv.secrets, "token_bytes", lambda size: UN[:size])


@pytest.fixture(scope="module")
def cards() -> dict[str, CardProfile]:
    return load_profiles()


def read(profile: CardProfile | VirtualPbocCard) -> tuple[object, MemoryTransport]:
    transport = MemoryTransport(profile)
    return emv.read_bank_card(transport, TODAY), transport


def read_error(profile: CardProfile | VirtualPbocCard) -> DeviceError:
    with pytest.raises(DeviceError) as info:
        emv.read_bank_card(MemoryTransport(profile), TODAY)
    return info.value


@pytest.mark.parametrize("key", ["zhang_wei_1", "zhang_wei_2", "li_xiuying_1", "he_min_1", "zhou_jun_1"])
def test_each_demo_card_reads_back_as_its_profile(cards, people, key):
    card, _ = read(cards[key])
    assert card == people.bank_cards[key].card


def test_the_pse_path_byte_for_byte(cards, people):
    card, transport = read(cards["zhang_wei_1"])
    assert transport.commands() == [SELECT_PSE, READ_PSE_1, READ_PSE_2, SELECT_DEBIT, GPO_STANDARD, *READ_APP,
                                    SELECT_SSSE]
    assert card.social_security is None
    assert card.pan == "6228480402564890018"
    assert card.track2 == "6228480402564890018D30122200000000000"
    assert (card.expiry, card.holder_name, card.label) == ("3012", "张伟", "UnionPay Debit")
    assert (card.card_type, card.aid) == (CardType.DEBIT, "A000000333010101")


def test_without_a_pse_the_terminal_tries_its_list_of_aids(cards, people):
    card, transport = read(cards["zhang_wei_1_no_pse"])
    assert card == people.bank_cards["zhang_wei_1"].card
    others = [f"00A40400{len(aid) // 2:02X}{aid}00" for aid in
              ("A000000333010102", "A000000333010103", "A0000000031010", "A0000000041010")]
    assert transport.commands() == [SELECT_PSE, SELECT_DEBIT, *others, SELECT_DEBIT, GPO_STANDARD, *READ_APP,
                                    SELECT_SSSE]
    assert transport.exchanges[0][1] == bytes.fromhex("6A82")


def test_a_social_security_card_is_read_with_its_social_security_application(cards, people):
    card, transport = read(cards["zhou_jun_1"])
    assert transport.commands()[-4:] == [SELECT_SSSE, *READ_SSSE]
    assert card.social_security is not None
    assert (card.social_security.card_number, card.social_security.holder_name) == ("A01234567", "周军")
    assert card.social_security.ss_number == people.id_cards["zhou_jun"].id_number
    assert repr(card.social_security) == "SocialSecurityApp(ss_number='110108********0030')"  # masked


def test_a_card_answering_61xx_is_read_with_get_response(cards, people):
    card, transport = read(cards["zhang_wei_1_get_response"])
    assert card == people.bank_cards["zhang_wei_1"].card
    commands = transport.commands()
    assert commands[:2] == [SELECT_PSE, "00C000001E"]
    assert commands.count("00C0000047") == 1  # the application's FCI, 71 bytes
    assert len([c for c in commands if c.startswith("00C0")]) == 6


def test_a_card_wanting_the_exact_le_gets_the_command_again(cards, people):
    card, transport = read(cards["zhang_wei_1_exact_le"])
    assert card == people.bank_cards["zhang_wei_1"].card
    assert transport.commands()[-5:-1] == ["00B2010C00", "00B2010C1E", "00B2011400", "00B2011438"]
    assert transport.exchanges[-5][1] == bytes.fromhex("6C1E")


def test_a_card_without_a_pdol_gets_an_empty_83(cards, people):
    card, transport = read(cards["zhang_wei_1_no_pdol"])
    assert card == people.bank_cards["zhang_wei_1"].card
    assert "80A800000283000" + "0" in transport.commands()


def test_of_two_applications_the_higher_priority_one_is_chosen(cards):
    card, transport = read(cards["credit_two_apps"])
    assert (card.card_type, card.aid, card.label) == (CardType.CREDIT, "A000000333010102", "UnionPay Credit")
    assert "00A4040008A00000033301010200" in transport.commands()
    assert "00A4040008A00000033301010300" not in transport.commands()
    # PBOC contact PDOL: EC support indicator, amount, currency
    assert "80A800000B8309" + "00" + "000000000000" + "0156" + "00" in transport.commands()
    # its AFL names two records of SFI 1 and one of SFI 2
    assert transport.commands()[-4:-1] == ["00B2010C00", "00B2020C00", "00B2011400"]
    assert (card.pan, card.expiry, card.holder_name) == ("6258880123456783", "2905", "LI/XIUYING")


def test_a_blocked_application_is_card_blocked(cards):
    error = read_error(cards["blocked_1"])
    assert (error.code, error.reason) == (ErrorCode.USER_ERROR, "card_blocked")
    assert "6A81" in error.detail


def test_a_mute_card_is_a_clear_user_error(cards):
    error = read_error(cards["zhang_wei_1_mute"])
    assert (error.code, error.reason) == (ErrorCode.USER_ERROR, "mute_card")


def test_a_record_the_card_cannot_read_is_read_failed(cards):
    chip = VirtualPbocCard(cards["zhang_wei_1"])
    chip.set_fail_reads(True)
    error = read_error(chip)
    assert (error.code, error.reason) == (ErrorCode.USER_ERROR, "read_failed")
    assert error.detail == "READ RECORD: SW 6581 (error)"


def test_a_card_with_no_supported_application(cards):
    unknown = replace(cards["zhang_wei_1"].applications[0], aid=bytes.fromhex("A0000009999999"))
    error = read_error(replace(cards["zhang_wei_1"], applications=(unknown,)))
    assert (error.code, error.reason) == (ErrorCode.USER_ERROR, "unsupported_card")


def test_the_terminal_list_decides_what_is_supported(cards):
    with pytest.raises(DeviceError) as info:
        emv.read_bank_card(MemoryTransport(cards["zhang_wei_1"]), TODAY, aids=(UNIONPAY_CREDIT,))
    assert info.value.reason == "unsupported_card"


class Scripted:
    """A card answering by command prefix (hex), for answers the virtual card does not give."""

    def __init__(self, answers: dict[str, str], fallback: str = "6A82") -> None:
        self.answers, self.fallback = answers, fallback

    def transmit(self, command: bytes) -> bytes:
        text = command.hex().upper()
        return bytes.fromhex(next((v for k, v in self.answers.items() if text.startswith(k)), self.fallback))


def test_every_application_invalidated_6283_is_card_blocked():
    error = read_error_of(Scripted({"00A4040008A000000333010101": "6283"}))
    assert error.reason == "card_blocked"


def test_gpo_refused_6985_moves_on_to_the_next_application(cards):
    chip = VirtualPbocCard(cards["credit_two_apps"])

    class RefuseCredit:
        selected = ""

        def transmit(self, command: bytes) -> bytes:
            if command[1] == 0xA4:
                RefuseCredit.selected = command.hex().upper()
            if command[:2] == b"\x80\xa8" and "A000000333010102" in RefuseCredit.selected:
                return bytes.fromhex("6985")
            return chip.process(command)

    card = emv.read_bank_card(RefuseCredit(), TODAY)
    assert (card.card_type, card.aid) == (CardType.QUASI_CREDIT, "A000000333010103")


def test_a_pse_without_a_directory_sfi_is_read_failed():
    fci = tlv.template(0x6F, tlv.encode(0x84, b"1PAY.SYS.DDF01"), tlv.template(0xA5))
    error = read_error_of(Scripted({"00A404000E": fci.hex() + "9000"}))
    assert (error.reason, error.detail) == ("read_failed", "the PSE's FCI has no directory SFI (88)")


def test_garbage_in_a_record_is_read_failed(cards):
    chip = VirtualPbocCard(cards["zhang_wei_1"])

    class Garbled:
        def transmit(self, command: bytes) -> bytes:
            answer = chip.process(command)
            return bytes.fromhex("7020 0102 9000") if command.hex().upper() == "00B2011400" else answer

    error = read_error_of(Garbled())
    assert error.reason == "read_failed"
    assert error.detail == "70 claims 32 bytes, 2 left"


def test_a_card_pulled_out_during_the_read():
    class Gone:
        def transmit(self, command: bytes) -> bytes:
            raise TransportError("card_removed", "SCardTransmit: card removed")

    error = read_error_of(Gone())
    assert (error.code, error.reason) == (ErrorCode.USER_ERROR, "card_removed")


def read_error_of(transport) -> DeviceError:
    with pytest.raises(DeviceError) as info:
        emv.read_bank_card(transport, TODAY)
    return info.value


def test_pdol_values_are_fitted_to_the_lengths_the_card_asks():
    entries = tlv.parse_dol(bytes.fromhex("9F0204 9A02 9F6602 9F6606 DF6901 9C03"))
    values = emv.Terminal().values(TODAY, UN)
    data = emv.pdol_data(entries, values)
    assert data.hex().upper() == (
        "00000000"  # 9F02 n12 cut on the left
        + "1128"  # 9A YYMMDD cut on the left: numeric
        + "2600"  # 9F66 binary cut on the right
        + "260000800000"  # 9F66 padded on the right
        + "00"  # DF69 unknown: zeros
        + "000031"  # 9C n2 padded on the left
    )


def test_track_2_and_the_pan_are_never_logged(cards, caplog):
    caplog.set_level(logging.DEBUG)
    card, _ = read(cards["zhang_wei_1_no_pse"])
    error = read_error(cards["blocked_1"])
    assert card.track2 not in caplog.text
    assert card.pan not in caplog.text
    assert card.pan not in str(error)
