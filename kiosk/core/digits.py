"""Digits as a bank means them: the ten ASCII characters 0-9 and nothing else.

``str.isdigit()`` is true for full-width digits (１), superscripts (²), Arabic-Indic digits (٣) and more,
and ``int()`` reads several of those; an ID number, a PIN, a phone number or an amount typed or read with
them must be refused as a format error, not crash later or pass a check it should fail.
"""

from __future__ import annotations


def ascii_digits(text: str) -> bool:
    """True when ``text`` is one or more of the characters 0-9."""
    return text.isascii() and text.isdigit()
