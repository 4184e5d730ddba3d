"""The on-screen numeric keypad for forms (mobile number, SMS code). Never used for a PIN: PINs are
typed on the encrypting PIN pad only."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk.core.digits import ascii_digits
from kiosk.ui.text import ui_text
from kiosk.ui.widgets import button

LAYOUT = (("1", "2", "3"), ("4", "5", "6"), ("7", "8", "9"), ("delete", "0", "ok"))


class NumericKeypad(QWidget):
    """Emits ``key`` with a digit or "delete"; its "ok" key (``submit``, ``btn-submit``) is the form's
    confirm, on the pad where the fingers are. "Clear all" is not on the pad (the form puts it by the field),
    so it cannot be touched instead of "delete"."""

    key = Signal(str)

    def __init__(self, lang: str = "zh_CN", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Keypad")
        grid = QGridLayout(self)
        grid.setSpacing(16)
        grid.setContentsMargins(0, 0, 0, 0)
        self._words = {}
        for r, row in enumerate(LAYOUT):
            for c, name in enumerate(row):
                if name == "ok":
                    b = button(name, "btn-submit", "primary")
                    self.submit = b
                else:
                    b = button(name, f"key-{name}", "key")
                    b.setProperty("word", "false" if name.isdigit() else "true")
                    b.clicked.connect(lambda _=False, k=name: self.key.emit(k))
                grid.addWidget(b, r, c)
                if not ascii_digits(name):
                    self._words[name] = b
        self.set_language(lang)

    def set_language(self, lang: str) -> None:
        for name, b in self._words.items():
            b.setText(ui_text(lang, f"button.{name}"))


def apply_key(value: str, key: str, max_length: int) -> str:
    if key == "clear":
        return ""
    if key == "delete":
        return value[:-1]
    if ascii_digits(key) and len(value) < max_length:
        return value + key
    return value


def display(value: str, kind: str) -> str:
    """How a typed value is shown: a mobile number in groups 3-4-4, codes with gaps."""
    if kind == "phone":
        return " ".join(part for part in (value[:3], value[3:7], value[7:]) if part)
    if kind == "code":
        return " ".join(value)
    return value
