"""The code keyboard (digits and capitals, for an ``alnum`` field such as a unified social credit code): shown
instead of the keypad, it types its characters up to the field's length, and it fits whole under the field
with an error showing, in both modes and at both screen sizes, no key below the touch size."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QPushButton

from kiosk.engine.screens import FormField, Input, InputKind, ScreenKind
from kiosk.ui.code_keyboard import CodeKeyboard
from kiosk.ui.preview import preview_window, sample_model
from kiosk.ui.theme import TOUCH

FIELD = FormField("credit_code", "统一社会信用代码", "alnum", 1, 18, hint="18位，在营业执照左上方")


@pytest.fixture
def open_form(qtbot: Any) -> Iterator[Any]:
    made: list[Any] = []

    def open_(size: tuple[int, int] = (1920, 1080), **changes: Any) -> Any:
        w = preview_window(sample_model(ScreenKind.FORM, fields=(FIELD,), **changes), size=size)
        made.append(w)
        w.show()
        qtbot.waitExposed(w)
        QApplication.processEvents()
        w.sent = []
        w.intent.connect(w.sent.append)
        return w

    yield open_
    for w in made:
        w.close()
        w.deleteLater()


def click(w: Any, name: str) -> None:
    next(b for b in w.findChildren(QPushButton, name) if b.isVisible()).click()
    QApplication.processEvents()


def test_it_types_capitals_and_digits_up_to_the_length_and_submits(open_form: Any) -> None:
    w = open_form()
    form = w.current_screen()
    assert form.codes.isVisible()
    assert not form.keypad.isVisible()
    for char in "91350100M000100Y43X":  # one more than the field takes
        click(w, f"code-{char}")
    assert form.values["credit_code"] == "91350100M000100Y43"
    click(w, "code-delete")
    click(w, "code-3")
    click(w, "btn-submit")
    assert w.sent[-1] == Input(InputKind.SUBMIT, values={"credit_code": "91350100M000100Y43"})


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 800)], ids=["1920", "1280"])
@pytest.mark.parametrize("elderly", [False, True], ids=["standard", "elderly"])
def test_it_fits_whole_under_the_field_with_an_error(open_form: Any, elderly: bool, size: tuple[int, int]) -> None:
    w = open_form(size, elderly=elderly, lang="en_US", error="The 18th character (check) does not match. Check each one.")
    board = w.findChild(CodeKeyboard)
    assert board.isVisible()
    bottom = board.mapTo(w, board.rect().bottomRight())
    assert bottom.y() < w.height()
    assert bottom.x() < w.width()
    touch = w.current_screen().px(TOUCH)  # the touch size at this screen's scale
    keys = [b for b in board.findChildren(QPushButton) if b.isVisible()]
    assert len(keys) == 38  # 10 digits, 26 letters, delete and OK
    for key in keys:
        assert board.rect().contains(key.geometry()), key.objectName()
        assert key.height() >= touch, key.objectName()
        assert key.width() >= touch, key.objectName()
