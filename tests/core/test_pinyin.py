"""The initials table behind the home screen's search (kiosk/core/pinyin.py)."""

from __future__ import annotations

from kiosk.core import i18n, pinyin


def test_every_flow_title_has_its_initials() -> None:
    """A new flow title needs `python scripts/pinyin_table.py` (with pypinyin installed) once."""
    titles = [text for key, text in i18n.catalog("zh_CN").items()
              if key.startswith("flow.") and key.endswith(".title") and key.count(".") == 2]
    assert titles
    missing = [t for t in titles if not pinyin.initials(t)]
    assert missing == [], "run scripts/pinyin_table.py"


def test_initials_read_words_in_context() -> None:
    assert pinyin.initials("银行卡挂失") == "YHKGS"  # 行 as in 银行, not xing
    assert pinyin.initials("重置密码") == "CZMM"  # 重 as in 重新, chong


def test_english_initials_leave_small_words_out() -> None:
    assert pinyin.word_initials("Report a lost card") == "RLC"
    assert pinyin.word_initials("Open an account with a debit card") == "OADC"


def test_typed_letters_match_anywhere_in_the_initials() -> None:
    assert pinyin.matches("gs", ("YHKGS", "RLC"))
    assert pinyin.matches("RLC", ("YHKGS", "RLC"))
    assert not pinyin.matches("", ("YHKGS",))
    assert not pinyin.matches("ZZ", ("YHKGS", "RLC"))
