"""Every word on a screen is from the catalogs (zh_CN, en_US) or is data of the screen's model.

The rule (docs/accessibility.md): a visible text of a label or button is allowed when it is
- a catalog text of the model's language, a ``{placeholder}`` matching any text, or
- data the model carries: a choice (accounts, bills, cards from the host), a row's value (names, amounts,
  masked numbers, references), what the customer typed (as the field shows it), or
- a number (keypad keys, countdowns), or the bank's configured name.
The real flows' screens are checked in every flow test as they go (tests/ui/conftest.py, ``Customer``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.engine.screens import ScreenKind, ScreenModel
from kiosk.ui.preview import offering_elderly, preview_window, sample_model

from . import a11y

BANK = "示范银行"


@pytest.fixture
def window(qtbot: Any) -> Iterator[Any]:
    made: list[Any] = []

    def open_(model: ScreenModel) -> Any:
        w = preview_window(model, bank_name=BANK)
        made.append(w)
        w.show()
        qtbot.waitExposed(w)
        QApplication.processEvents()
        return w

    yield open_
    for w in made:
        w.close()
        w.deleteLater()


@pytest.mark.parametrize("elderly", [False, True])
@pytest.mark.parametrize("lang", ["zh_CN", "en_US"])
@pytest.mark.parametrize("kind", list(ScreenKind))
def test_every_screen_shows_only_catalog_text_or_model_data(window: Any, kind: ScreenKind, lang: str,
                                                            elderly: bool) -> None:
    model = sample_model(kind, lang, elderly=elderly)
    if kind not in (ScreenKind.HOME, ScreenKind.OUT_OF_SERVICE) and not elderly:
        model = offering_elderly(model)
    w = window(model)
    assert a11y.foreign_texts(w, model, BANK) == []


@pytest.mark.parametrize("lang", ["zh_CN", "en_US"])
def test_a_word_not_in_the_catalog_is_caught(window: Any, lang: str) -> None:
    model = sample_model(ScreenKind.CONFIRM, lang)
    w = window(model)
    w.footer.help.setText("Help!")
    w.current_screen().title.setText(model.title + " ")
    assert sorted(a11y.foreign_texts(w, model, BANK)) == sorted(["btn-help: 'Help!'", f"ScreenTitle: {model.title + ' '!r}"])


def test_the_other_language_is_foreign_too(window: Any) -> None:
    model = sample_model(ScreenKind.RESULT, "zh_CN")
    w = window(model)
    w.current_screen().words.setText("Completed")  # the English catalog's words on a Chinese screen
    assert a11y.foreign_texts(w, model, BANK) == ["OutcomeWords: 'Completed'"]


def test_placeholders_match_any_data_but_not_other_words() -> None:
    assert a11y.from_catalog("en_US", "Step 3 of 11")
    assert a11y.from_catalog("zh_CN", "请先听完提醒（4秒）")
    assert not a11y.from_catalog("en_US", "Step 3 from 11")
    assert not a11y.from_catalog("zh_CN", "Step 3 of 11")
