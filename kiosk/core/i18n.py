"""Message catalogs. Every word a customer sees or hears comes from assets/i18n/<lang>.json."""

from __future__ import annotations

import json
import string
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES = ("zh_CN", "en_US")
CATALOG_DIR = Path(__file__).resolve().parents[2] / "assets" / "i18n"


class MissingText(KeyError):
    """A key that a catalog does not have: a bug, never shown to a customer as a raw key."""


@cache
def catalog(lang: str) -> dict[str, str]:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; allowed: {', '.join(LANGUAGES)}")
    with open(CATALOG_DIR / f"{lang}.json", encoding="utf-8") as fh:
        data: dict[str, str] = json.load(fh)
    return data


def text(lang: str, key: str, **params: Any) -> str:
    """The catalog text for ``key`` with ``{name}`` placeholders filled in."""
    try:
        template = catalog(lang)[key]
    except KeyError:
        raise MissingText(f"{lang}: no text for {key!r}") from None
    if not params:
        return template
    return string.Formatter().vformat(template, (), params)


def has_text(lang: str, key: str) -> bool:
    return key in catalog(lang)
