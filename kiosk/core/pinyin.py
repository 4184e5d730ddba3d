"""Initials for the home screen's search: "GS" finds 挂失 (gua shi).

The pinyin of each Chinese service title is looked up in a table generated from the catalog's titles
(assets/pinyin/initials.json, written by scripts/pinyin_table.py with pypinyin, which reads words
in context: 银行 is "YH", not "YX"). The kiosk itself does not need pypinyin. A title missing from the
table has no initials (tests/core/test_pinyin.py keeps the table current with the catalog)."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

TABLE = Path(__file__).resolve().parents[2] / "assets" / "pinyin" / "initials.json"
SMALL_WORDS = frozenset({"a", "an", "and", "the", "of", "for", "to", "with", "by", "your", "my", "at", "on", "in"})


@cache
def table() -> dict[str, str]:
    """Chinese title -> its pinyin initials, upper case ("银行卡挂失" -> "YHKGS")."""
    if not TABLE.exists():
        return {}
    with open(TABLE, encoding="utf-8") as fh:
        data: dict[str, str] = json.load(fh)
    return data


def initials(title: str) -> str:
    """The pinyin initials of a Chinese title, or "" when the table does not have it."""
    return table().get(title, "")


def word_initials(title: str) -> str:
    """The initials of an English title's words, small words left out ("Report a lost card" -> "RLC")."""
    words = [w for w in re.findall(r"[A-Za-z0-9]+", title) if w.lower() not in SMALL_WORDS]
    return "".join(w[0] for w in words).upper()


def matches(query: str, keys: tuple[str, ...] | list[str]) -> bool:
    """Whether typed initials ``query`` occur in any of a service's keys ("GS" in "YHKGS")."""
    query = query.strip().upper()
    return bool(query) and any(query in key.upper() for key in keys)
