"""The base info a card returns to READ BASE INFO (30 01), as bytes only.

Layout (all lengths in bytes)::

    text length (2, big endian) = 256 | photo length (2, big endian) = 1024
    text: 256 bytes of UCS-2 little endian, fixed fields padded with spaces
        name 30 | sex 2 | nation 4 | birth 16 | address 70 | id_number 36 | issuer 30
        | valid_from 16 | valid_to 16 | reserved 36
    photo: 1024 bytes of WLT (a licensed vendor format, see devices.idcard.wlt)

sex is "1" (男) or "2" (女); nation two digits (GB 3304, see devices.idcard.nations); dates
YYYYMMDD; valid_to a date or 长期. :func:`decode_base_info` refuses a payload whose fields do not
decode, with :class:`BaseInfoError` naming the field. Whether the ID number passes GB 11643 is a
separate question (:func:`id_number_problem`): the chip data decodes either way, and the kiosk's
identity checks refuse such a card with their own message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from devices.idcard.api import IdCard
from devices.idcard.nations import UnknownNation, nation_code, nation_name
from kiosk.core.digits import ascii_digits

TEXT_LENGTH = 256
PHOTO_LENGTH = 1024
PAYLOAD_LENGTH = 4 + TEXT_LENGTH + PHOTO_LENGTH
NO_EXPIRY = "长期"

FIELDS: tuple[tuple[str, int], ...] = (
    ("name", 30), ("sex", 2), ("nation", 4), ("birth", 16), ("address", 70), ("id_number", 36),
    ("issuer", 30), ("valid_from", 16), ("valid_to", 16), ("reserved", 36),
)
SEXES = {"1": "男", "2": "女"}
_SEX_CODES = {name: code for code, name in SEXES.items()}
# GB 11643: weights of the first 17 digits and the check character for the sum mod 11. Also in
# kiosk.identity.id_number, which this layer may not import (devices sit below kiosk.identity).
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


class BaseInfoError(ValueError):
    """A base info payload whose layout or fields do not decode."""

    def __init__(self, field: str, detail: str) -> None:
        self.field = field
        self.detail = detail
        super().__init__(f"{field}: {detail}")


@dataclass(frozen=True)
class BaseInfo:
    """What the chip says: the card's fields (photo not yet decoded) and the WLT photo bytes."""

    card: IdCard
    wlt: bytes

    def __repr__(self) -> str:
        return f"BaseInfo({self.card!r}, wlt={len(self.wlt)} bytes)"


# -- encoding (the simulator's side) ------------------------------------------------------------


def _field(name: str, value: str, width: int) -> bytes:
    if any(ord(char) > 0xFFFF for char in value):
        raise ValueError(f"{name}: {value!r} has a character outside UCS-2")
    chars = width // 2
    if len(value) > chars:
        raise ValueError(f"{name}: {len(value)} characters do not fit in {chars}")
    return value.ljust(chars).encode("utf-16-le")


def encode_text(card: IdCard) -> bytes:
    try:
        sex = _SEX_CODES[card.sex]
    except KeyError:
        raise ValueError(f"sex: {card.sex!r} is neither 男 nor 女") from None
    values = {
        "name": card.name, "sex": sex, "nation": nation_code(card.nation), "birth": f"{card.birth_date:%Y%m%d}",
        "address": card.address, "id_number": card.id_number, "issuer": card.issuer,
        "valid_from": f"{card.valid_from:%Y%m%d}",
        "valid_to": NO_EXPIRY if card.valid_to is None else f"{card.valid_to:%Y%m%d}", "reserved": "",
    }
    return b"".join(_field(name, values[name], width) for name, width in FIELDS)


def encode_base_info(card: IdCard, wlt: bytes) -> bytes:
    """The payload of a successful READ BASE INFO for ``card`` with ``wlt`` as its photo."""
    if len(wlt) != PHOTO_LENGTH:
        raise ValueError(f"a WLT photo is {PHOTO_LENGTH} bytes, not {len(wlt)}")
    return TEXT_LENGTH.to_bytes(2, "big") + PHOTO_LENGTH.to_bytes(2, "big") + encode_text(card) + wlt


