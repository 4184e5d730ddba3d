"""A form typed on the on-screen numeric keypad: the fields on the left, each with "clear all" beside it and
the error under it (where the eyes are); the keypad on the right with one "delete" key and OK (where the
fingers are). A text field (an address, a name) is typed on the pinyin keyboard instead, under the fields,
with its own OK. A code of digits and capital letters (``alnum``: a credit code) is typed on the code keyboard
there instead. A physical keypad types into it too (``type_key``)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpacerItem, QVBoxLayout

from kiosk.engine.screens import FormField, Input, InputKind, ScreenKind, ScreenModel
from kiosk.ui.code_keyboard import CodeKeyboard
from kiosk.ui.keypad import NumericKeypad, apply_key, display
from kiosk.ui.pinyin_keyboard import PinyinKeyboard
from kiosk.ui.screens.base import Screen
from kiosk.ui.text import ui_text
from kiosk.ui.widgets import MessageLine, button, clear_layout, label, set_flag

KEYBOARDS = ("text", "alnum")  # inputs typed on a keyboard under the fields, not on the keypad


class FieldError(MessageLine):
    """The model's error under the field it is about: "!" icon and words on the error colours."""

    def __init__(self) -> None:
        super().__init__("ErrorLine", "warning")
        self.setObjectName("FieldError")


