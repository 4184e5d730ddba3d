"""The on-screen pinyin keyboard: letters on a QWERTY layout, a candidate bar, digits and address signs.

Typed letters stay *composing* (shown above the candidates) until the customer taps a candidate; the
candidate's Chinese is committed (``text``) and the letters it stands for are dropped. Digits and signs are
committed as they are. Delete takes back a letter while composing, else it is passed on (``key``: "delete",
"clear"). Keys are touch buttons (role "key": at least 96 design px, larger in elderly mode) named
``kbd-<key>`` and ``cand-<n>``, so tests type on it as a customer does. Reusable: any screen with a text field
(address here, feedback later) puts it under its field and connects ``text`` and ``key``.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.pinyin import Candidate, PinyinDictionary, default_dictionary
from kiosk.ui.text import ui_text
from kiosk.ui.widgets import button, label

LETTERS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
SIGNS = ("1234567890", "-#()、，./", "—·")
PAGE = 6  # candidates shown at once


class PinyinKeyboard(QWidget):
    text = Signal(str)  # committed text: Chinese, a digit or a sign
    key = Signal(str)  # "delete" or "clear" with nothing composing
    submit = Signal()  # OK: the form is done

    def __init__(self, lang: str = "zh_CN", dictionary: PinyinDictionary | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PinyinKeyboard")
        self._dictionary = dictionary
        self.composing = ""
        self._candidates: list[Candidate] = []
        self._page = 0
        self._signs = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(6)
        bar = QHBoxLayout()
        bar.setSpacing(10)
        self.composing_label = label("", "PinyinComposing", wrap=False)
        self.composing_label.setProperty("keycap", True)
        bar.addWidget(self.composing_label)
        self._prev = self._key_button("cand-prev", "‹", lambda: self._turn(-1))
        bar.addWidget(self._prev)
        self._cand_buttons: list[QPushButton] = []
        for n in range(PAGE):
            b = self._key_button(f"cand-{n}", "", lambda n=n: self._choose(n))
            self._cand_buttons.append(b)
            bar.addWidget(b)
        self._next = self._key_button("cand-next", "›", lambda: self._turn(1))
        bar.addWidget(self._next)
        bar.addStretch(1)
        self.ok = button("", "btn-submit", "primary")  # the form's OK, on the keyboard to keep the screen short
        self.ok.clicked.connect(lambda _=False: self.submit.emit())
        bar.addWidget(self.ok)
        outer.addLayout(bar)
        self._grid = QGridLayout()
        self._grid.setHorizontalSpacing(8)
        self._grid.setVerticalSpacing(6)
        outer.addLayout(self._grid)
        self._rows: list[list[QPushButton]] = []
        first = (0, 0, 1)  # row 2 starts after the mode key, row 1 leaves its last cell to Clear
        for r, count in enumerate((10, 9, 7)):
            row = [self._key_button(f"kbd-pos-{r}-{c}", "", lambda r=r, c=c: self._press(r, c)) for c in range(count)]
            for c, b in enumerate(row):
                self._grid.addWidget(b, r, c + first[r])
            self._rows.append(row)
        self._mode = self._key_button("kbd-mode", "", self._toggle, keycap=False)
        self._delete = self._key_button("kbd-delete", "", self._backspace, keycap=False)
        self._clear = self._key_button("kbd-clear", "", self._clear_all, keycap=False)
        self._grid.addWidget(self._clear, 1, 9)
        self._grid.addWidget(self._mode, 2, 0)
        self._grid.addWidget(self._delete, 2, 8, 1, 2)
        self.set_language(lang)
        self._lay_out_keys()
        self._show_candidates()

    def _key_button(self, name: str, text: str, on_click: object, keycap: bool = True) -> QPushButton:
        """A key. ``keycap``: it shows a letter, a sign or a word from the word list, not catalog text."""
        b = button(text, name, "key")
        b.setProperty("keycap", keycap)
        b.clicked.connect(lambda _=False: on_click())  # type: ignore[operator]
        return b

    @property
    def dictionary(self) -> PinyinDictionary:
        if self._dictionary is None:
            self._dictionary = default_dictionary()
        return self._dictionary

    def set_language(self, lang: str) -> None:
        self._lang = lang
        self._delete.setText(ui_text(lang, "button.delete"))
        self._clear.setText(ui_text(lang, "button.clear"))
        self._mode.setText(ui_text(lang, "keyboard.letters" if self._signs else "keyboard.signs"))
        self.ok.setText(ui_text(lang, "button.ok"))

    def reset(self) -> None:
        """Forget what is being composed (a new field, a new screen, the end of a session)."""
        self.composing, self._page = "", 0
        self._show_candidates()

    # --- keys ----------------------------------------------------------------------------------------
    def _lay_out_keys(self) -> None:
        rows = SIGNS if self._signs else LETTERS
        for r, buttons in enumerate(self._rows):
            keys = rows[r]
            for c, b in enumerate(buttons):
                char = keys[c] if c < len(keys) else ""
                b.setText(char)
                b.setProperty("char", char)
                b.setObjectName(f"kbd-{char}" if char else f"kbd-pos-{r}-{c}")
                b.setVisible(bool(char))

    def _press(self, r: int, c: int) -> None:
        char = str(self._rows[r][c].property("char") or "")
        if not char:
            return
        if self._signs:
            self.text.emit(char)
            return
        if len(self.composing) < 24:
            self.composing += char
            self._page = 0
            self._show_candidates()

    def _toggle(self) -> None:
        self._signs = not self._signs
        self.set_language(self._lang)
        self._lay_out_keys()

    def _backspace(self) -> None:
        if self.composing:
            self.composing = self.composing[:-1]
            self._page = 0
            self._show_candidates()
        else:
            self.key.emit("delete")

    def _clear_all(self) -> None:
        if self.composing:
            self.reset()
        else:
            self.key.emit("clear")

    # --- candidates ----------------------------------------------------------------------------------
    def _show_candidates(self) -> None:
        self._candidates = self.dictionary.candidates(self.composing) if self.composing else []
        self.composing_label.setText(self.composing)
        shown = self._candidates[self._page * PAGE:(self._page + 1) * PAGE]
        for n, b in enumerate(self._cand_buttons):
            b.setText(shown[n].word if n < len(shown) else "")
            b.setVisible(n < len(shown))
        self._prev.setVisible(self._page > 0)
        self._next.setVisible((self._page + 1) * PAGE < len(self._candidates))

    def candidates(self) -> list[str]:
        """The words on the candidate bar now (for tests and the voice)."""
        return [b.text() for b in self._cand_buttons if b.isVisible()]

    def _turn(self, step: int) -> None:
        pages = max(1, (len(self._candidates) + PAGE - 1) // PAGE)
        self._page = min(max(0, self._page + step), pages - 1)
        self._show_candidates()

    def _choose(self, n: int) -> None:
        index = self._page * PAGE + n
        if index >= len(self._candidates):
            return
        chosen = self._candidates[index]
        self.composing = self.composing[chosen.consumed:]
        self._page = 0
        self.text.emit(chosen.word)
        self._show_candidates()
