"""The demo people (assets/sim/people.toml) as typed profiles for the simulators.

The device simulators take ID cards, bank cards, camera photos and dispenser stock from here; the
host simulator reads the raw person records (PINs, mobile, balances, bills, guardian) from
:attr:`People.persons`. Photos are read from files next to the toml.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from devices.dispenser.api import StockCard
from devices.idcard.api import IdCard
from devices.smartcard.api import BankCard, CardType, SocialSecurityApp

UNIONPAY_DEBIT_AID = "A000000333010101"
NO_EXPIRY = "长期"
STOCK_PAN_BODY = 18  # digits before the Luhn check digit: a 19-digit PAN


@dataclass(frozen=True)
class BankCardProfile:
    """A demo bank card: what its chip says, whose it is, and whether its application is blocked."""

    key: str  # "zhang_wei_1", "blocked_1"
    card: BankCard
    holder_key: str
    blocked: bool = False


@dataclass(frozen=True)
class StaffMember:
    number: str
    name: str
    role: str  # "supervisor", "maintenance"
    password: str = field(default="", repr=False)  # demo only: QA signs in on the member's behalf
    card: BankCardProfile | None = None  # the staff card, read by the bank card reader
    card_pin: str = field(default="", repr=False)


@dataclass(frozen=True)
class People:
    """Everything the simulators need about the demo people."""

    source: Path
    id_cards: Mapping[str, IdCard]  # kiosk.identity.chip gives the real matcher cards with chip photos
    bank_cards: dict[str, BankCardProfile]
    live_photos: dict[str, bytes] = field(repr=False)
    live_photo_paths: dict[str, Path]
    stock: list[StockCard] = field(repr=False)
    staff: list[StaffMember]
    persons: dict[str, dict[str, Any]] = field(repr=False)  # raw records, for the host simulator
    blocked_cards: list[dict[str, Any]] = field(repr=False)  # raw [[blocked_card]] records

    @property
    def asset_dir(self) -> Path:
        """The folder the toml is in; photo paths are relative to it."""
        return self.source.parent

    def person(self, key: str) -> dict[str, Any]:
        """The raw record of one person (pins, mobile, balances, bills, guardian)."""
        return self.persons[key]

    @property
    def staff_cards(self) -> dict[str, BankCardProfile]:
        """The staff cards, keyed ``staff_<number>`` (not among ``bank_cards``: they hold no account)."""
        return {m.card.key: m.card for m in self.staff if m.card is not None}


def default_people_path() -> Path:
    return Path(__file__).parents[1] / "assets" / "sim" / "people.toml"


def luhn_check_digit(body: str) -> str:
    """The Luhn (mod 10) check digit that completes ``body`` into a valid card number."""
    total = 0
    for position, char in enumerate(reversed(body)):
        digit = int(char)
        if position % 2 == 0:  # doubled: these become the odd positions once the check digit is added
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return str((10 - total % 10) % 10)


def load_people(path: Path | str | None = None) -> People:
    source = Path(path) if path is not None else default_people_path()
    with source.open("rb") as handle:
        data = tomllib.load(handle)
    base = source.parent
    persons = {record["key"]: record for record in data.get("person", [])}
    blocked = list(data.get("blocked_card", []))
    return People(
        source=source,
        id_cards={key: _id_card(record, base) for key, record in persons.items()},
        bank_cards=_bank_cards(persons, blocked),
        live_photos={key: (base / record["live_photo"]).read_bytes() for key, record in persons.items()},
        live_photo_paths={key: base / record["live_photo"] for key, record in persons.items()},
        stock=_stock(data.get("dispenser")),
        staff=[_staff_member(s) for s in data.get("staff", [])],
        persons=persons,
        blocked_cards=blocked,
    )


def _staff_member(record: dict[str, Any]) -> StaffMember:
    number, raw = str(record["number"]), record.get("card")
    card = None
    if raw:
        bank_card = _bank_card(str(raw["pan"]), str(raw["expiry"]), record["name"], "Staff card")
        card = BankCardProfile(f"staff_{number}", bank_card, holder_key="")
    return StaffMember(number, record["name"], record["role"], str(record.get("password", "")), card,
                       str((raw or {}).get("pin", "")))


def _id_card(record: dict[str, Any], base: Path) -> IdCard:
    photo = record.get("photo")
    return IdCard(
        name=record["name"],
        sex=record["sex"],
        nation=record["nation"],
        birth_date=_date(record["birth_date"], "birth_date"),
        address=record["address"],
        id_number=str(record["id_number"]),
        issuer=record["issuer"],
        valid_from=_date(record["valid_from"], "valid_from"),
        valid_to=None if record["valid_to"] == NO_EXPIRY else _date(record["valid_to"], "valid_to"),
        photo=(base / photo).read_bytes() if photo else None,
    )


def _date(value: Any, what: str) -> date:
    if isinstance(value, date):
        return value
    raise ValueError(f"people.toml: {what} must be a date (YYYY-MM-DD), not {value!r}")


def _bank_card(pan: str, expiry: str, holder_name: str, label: str,
               social_security: SocialSecurityApp | None = None) -> BankCard:
    return BankCard(
        pan=pan,
        expiry=expiry,
        holder_name=holder_name,
        label=label,
        card_type=CardType.DEBIT,
        aid=UNIONPAY_DEBIT_AID,
        track2=f"{pan}D{expiry}2200000000000",
        social_security=social_security,
    )


def _bank_cards(
    persons: dict[str, dict[str, Any]], blocked: list[dict[str, Any]]
) -> dict[str, BankCardProfile]:
    cards: dict[str, BankCardProfile] = {}
    for key, record in persons.items():
        for number, raw in enumerate(record.get("card", []), start=1):
            ss = raw.get("social_security")  # a social-security card: its SS card number
            ssse = SocialSecurityApp(str(ss), str(record["id_number"]), record["name"]) if ss else None
            card = _bank_card(str(raw["pan"]), str(raw["expiry"]), record["name"], raw.get("label", ""), ssse)
            cards[f"{key}_{number}"] = BankCardProfile(f"{key}_{number}", card, key)
    for number, raw in enumerate(blocked, start=1):
        holder = raw["holder_key"]
        card = _bank_card(str(raw["pan"]), str(raw["expiry"]), persons[holder]["name"], raw.get("label", ""))
        cards[f"blocked_{number}"] = BankCardProfile(f"blocked_{number}", card, holder, blocked=True)
    return cards


def _stock(dispenser: dict[str, Any] | None) -> list[StockCard]:
    if not dispenser:
        return []
    bin_ = str(dispenser["bin"])
    width = STOCK_PAN_BODY - len(bin_)
    first = int(dispenser.get("first_serial", 1))
    stock = []
    for serial in range(first, first + int(dispenser["count"])):
        body = f"{bin_}{serial:0{width}d}"
        stock.append(StockCard(pan=body + luhn_check_digit(body), expiry=str(dispenser["expiry"])))
    return stock
