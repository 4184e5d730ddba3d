"""Masking of personal data for logs, the journal, receipts and command output.

ID numbers and PANs keep the first 6 and last 4 characters, one ``*`` per hidden character;
names keep the surname. PINs, PIN blocks, track data and face images are never shown at all:
callers drop them, and :func:`scrub` removes any that slip into a structure bound for disk.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

# Two-character Chinese surnames (复姓) that must stay whole when a name is masked.
_COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 令狐 夏侯 轩辕 端木 独孤 南宫 西门 百里".split()
)

WITHHELD = "[withheld]"

# Keys whose values are never written anywhere, not even masked. A key that ends in one of
# these after an underscore ("new_pin", "old_pin_block", "customer_photo") is withheld too.
SECRET_KEYS = frozenset(
    {"pin", "pin_block", "pin_block_confirm", "track1", "track_1", "track2", "track_2", "track3",
     "track_3", "track_data", "cvv", "cvv2", "cvn", "cvn2", "face_image", "photo", "id_photo", "frame",
     "encoding", "sms_code", "otp", "password", "passcode", "working_key"}
)
# A text or bytes value under a key with one of these words anywhere ("pin_block_hex") is withheld.
_SECRET_WORDS = frozenset({"pin", "pinblock", "track1", "track2", "track3", "cvv", "cvv2", "password"})
_SECRET_KEY = re.compile(r"(?:^|_)(?:" + "|".join(sorted(SECRET_KEYS, key=len, reverse=True)) + ")$")

# Keys whose values are masked as ID numbers / card numbers / names / phone numbers.
ID_KEYS = frozenset({"id_number", "guardian_id_number", "id_no", "id_card_number", "cert_no"})
PAN_KEYS = frozenset({"pan", "card_number", "card_no", "new_card_pan", "account_number", "account_no"})
NAME_KEYS = frozenset({"name", "holder_name", "customer_name", "guardian_name"})
PHONE_KEYS = frozenset({"mobile", "phone", "mobile_number", "phone_number"})
ADDRESS_KEYS = frozenset({"address"})
_NUMBER_KEYS = ID_KEYS | PAN_KEYS | PHONE_KEYS

_EDGE = r"(?<![0-9A-Za-z]){}(?![0-9A-Za-z])"
# Track 2 data (PAN, '=' or 'D', expiry, service code, discretionary data): withheld whole.
_TRACK2_IN_TEXT = re.compile(_EDGE.format(r";?\d{12,19}[=Dd]\d{4,}[Ff]?\??"))
# A card or ID number written in groups: '6228 4804 0256 4890 018', '110105 19491231 002X'.
_GROUPED_IN_TEXT = re.compile(
    _EDGE.format(r"(?:\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?|\d{6}([ -])\d{8}\2\d{3}[\dXx])")
)
# An 18-character resident ID number, or a card/account number of 12 digits or more.
_ID_IN_TEXT = re.compile(_EDGE.format(r"\d{17}[\dXx]"))
_PAN_IN_TEXT = re.compile(_EDGE.format(r"\d{12,}"))
# A mainland mobile number.
_MOBILE_IN_TEXT = re.compile(_EDGE.format(r"1[3-9]\d{9}"))
# Integers this long can only be card or account numbers in the kiosk's data.
_LONG_NUMBER = 10**11


def mask_middle(value: str, keep_start: int = 6, keep_end: int = 4) -> str:
    value = value.strip()
    if len(value) <= keep_start + keep_end:
        # Too short to show both ends: keep only the last characters.
        keep = min(keep_end, max(len(value) - 1, 0))
        return "*" * (len(value) - keep) + value[len(value) - keep:]
    hidden = len(value) - keep_start - keep_end
    return value[:keep_start] + "*" * hidden + value[-keep_end:]


def mask_id_number(id_number: str) -> str:
    """'11010519491231002X' -> '110105********002X'."""
    return mask_middle(id_number)


def mask_pan(pan: str) -> str:
    """'6228480402564890018' -> '622848*********0018' (spaces and dashes between groups dropped)."""
    return mask_middle(re.sub(r"[\s-]", "", pan))


def mask_phone(mobile: str) -> str:
    """'13812345678' -> '138****5678'."""
    return mask_middle(mobile, keep_start=3, keep_end=4)


def mask_name(name: str) -> str:
    """Keep the surname: '张三丰' -> '张**', '欧阳修' -> '欧阳*', 'Zhang San' -> 'Zhang ***'."""
    name = name.strip()
    if not name:
        return name
    if " " in name:  # Latin names, surname first as on the ID card
        surname, rest = name.split(" ", 1)
        return surname + " " + "*" * len(rest.replace(" ", ""))
    keep = 2 if name[:2] in _COMPOUND_SURNAMES and len(name) > 2 else 1
    return name[:keep] + "*" * (len(name) - keep)


def mask_text(text: str) -> str:
    """Mask ID numbers, card numbers and mobile numbers inside free text; drop track data."""
    text = _TRACK2_IN_TEXT.sub(WITHHELD, text)
    text = _GROUPED_IN_TEXT.sub(lambda m: mask_pan(m.group(0)), text)
    text = _ID_IN_TEXT.sub(lambda m: mask_id_number(m.group(0)), text)
    text = _PAN_IN_TEXT.sub(lambda m: mask_pan(m.group(0)), text)
    return _MOBILE_IN_TEXT.sub(lambda m: mask_phone(m.group(0)), text)


def _normal_key(key: str) -> str:
    """'pinBlock', 'PIN-Block', 'PINBlock' and 'pin_block' are the same key."""
    key = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", key)
    key = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", key)
    return re.sub(r"[\s.-]+", "_", key).lower()


def _is_secret(key: str, value: Any) -> bool:
    if _SECRET_KEY.search(key):
        return True
    text_like = isinstance(value, str | bytes | bytearray | memoryview)
    return text_like and not _SECRET_WORDS.isdisjoint(key.split("_"))


def _mask_personal(key: str, value: str) -> str | None:
    """The masked value when ``key`` names personal data, else None."""
    if key in ID_KEYS:
        return mask_id_number(value)
    if key in PAN_KEYS:
        return mask_pan(value)
    if key in NAME_KEYS:
        return mask_name(value)
    if key in PHONE_KEYS:
        return mask_phone(value)
    if key in ADDRESS_KEYS:
        return value[:6] + "***" if len(value) > 6 else "***"
    return None


def _scrub_keyed(key: str, value: Any) -> Any:
    normal = _normal_key(key)
    if _is_secret(normal, value):
        return WITHHELD
    if isinstance(value, int) and not isinstance(value, bool) and normal in _NUMBER_KEYS:
        value = str(value)  # a card, ID or phone number held as an int
    if isinstance(value, str):
        masked = _mask_personal(normal, value)
        if masked is not None:
            return masked
    return scrub(value)


def scrub(value: Any, key: str | None = None) -> Any:
    """Return a copy of ``value`` fit for disk: secrets removed, personal data masked.

    Dicts and dataclasses are walked by key (keys compared case- and style-insensitively);
    lists, tuples and sets element by element; strings have any ID, card or mobile number
    inside them masked and track data removed; integers of 12 digits or more are masked as
    card numbers; bytes are never written (they could be a PIN block).
    """
    if key is not None:
        return _scrub_keyed(key, value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): scrub(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [scrub(v) for v in value]
    if isinstance(value, bytes | bytearray | memoryview):
        return WITHHELD
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= _LONG_NUMBER:
        return mask_text(str(value))
    return value