class FormScreen(Screen):
    kind = ScreenKind.FORM
    action_choices = False
    shows_error = True  # at the field, not on the window's error line

    def build(self) -> None:
        self.values: dict[str, str] = {}
        self.active: str | None = None
        self._fields: tuple[FormField, ...] = ()
        self._boxes: dict[str, QPushButton] = {}
        self._clears: dict[str, QPushButton] = {}
        self._labels: dict[str, QLabel] = {}
        self._hints: dict[str, QLabel] = {}
        self._errors: dict[str, FieldError] = {}
        self._form_key: tuple[str | None, str, tuple[FormField, ...]] | None = None
        self._gaps: list[QSpacerItem] = []  # the room under each keypad field
        row = QHBoxLayout()
        row.setSpacing(60)
        self._column = QVBoxLayout()
        self._column.setSpacing(12)
        left = QVBoxLayout()
        left.addLayout(self._column)
        left.addStretch(1)
        row.addLayout(left, 3)
        self.keypad = NumericKeypad()
        self.keypad.key.connect(self._key)
        self.submit = self.keypad.submit  # OK sits on the keypad
        self.submit.clicked.connect(self._submit)
        row.addWidget(self.keypad, 2)
        self.error_text = ""
        self.body.addLayout(row, 1)
        self.keyboard = PinyinKeyboard()
        self.keyboard.text.connect(self._text)
        self.keyboard.key.connect(self._key)
        self.keyboard.submit.connect(self._submit)
        self.keyboard.hide()
        self.body.addWidget(self.keyboard)
        self.codes = CodeKeyboard()
        self.codes.text.connect(self._text)
        self.codes.key.connect(self._key)
        self.codes.submit.connect(self._submit)
        self.codes.hide()
        self.body.addWidget(self.codes)

    def render_body(self, model: ScreenModel) -> None:
        key = (model.session_id, model.step, model.fields)
        if key != self._form_key:
            self._form_key = key
            self._fields = model.fields
            self.values = {f.name: f.value for f in model.fields}
            self.active = model.fields[0].name if model.fields else None
            self._build_fields()
            self.keyboard.reset()
        if any(f.input in KEYBOARDS for f in model.fields):  # room for the keyboard: the voice reads the prompt
            self.prompt.hide()
        self.keyboard.set_language(model.lang)
        self.codes.set_language(model.lang)
        self.keypad.set_language(model.lang)
        self.error_text = model.error or ""
        self._refresh()

    def forget(self) -> None:
        self.values, self.active, self._fields, self._form_key, self.error_text = {}, None, (), None, ""
        self.keyboard.reset()
        self._build_fields()

    def _build_fields(self) -> None:
        clear_layout(self._column)
        self._boxes, self._clears, self._errors, self._labels, self._hints = {}, {}, {}, {}, {}
        self._gaps = []
        for f in self._fields:
            self._labels[f.name] = label(f.label, "FieldLabel")
            self._column.addWidget(self._labels[f.name])
            line = QHBoxLayout()
            line.setSpacing(self.px(24))
            box = button("", f"field-{f.name}", "field")
            box.clicked.connect(lambda _=False, name=f.name: self._activate(name))
            self._boxes[f.name] = box
            clear = button("", "key-clear")  # apart from the keypad's "delete"
            clear.clicked.connect(lambda _=False, name=f.name: self._clear(name))
            self._clears[f.name] = clear
            line.addWidget(box, 1)
            line.addWidget(clear)
            self._column.addLayout(line)
            error = FieldError()
            self._errors[f.name] = error
            self._column.addWidget(error)
            hint = label(f.hint, "FieldHint")
            self._hints[f.name] = hint
            self._column.addWidget(hint)
            if f.input not in KEYBOARDS:  # room under a keypad field; none while a keyboard is up (see _refresh)
                gap = QSpacerItem(0, self.px(24))
                self._gaps.append(gap)
                self._column.addItem(gap)

    def type_key(self, key: str) -> None:
        """A physical keypad types as the on-screen keypad does."""
        self._key(key)

    def _activate(self, name: str) -> None:
        self.active = name
        self.keyboard.reset()
        self._refresh()

    def _typing_text(self) -> bool:
        """The active field takes text: the pinyin keyboard (with its own OK) shows instead of the keypad."""
        return self._typing("text")

    def _typing(self, kind: str) -> bool:
        return any(f.name == self.active and f.input == kind for f in self._fields)

    def _typed(self, name: str, value: str) -> None:
        self.values[name] = value
        self.active = name
        self._refresh()

    def _key(self, key: str) -> None:
        field = next((f for f in self._fields if f.name == self.active), None)
        if field is None or field.input == "text":
            return
        value = self.values.get(field.name, "")
        if field.input == "text" and key in ("delete", "clear"):
            self.values[field.name] = value[:-1] if key == "delete" else ""
        else:
            self.values[field.name] = apply_key(value, key, field.max_length)
        self._refresh()

    def _text(self, text: str) -> None:
        """Text committed on the pinyin keyboard, or a character on the code keyboard, into the active field
        that takes it (up to its length)."""
        field = next((f for f in self._fields if f.name == self.active), None)
        if field is None or field.input not in KEYBOARDS:
            return
        value = self.values.get(field.name, "")
        self.values[field.name] = (value + text)[:field.max_length]
        self._refresh()

    def _clear(self, name: str) -> None:
        self.active = name
        self._key("clear")

    def _refresh(self) -> None:
        lang = self.model.lang if self.model is not None else "zh_CN"
        at = self.active if self.active in self._errors else next(iter(self._errors), None)
        for f in self._fields:
            box = self._boxes[f.name]
            value = self.values.get(f.name, "")
            box.setText(display(value, f.input))
            set_flag(box, "active", "true" if f.name == self.active else "false")
            self._clears[f.name].setText(ui_text(lang, "button.clear_all"))
            self._clears[f.name].setEnabled(bool(value))
            self._errors[f.name].show_text(self.error_text if f.name == at else "", self.scale)
        self.submit.setEnabled(self.complete())
        self.keyboard.ok.setEnabled(self.complete())
        self.codes.ok.setEnabled(self.complete())
        pinyin, code = self._typing_text(), self._typing("alnum")
        text = pinyin or code  # a keyboard takes the room under the fields
        self.keypad.setVisible(not text)
        self.keyboard.setVisible(pinyin)
        self.codes.setVisible(code)
        for f in self._fields:  # the keyboard takes the room: only the fields' boxes stay (tap one to switch)
            self._labels[f.name].setVisible(not text)
            # the code keyboard leaves room for the hint, unless an error takes it (elderly mode's larger type)
            self._hints[f.name].setVisible(bool(f.hint) and not pinyin and not (code and self.error_text))
            self._clears[f.name].setVisible(not text or f.name == self.active)
        for gap in self._gaps:
            gap.changeSize(0, 0 if text else self.px(24))
        self._column.setSpacing(6 if text else 12)
        self.body.setSpacing(6 if text else 20)  # the keyboard's four rows of keys fit under two fields, in elderly mode too

    def complete(self) -> bool:
        return all(len(self.values.get(f.name, "")) >= max(1, f.min_length) for f in self._fields)

    def _submit(self) -> None:
        if self.complete():
            self.send(Input(InputKind.SUBMIT, values=dict(self.values)))