# -- decoding (the kiosk's side) ----------------------------------------------------------------


def decode_base_info(payload: bytes) -> BaseInfo:
    """The card in ``payload`` (photo None) and its WLT bytes; BaseInfoError when it does not decode."""
    if len(payload) < 4:
        raise BaseInfoError("length", f"{len(payload)} bytes, shorter than the two length fields")
    text_length = int.from_bytes(payload[0:2], "big")
    photo_length = int.from_bytes(payload[2:4], "big")
    if (text_length, photo_length) != (TEXT_LENGTH, PHOTO_LENGTH):
        raise BaseInfoError("length", f"text {text_length} and photo {photo_length} bytes; "
                                      f"expected {TEXT_LENGTH} and {PHOTO_LENGTH}")
    if len(payload) != PAYLOAD_LENGTH:
        raise BaseInfoError("length", f"{len(payload)} bytes; expected {PAYLOAD_LENGTH}")
    fields = decode_text(payload[4:4 + TEXT_LENGTH])
    return BaseInfo(card_from_fields(fields), bytes(payload[4 + TEXT_LENGTH:]))


def decode_text(text: bytes) -> dict[str, str]:
    """The 256 text bytes -> field name -> value with the padding trimmed."""
    fields, offset = {}, 0
    for name, width in FIELDS:
        raw = text[offset:offset + width]
        offset += width
        try:
            fields[name] = raw.decode("utf-16-le").rstrip(" \x00")
        except UnicodeDecodeError as exc:
            raise BaseInfoError(name, f"not UCS-2 text ({exc.reason})") from None
    return fields


def card_from_fields(fields: dict[str, str]) -> IdCard:
    for name in ("name", "address", "issuer"):
        if not fields[name]:
            raise BaseInfoError(name, "empty")
    if fields["sex"] not in SEXES:
        raise BaseInfoError("sex", f"{fields['sex']!r} is neither 1 (男) nor 2 (女)")
    try:
        nation = nation_name(fields["nation"])
    except UnknownNation as exc:
        raise BaseInfoError("nation", str(exc)) from None
    birth = _date("birth", fields["birth"])
    valid_from = _date("valid_from", fields["valid_from"])
    valid_to = None if fields["valid_to"] == NO_EXPIRY else _date("valid_to", fields["valid_to"])
    id_number = fields["id_number"]
    if len(id_number) != 18 or not ascii_digits(id_number[:17]) or id_number[17] not in "0123456789X":
        raise BaseInfoError("id_number", f"{len(id_number)} characters; expected 17 digits and 0-9 or X")
    if valid_from < birth:
        raise BaseInfoError("valid_from", "before the birth date")
    if valid_to is not None and valid_to <= valid_from:
        raise BaseInfoError("valid_to", "not after valid_from")
    return IdCard(name=fields["name"], sex=SEXES[fields["sex"]], nation=nation, birth_date=birth,
                  address=fields["address"], id_number=id_number, issuer=fields["issuer"],
                  valid_from=valid_from, valid_to=valid_to)


def _date(name: str, value: str) -> date:
    if len(value) != 8 or not ascii_digits(value):
        raise BaseInfoError(name, f"{value!r} is not YYYYMMDD")
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        raise BaseInfoError(name, f"{value!r} is not a date") from None


# -- GB 11643 -----------------------------------------------------------------------------------


def check_character(first17: str) -> str:
    """The GB 11643 (ISO 7064 MOD 11-2) check character of 17 digits."""
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def id_number_problem(id_number: str, birth_date: date) -> str | None:
    """None when ``id_number`` passes GB 11643 and carries ``birth_date``; else "format",
    "check_digit", "birth_date" (not a real date) or "birth_mismatch"."""
    if len(id_number) != 18 or not ascii_digits(id_number[:17]) or id_number[17] not in "0123456789Xx":
        return "format"
    if check_character(id_number[:17]) != id_number[17].upper():
        return "check_digit"
    try:
        born = date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return "birth_date"
    return None if born == birth_date else "birth_mismatch"
