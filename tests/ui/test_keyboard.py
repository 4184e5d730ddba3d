"""The physical keypad on every screen kind: Tab and the arrows move the focus across every actionable
widget (and wrap), Enter activates the focused one, Esc cancels (or goes back), digits type into forms
and nowhere else. A touch never leaves a focus ring."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QHBoxLayout, QPushButton, QWidget

from kiosk.engine.screens import Input, InputKind, ScreenKind, ScreenModel
from kiosk.ui.preview import offering_elderly, preview_window, sample_model

Key = Qt.Key


@pytest.fixture
def window(qtbot: Any) -> Iterator[Any]:
    made: list[Any] = []

    def open_(model: ScreenModel) -> Any:
        w = preview_window(model)
        made.append(w)
        w.show()
        qtbot.waitExposed(w)
        w.activateWindow()
        qtbot.waitActive(w)
        QApplication.processEvents()
        w.sent = []
        w.intent.connect(w.sent.append)
        return w

    yield open_
    for w in made:
        w.close()
        w.deleteLater()


def press(w: Any, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> Any:
    """A key from the keypad goes where the focus is (the window itself when no button has it)."""
    QTest.keyClick(w.focusWidget() or w, key, modifier)
    QApplication.processEvents()
    return w.focusWidget()


def reachable(w: Any) -> set[QAbstractButton]:
    """Every button a finger could press now."""
    return {b for b in w.findChildren(QAbstractButton) if b.isVisible() and b.isEnabled()}


def models() -> list[Any]:
    out = [pytest.param(sample_model(kind, elderly=elderly), id=f"{kind.value}-{'elderly' if elderly else 'standard'}")
           for kind in ScreenKind for elderly in (False, True)]
    return [*out, pytest.param(offering_elderly(sample_model(ScreenKind.CONFIRM)), id="confirm-offer")]


@pytest.mark.parametrize("model", models())
def test_tab_and_arrows_reach_every_button_once_and_wrap(window: Any, model: ScreenModel) -> None:
    w = window(model)
    order = w.focus_order()
    assert set(order) == reachable(w)
    assert len(order) == len(set(order))
    assert [press(w, Key.Key_Tab) for _ in order] == order
    assert press(w, Key.Key_Tab) is order[0]  # wraps around
    assert press(w, Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier) is order[-1]
    assert press(w, Key.Key_Right) is order[0]
    assert press(w, Key.Key_Down) is order[1 % len(order)]
    assert press(w, Key.Key_Up) is order[0]
    assert press(w, Key.Key_Left) is order[-1]


@pytest.mark.parametrize("model", models())
def test_enter_activates_the_focused_button(window: Any, model: ScreenModel) -> None:
    w = window(model)
    target = press(w, Key.Key_Tab)
    clicks: list[bool] = []
    target.clicked.connect(lambda *_: clicks.append(True))
    press(w, Key.Key_Return)
    assert len(clicks) == 1, f"{target.objectName()} not activated"


def test_enter_on_a_choice_sends_what_a_touch_sends(window: Any) -> None:
    w = window(sample_model(ScreenKind.CONFIRM, elderly=True))
    assert press(w, Key.Key_Tab).objectName() == "choice-confirm"
    press(w, Key.Key_Enter)
    assert [(i.kind, i.choice) for i in w.sent] == [(InputKind.CHOOSE, "confirm")]


@pytest.mark.parametrize(("changes", "expected"), [
    ({"can_cancel": True, "can_back": True}, InputKind.CANCEL),
    ({"can_cancel": False, "can_back": True}, InputKind.BACK),
    ({"can_cancel": False, "can_back": False}, None),
])
def test_escape_cancels_or_goes_back(window: Any, changes: dict[str, bool], expected: InputKind | None) -> None:
    w = window(sample_model(ScreenKind.CHOICE, **changes))
    press(w, Key.Key_Escape)
    assert [i.kind for i in w.sent] == ([expected] if expected else [])


def test_digits_type_into_a_form_and_backspace_deletes(window: Any) -> None:
    w = window(sample_model(ScreenKind.FORM))
    for key in (Key.Key_1, Key.Key_3, Key.Key_9, Key.Key_5, Key.Key_Backspace, Key.Key_1):
        press(w, key)
    assert w.current_screen().values == {"mobile": "1391"}
    assert w.findChild(QAbstractButton, "field-mobile").text() == "139 1"
    press(w, Key.Key_Tab)  # digits still type with a button focused
    press(w, Key.Key_2)
    assert w.current_screen().values == {"mobile": "13912"}


def test_digits_do_nothing_on_the_pin_screen(window: Any) -> None:
    """A PIN goes on the encrypting PIN pad only, never through the kiosk's keyboard."""
    w = window(sample_model(ScreenKind.PIN_ENTRY))
    for key in (Key.Key_1, Key.Key_2, Key.Key_Backspace):
        press(w, key)
    assert w.sent == []
    assert w.current_screen().dots.digits() == 4


