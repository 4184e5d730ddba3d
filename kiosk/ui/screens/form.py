"""A form typed on the on-screen numeric keypad: the fields and OK on the left, the keypad on the right.
A physical keypad types into it too (``type_key``). A ``text`` field (a payee's name) is a line edit
written with the system's input method (pinyin or handwriting on a kiosk); the keypad does not type into it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout

from kiosk.engine.screens import FormField, Input, InputKind, ScreenKind, ScreenModel
from kiosk.ui.keypad import NumericKeypad, apply_key, display
from kiosk.ui.screens.base import Screen
from kiosk.ui.text import ui_text
from kiosk.ui.widgets import button, clear_layout, label, set_flag


class FormScreen(Screen):
    kind = ScreenKind.FORM
    action_choices = False

    def build(self) -> None:
        self.values: dict[str, str] = {}
        self.active: str | None = None
        self._fields: tuple[FormField, ...] = ()
        self._boxes: dict[str, QPushButton | QLineEdit] = {}
        self._form_key: tuple[str | None, str, tuple[FormField, ...]] | None = None
        row = QHBoxLayout()
        row.setSpacing(60)
        self._column = QVBoxLayout()
        self._column.setSpacing(12)
        self.submit = button("", "btn-submit", "primary")
        self.submit.clicked.connect(self._submit)
        left = QVBoxLayout()
        left.addLayout(self._column)
        left.addWidget(self.submit, 0, Qt.AlignmentFlag.AlignLeft)  # OK beside the keypad, under the fields
        left.addStretch(1)
        row.addLayout(left, 3)
        self.keypad = NumericKeypad()
        self.keypad.key.connect(self._key)
        row.addWidget(self.keypad, 2)
        self.body.addLayout(row, 1)

    def render_body(self, model: ScreenModel) -> None:
        key = (model.session_id, model.step, model.fields)
        if key != self._form_key:
            self._form_key = key
            self._fields = model.fields
            self.values = {f.name: f.value for f in model.fields}
            self.active = model.fields[0].name if model.fields else None
            self._build_fields()
        self.keypad.set_language(model.lang)
        self.submit.setText(ui_text(model.lang, "button.ok"))
        self.submit.setMinimumWidth(self.px(320))
        self._refresh()

    def forget(self) -> None:
        self.values, self.active, self._fields, self._form_key = {}, None, (), None
        self._build_fields()

    def _build_fields(self) -> None:
        clear_layout(self._column)
        self._boxes = {}
        for f in self._fields:
            self._column.addWidget(label(f.label, "FieldLabel"))
            box: QPushButton | QLineEdit
            if f.input == "text":
                box = QLineEdit()
                box.setObjectName(f"field-{f.name}")
                box.setProperty("role", "field")
                box.setMaxLength(f.max_length)
                box.textEdited.connect(lambda value, name=f.name: self._typed(name, value))
            else:
                box = button("", f"field-{f.name}", "field")
                box.clicked.connect(lambda _=False, name=f.name: self._activate(name))
            self._boxes[f.name] = box
            self._column.addWidget(box)
            hint = label(f.hint, "FieldHint")
            hint.setVisible(bool(f.hint))
            self._column.addWidget(hint)
            self._column.addSpacing(self.px(24))

    def type_key(self, key: str) -> None:
        """A physical keypad types as the on-screen keypad does."""
        self._key(key)

    def _activate(self, name: str) -> None:
        self.active = name
        self._refresh()

    def _typed(self, name: str, value: str) -> None:
        self.values[name] = value
        self.active = name
        self._refresh()

    def _key(self, key: str) -> None:
        field = next((f for f in self._fields if f.name == self.active), None)
        if field is None or field.input == "text":
            return
        self.values[field.name] = apply_key(self.values.get(field.name, ""), key, field.max_length)
        self._refresh()

    def _refresh(self) -> None:
        for f in self._fields:
            box = self._boxes[f.name]
            shown = display(self.values.get(f.name, ""), f.input)
            if box.text() != shown:
                box.setText(shown)
            set_flag(box, "active", "true" if f.name == self.active else "false")
        self.submit.setEnabled(self.complete())

    def complete(self) -> bool:
        return all(len(self.values.get(f.name, "")) >= max(1, f.min_length) for f in self._fields)

    def _submit(self) -> None:
        if self.complete():
            self.send(Input(InputKind.SUBMIT, values=dict(self.values)))
