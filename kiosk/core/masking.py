"""Masking of personal data for logs, the journal, receipts and command output.

ID numbers and PANs keep the first 6 and last 4 characters, one ``*`` per hidden character;
names keep the surname. PINs, PIN blocks, track data and face images are never shown at all:
callers drop them, and :func:`scrub` removes any that slip into a structure bound for disk.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# Two-character Chinese surnames (复姓) that must stay whole when a name is masked.
_COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 令狐 夏侯 轩辕 端木 独孤 南宫 西门 百里".split()
)

# Keys whose values are never written anywhere, not even masked.
SECRET_KEYS = frozenset(
    {"pin", "pin_block", "pin_block_confirm", "track2", "track_2", "track_data", "face_image",
     "photo", "id_photo", "frame", "encoding", "sms_code", "password", "working_key"}
)
# Keys whose values are masked as ID numbers / card numbers / names / phone numbers.
ID_KEYS = frozenset({"id_number", "guardian_id_number"})
PAN_KEYS = frozenset({"pan", "card_number", "new_card_pan", "account_number", "account_no"})
NAME_KEYS = frozenset({"name", "holder_name", "customer_name", "guardian_name"})
PHONE_KEYS = frozenset({"mobile", "phone"})
ADDRESS_KEYS = frozenset({"address"})

# An 18-character resident ID number, or a 12-19 digit card/account number, inside free text.
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_PAN_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])\d{12,19}(?![0-9A-Za-z])")


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
    """'6228480402564890018' -> '622848*********0018'."""
    return mask_middle(pan.replace(" ", ""))


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
    """Mask ID numbers and card numbers that appear inside free text."""
    text = _ID_IN_TEXT.sub(lambda m: mask_id_number(m.group(0)), text)
    return _PAN_IN_TEXT.sub(lambda m: mask_pan(m.group(0)), text)


def scrub(value: Any, key: str | None = None) -> Any:
    """Return a copy of ``value`` fit for disk: secrets removed, personal data masked.

    Dicts are walked by key; lists and tuples element by element; strings have any ID or
    card number inside them masked; bytes are never written (they could be a PIN block).
    """
    if key is not None:
        lowered = key.lower()
        if lowered in SECRET_KEYS:
            return "[withheld]"
        if isinstance(value, str):
            if lowered in ID_KEYS:
                return mask_id_number(value)
            if lowered in PAN_KEYS:
                return mask_pan(value)
            if lowered in NAME_KEYS:
                return mask_name(value)
            if lowered in PHONE_KEYS:
                return mask_phone(value)
            if lowered in ADDRESS_KEYS:
                return value[:6] + "***" if len(value) > 6 else "***"
    if isinstance(value, Mapping):
        return {str(k): scrub(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [scrub(v) for v in value]
    if isinstance(value, bytes | bytearray | memoryview):
        return "[withheld]"
    if isinstance(value, str):
        return mask_text(value)
    return value
