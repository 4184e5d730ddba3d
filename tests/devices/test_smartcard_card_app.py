"""The virtual PBOC card: its card files, and how it answers commands a terminal gets wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from devices.smartcard import tlv
from devices.smartcard.card_app import (
    DEFAULT_ATR,
    MUTE_ATR,
    CardApplication,
    CardRecord,
    VirtualPbocCard,
    profile_from_card,
)
from devices.smartcard.card_files import (
    CARDS_DIR,
    VARIANTS,
    CardFileError,
    dump_profile,
    load_profile,
    load_profiles,
    people_card_files,
    variant,
)


def h(text: str) -> bytes:
    return bytes.fromhex(text.replace(" ", ""))


@pytest.fixture
def chip(people) -> VirtualPbocCard:
    return VirtualPbocCard(profile_from_card("zhang_wei_1", people.bank_cards["zhang_wei_1"].card))


def test_the_generated_card_files_match_people_toml(people):
    for name, text in people_card_files(people).items():
        path = CARDS_DIR / name
        assert path.exists(), f"{path} is missing: run python -m devices.smartcard.card_files --write"
        assert path.read_text(encoding="utf-8") == text, (
            f"{path} is out of date with people.toml: run python -m devices.smartcard.card_files --write")


def test_every_card_file_loads(people):
    profiles = load_profiles()
    assert set(people.bank_cards) <= set(profiles)
    assert {f"zhang_wei_1_{v}" for v in VARIANTS} <= set(profiles)
    assert "credit_two_apps" in profiles
    assert profiles["blocked_1"].applications[0].blocked
    assert profiles["zhang_wei_1"].pan() == "6228480402564890018"


def test_a_card_file_round_trips(people, tmp_path: Path):
    profile = profile_from_card("li_xiuying_1", people.bank_cards["li_xiuying_1"].card)
    path = tmp_path / "card.toml"
    path.write_text(dump_profile(profile), encoding="utf-8")
    assert load_profile(path) == profile
    assert '"5F20" = "李秀英"' in path.read_text(encoding="utf-8")


def test_a_broken_card_file_names_itself(tmp_path: Path):
    path = tmp_path / "broken.toml"
    path.write_text('key = "broken"\n[[application]]\nlabel = "X"\n', encoding="utf-8")
    with pytest.raises(CardFileError, match="broken.toml"):
        load_profile(path)


def test_an_unknown_variant_is_refused(people):
    with pytest.raises(ValueError, match="variants: no_pse"):
        variant(profile_from_card("x", people.bank_cards["zhang_wei_1"].card), "shiny")


def test_the_afl_covers_runs_of_records():
    records = tuple(CardRecord(sfi, number, ()) for sfi, number in [(1, 1), (1, 2), (2, 1), (3, 2), (3, 4)])
    app = CardApplication(h("A000000333010101"), "UnionPay Debit", records)
    assert app.afl() == h("08010200 10010100 18020200 18040400")


def test_select_answers_the_fci_with_the_pdol(chip):
    response = chip.process(h("00A4040008A00000033301010100"))
    assert response[-2:] == h("9000")
    fci = tlv.parse(response[:-2])
    assert tlv.find_value(fci, 0x84) == h("A000000333010101")
    assert tlv.find_value(fci, 0x50) == b"UnionPay Debit"
    assert tlv.find_value(fci, 0x9F38) == h("9F66049F02069F03069F1A0295055F2A029A039C019F3704")


def test_gpo_answers_aip_and_afl_in_format_2(chip):
    chip.process(h("00A4040008A00000033301010100"))
    response = chip.process(h("80A8000023 8321") + bytes(33) + h("00"))
    assert response == h("77 0E 82 02 7C00 94 08 08010100 10010100 9000")


@pytest.mark.parametrize(
    ("command", "sw"),
    [
        ("80A80000028300 00", "6985"),  # GPO before any application is selected
        ("00B2010C00", "6985"),  # READ RECORD before SELECT
        ("00A4000002 3F00 00", "6A86"),  # SELECT by file id: not this card
        ("00A4040008 A000000333010199 00", "6A82"),
        ("00A4040208 A000000333010101 00", "6A82"),  # no next occurrence
        ("00CA9F1700", "6D00"),  # GET DATA is not implemented
        ("B0A4040000", "6E00"),
        ("00A4", "6700"),
        ("00A40400 05 A000", "6700"),  # Lc says 5, two bytes follow
        ("00C0000010", "6985"),  # GET RESPONSE with nothing waiting
    ],
)
def test_commands_out_of_place_get_the_right_status(chip, command, sw):
    assert chip.process(h(command)) == h(sw)


def test_read_record_checks_p2_and_the_record_number(chip):
    chip.process(h("00A4040008A00000033301010100"))
    assert chip.process(h("00B2010800")) == h("6A86")  # P2 without the "SFI" bit pattern 100
    assert chip.process(h("00B2000C00")) == h("6A86")
    assert chip.process(h("00B2050C00")) == h("6A83")


def test_gpo_with_the_wrong_pdol_length_is_refused(chip):
    chip.process(h("00A4040008A00000033301010100"))
    assert chip.process(h("80A80000028300 00")) == h("6700")


def test_get_response_hands_out_long_data_in_pieces(cards_get_response):
    chip = VirtualPbocCard(cards_get_response)
    assert chip.process(h("00A4040008A00000033301010100")) == h("6147")
    first = chip.process(h("00C0000040"))
    assert first[-2:] == h("6107")
    assert len(first) == 66
    rest = chip.process(h("00C0000007"))
    assert rest[-2:] == h("9000")
    assert tlv.parse(first[:-2] + rest[:-2])[0].tag == 0x6F


@pytest.fixture
def cards_get_response():
    return load_profiles()["zhang_wei_1_get_response"]


def test_a_mute_card_has_no_atr(chip):
    assert chip.atr() == DEFAULT_ATR
    chip.set_mute(True)
    assert chip.atr() == MUTE_ATR
    chip.set_mute(False)
    assert chip.atr() == DEFAULT_ATR


def test_power_cycling_forgets_the_selection(chip):
    chip.process(h("00A4040008A00000033301010100"))
    chip.reset()
    assert chip.process(h("00B2010C00")) == h("6985")
