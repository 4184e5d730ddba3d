"""The two message catalogs (assets/i18n) hold the same keys with the same placeholders, sorted."""

from __future__ import annotations

import json
import string

import pytest

from kiosk.core import i18n


def placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


def test_every_key_is_in_both_catalogs() -> None:
    zh, en = (set(i18n.catalog(lang)) for lang in ("zh_CN", "en_US"))
    assert sorted(zh - en) == [], "keys only in zh_CN.json"
    assert sorted(en - zh) == [], "keys only in en_US.json"


def test_a_key_has_the_same_placeholders_in_both() -> None:
    zh, en = i18n.catalog("zh_CN"), i18n.catalog("en_US")
    differ = {key: (placeholders(zh[key]), placeholders(en[key])) for key in zh.keys() & en.keys()
              if placeholders(zh[key]) != placeholders(en[key])}
    assert differ == {}


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_catalogs_are_sorted_and_have_no_empty_text(lang: str) -> None:
    with open(i18n.CATALOG_DIR / f"{lang}.json", encoding="utf-8") as fh:
        keys = list(json.load(fh))
    assert keys == sorted(keys)
    assert [key for key, value in i18n.catalog(lang).items() if not value.strip()] == []