def test_a_touch_leaves_no_focus_ring(window: Any, qtbot: Any) -> None:
    w = window(sample_model(ScreenKind.CHOICE))
    assert not isinstance(w.focusWidget(), QAbstractButton)  # opening focuses no button either
    qtbot.mouseClick(w.findChild(QAbstractButton, "choice-b1"), Qt.MouseButton.LeftButton)
    assert not isinstance(w.focusWidget(), QAbstractButton)
    assert w.sent[-1] == Input(InputKind.CHOOSE, "b1")


def test_the_focus_follows_to_the_next_screen_and_is_dropped_when_the_session_ends(window: Any, qtbot: Any) -> None:
    w = window(sample_model(ScreenKind.CHOICE))
    press(w, Key.Key_Tab)
    w.show_model(sample_model(ScreenKind.CONFIRM))
    qtbot.waitUntil(lambda: w.focusWidget() is w.focus_order()[0])
    assert w.focusWidget().objectName() == "choice-confirm"
    w.show_model(sample_model(ScreenKind.HOME))  # session_id None: the customer is done
    assert not isinstance(w.focusWidget(), QAbstractButton)
    assert not w.keyboard


def test_the_timeout_warning_takes_the_keys_while_it_shows(window: Any) -> None:
    w = window(replace(sample_model(ScreenKind.FORM), warning_s_left=9))
    assert w.focus_order() == [w.overlay.extend]
    press(w, Key.Key_1)  # the form behind does not type
    assert w.current_screen().values == {"mobile": ""}
    assert press(w, Key.Key_Tab) is w.overlay.extend
    press(w, Key.Key_Return)
    assert [i.kind for i in w.sent] == [InputKind.EXTEND]


def test_a_layer_over_the_window_keeps_its_own_keys(window: Any) -> None:
    """Something layered over the customer's window (staff mode) keeps Qt's own Tab order, and its
    keys never type into the customer's form underneath."""
    w = window(sample_model(ScreenKind.FORM))
    layer = QWidget(w)
    first, second = QPushButton("1", layer), QPushButton("2", layer)
    QHBoxLayout(layer).addWidget(first)
    layer.layout().addWidget(second)
    layer.show()
    first.setFocus()
    assert press(w, Key.Key_Tab) is second
    press(w, Key.Key_1)
    press(w, Key.Key_Escape)
    assert w.current_screen().values == {"mobile": ""}
    assert w.sent == []


class FocusVoice:
    """The voice bar's controls, recording what a focus move asks to be said."""

    enabled, volume = True, 1.0

    def __init__(self) -> None:
        self.items: list[str] = []

    def set_enabled(self, on: bool) -> None: ...

    def repeat(self) -> None: ...

    def set_volume(self, volume: float) -> None: ...

    def speak_item(self, text: str) -> None:
        self.items.append(text)


def test_a_key_moving_the_focus_has_the_focused_item_spoken(window: Any) -> None:
    w = window(sample_model(ScreenKind.CHOICE, elderly=True))
    voice = FocusVoice()
    w.set_voice(voice)
    first = press(w, Key.Key_Tab)
    second = press(w, Key.Key_Right)
    assert voice.items == [first.text(), second.text()]


@pytest.mark.parametrize("elderly", [False, True], ids=["standard", "elderly"])
def test_the_pinyin_keyboard_fits_whole_under_two_fields(window: Any, elderly: bool) -> None:
    """A number field and a name typed in pinyin (a transfer's new payee): every key of the keyboard is
    inside it and the keyboard inside the screen, none squeezed below the touch size or cut off."""
    from kiosk.engine.screens import FormField
    from kiosk.ui.pinyin_keyboard import PinyinKeyboard
    from kiosk.ui.theme import TOUCH

    fields = (FormField("account", "收款账号", "digits", value="6217000010012345678"),
              FormField("name", "收款人户名", "text", value="孙丽"))
    w = window(sample_model(ScreenKind.FORM, fields=fields, elderly=elderly))
    w.findChild(QPushButton, "field-name").click()
    QApplication.processEvents()
    board = w.findChild(PinyinKeyboard)
    assert board.isVisible()
    assert board.height() >= board.minimumSizeHint().height()
    bottom = board.mapTo(w, board.rect().bottomRight())
    assert bottom.y() < w.height()
    assert bottom.x() < w.width()
    keys = [b for b in board.findChildren(QPushButton) if b.isVisible()]
    assert len(keys) >= 30
    for key in keys:
        assert board.rect().contains(key.geometry()), key.objectName()
        assert key.height() >= TOUCH, key.objectName()
        assert key.width() >= TOUCH, key.objectName()
