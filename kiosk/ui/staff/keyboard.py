"""The staff's on-screen keyboard: digits and letters (staff numbers such as S1001, passwords, reasons).

Emits ``key`` with one character, or "shift", "delete", "clear", "space". Shift switches the letter
keys between lower and upper case (and stays until pressed again, as staff numbers are upper case).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QWidget

from kiosk.ui.text import ui_text
from kiosk.ui.widgets import button, set_flag

ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm")
WORDS = ("shift", "delete", "clear", "space")


class StaffKeyboard(QWidget):
    key = Signal(str)

    def __init__(self, lang: str = "zh_CN", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("StaffKeyboard")
        self.upper = False
        self._letters: list[QPushButton] = []
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(8)
        for r, row in enumerate(ROWS):
            offset = r - 1 if r > 1 else 0  # stagger the lower rows like a real keyboard (in half keys)
            for c, char in enumerate(row):
                b = button(char, f"skey-{char}", "key")
                b.clicked.connect(lambda _=False, ch=char: self._press(ch))
                grid.addWidget(b, r, c * 2 + offset, 1, 2)
                if char.isalpha():
                    self._letters.append(b)
        self._words: dict[str, QPushButton] = {}
        for c, name in enumerate(WORDS):
            b = button("", f"skey-{name}", "key")
            b.clicked.connect(lambda _=False, n=name: self._press(n))
            grid.addWidget(b, len(ROWS), c * 5, 1, 5)
            self._words[name] = b
        self.set_language(lang)

    def set_language(self, lang: str) -> None:
        for name, b in self._words.items():
            b.setText(ui_text(lang, f"staff.ui.key.{name}"))

    def _press(self, key: str) -> None:
        if key == "shift":
            self.upper = not self.upper
            for b in self._letters:
                b.setText(b.text().upper() if self.upper else b.text().lower())
            set_flag(self._words["shift"], "selected", "true" if self.upper else "false")
            return
        if len(key) == 1 and key.isalpha() and self.upper:
            key = key.upper()
        self.key.emit(key)


def apply(value: str, key: str, max_length: int = 64) -> str:
    """``value`` after one key of the staff keyboard (or of the service keyboard)."""
    if key == "clear":
        return ""
    if key == "delete":
        return value[:-1]
    if key == "space":
        key = " "
    if len(key) == 1 and len(value) < max_length:
        return value + key
    return value
