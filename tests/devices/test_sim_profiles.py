"""Loading the demo people into typed profiles."""

from __future__ import annotations

import tomllib
from datetime import date

from devices.sim_profiles import UNIONPAY_DEBIT_AID, default_people_path, load_people, luhn_check_digit
from devices.smartcard.api import CardType


def luhn_valid(number: str) -> bool:
    """An independent Luhn check: double every second digit from the right."""
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char) * (2 if position % 2 else 1)
        total += digit // 10 + digit % 10
    return total % 10 == 0


def raw_people() -> dict:
    with default_people_path().open("rb") as handle:
        return tomllib.load(handle)


def test_the_default_path_is_the_repository_asset():
    path = default_people_path()
    assert path.is_file()
    assert path.parts[-3:] == ("assets", "sim", "people.toml")


def test_every_person_has_an_id_card_with_photo(people):
    assert len(people.id_cards) == len(raw_people()["person"]) >= 7
    for card in people.id_cards.values():
        assert card.photo
        assert card.photo[:4] in (b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xe1", b"\xff\xd8\xff\xdb", b"\x89PNG")


def test_id_card_fields_come_from_the_file(people):
    card = people.id_cards["zhang_wei"]
    assert (card.name, card.sex, card.nation) == ("张伟", "男", "汉")
    assert card.id_number == "110105198503121234"
    assert card.birth_date == date(1985, 3, 12)
    assert card.valid_to == date(2036, 5, 10)


def test_a_card_valid_for_life_has_no_expiry(people):
    assert people.id_cards["li_xiuying"].valid_to is None


def test_bank_cards_are_keyed_by_holder_and_number_in_file_order(people):
    assert list(people.bank_cards)[:3] == ["zhang_wei_1", "zhang_wei_2", "li_xiuying_1"]
    assert list(people.bank_cards)[-1] == "blocked_1"  # the people's cards first, then the blocked one
    assert "gao_yan_1" in people.bank_cards
    second = people.bank_cards["zhang_wei_2"]
    assert second.card.pan == "6228480402564890026"
    assert second.card.expiry == "2906"
    assert second.holder_key == "zhang_wei"
    assert not second.blocked


def test_bank_cards_carry_what_the_chip_says(people):
    card = people.bank_cards["li_xiuying_1"].card
    assert card.card_type is CardType.DEBIT
    assert card.aid == UNIONPAY_DEBIT_AID
    assert card.holder_name == "李秀英"
    assert card.track2 == "6228480402564890034D28082200000000000"


def test_the_blocked_card_is_marked_and_belongs_to_its_holder(people):
    blocked = people.bank_cards["blocked_1"]
    assert blocked.blocked
    assert blocked.holder_key == "zhang_wei"
    assert blocked.card.pan == "6217001234567890015"


def test_live_photos_are_the_camera_photos(people):
    assert set(people.live_photos) == set(people.id_cards)
    path = people.live_photo_paths["zhang_wei"]
    assert path.name == "obama_2009_joint_session.jpg"
    assert people.live_photos["zhang_wei"] == path.read_bytes()


def test_stock_is_generated_from_the_dispenser_section(people):
    section = raw_people()["dispenser"]
    assert len(people.stock) == section["count"]
    first = people.stock[0]
    assert first.pan.startswith(section["bin"])
    assert first.pan[:-1] == "622848090000000001"
    assert {card.expiry for card in people.stock} == {section["expiry"]}
    assert len({card.pan for card in people.stock}) == len(people.stock)


def test_stock_pans_are_19_digits_and_luhn_valid(people):
    for card in people.stock:
        assert len(card.pan) == 19
        assert card.pan.isdigit()
        assert luhn_valid(card.pan)


def test_the_luhn_check_digit_completes_known_numbers():
    assert luhn_check_digit("411111111111111") == "1"
    assert luhn_check_digit("7992739871") == "3"
    assert luhn_valid("6228480402564890018")


def test_staff_and_raw_records_are_kept(people):
    assert [member.number for member in people.staff] == ["S1001", "S1002", "M2001"]
    assert people.staff[2].role == "maintenance"
    assert people.person("zhang_wei")["card"][0]["pin"] == "147258"
    assert people.person("wang_xiaoming")["guardian"] == "zhang_wei"
    assert people.person("li_xiuying")["bill"][0]["amount_fen"] == 38000


def test_a_file_elsewhere_reads_photos_next_to_itself(tmp_path):
    (tmp_path / "me.png").write_bytes(b"\x89PNG-not-really")
    (tmp_path / "people.toml").write_text(
        '[[person]]\nkey = "a"\nname = "甲"\nsex = "男"\nnation = "汉"\nbirth_date = 2000-01-01\n'
        'address = "某地"\nid_number = "110101200001010011"\nissuer = "某局"\n'
        'valid_from = 2020-01-01\nvalid_to = "长期"\nphoto = "me.png"\nlive_photo = "me.png"\n',
        encoding="utf-8",
    )
    loaded = load_people(tmp_path / "people.toml")
    assert loaded.id_cards["a"].photo == b"\x89PNG-not-really"
    assert loaded.bank_cards == {}
    assert loaded.stock == []
