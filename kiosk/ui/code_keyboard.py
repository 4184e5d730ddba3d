"""The on-screen keyboard for codes of digits and capital letters (a unified social credit code, a
reference): the digits on top, the letters below on the QWERTY layout, delete and OK ("clear all" is beside the
field, as on the keypad's forms). Every key commits its character at once (no composing, nothing to choose). Keys are
touch buttons of one width (role "key", named ``code-<char>``, ``code-delete``); OK is ``btn-submit``, as on the
keypad, so tests type on it as a customer does.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QWidget

from kiosk.ui.text import ui_text
from kiosk.ui.widgets import button

ROWS = ("1234567890", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM")


class CodeKeyboard(QWidget):
    text = Signal(str)  # a character typed
    key = Signal(str)  # "delete"
    submit = Signal()  # OK: the form is done

    def __init__(self, lang: str = "zh_CN", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CodeKeyboard")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        for r, row in enumerate(ROWS):
            for c, char in enumerate(row):
                b = button(char, f"code-{char}", "key")
                b.setProperty("keycap", True)
                b.clicked.connect(lambda _=False, ch=char: self.text.emit(ch))
                grid.addWidget(b, r, c)
        self._delete = self._word("code-delete", lambda: self.key.emit("delete"))
        self.ok = button("", "btn-submit", "primary")
        self.ok.clicked.connect(lambda _=False: self.submit.emit())
        grid.addWidget(self._delete, 2, 9)
        grid.addWidget(self.ok, 3, 7, 1, 3)
        for column in range(len(ROWS[0])):
            grid.setColumnStretch(column, 1)
        self.set_language(lang)

    def _word(self, name: str, on_click: object) -> QPushButton:
        b = button("", name, "key")
        b.setProperty("word", "true")
        b.clicked.connect(lambda _=False: on_click())  # type: ignore[operator]
        return b

    def set_language(self, lang: str) -> None:
        self._delete.setText(ui_text(lang, "button.delete"))
        self.ok.setText(ui_text(lang, "button.ok"))
