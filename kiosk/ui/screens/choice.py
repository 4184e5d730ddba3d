"""Choosing and confirming: the list of choices (cards, bills, loss kinds) and the summary to confirm."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.engine.screens import Choice, ScreenKind, ScreenModel
from kiosk.ui.pager import Pager
from kiosk.ui.screens.base import Screen
from kiosk.ui.widgets import RowsCard, clear_layout, label


class ChoiceButton(QPushButton):
    """A large two-line button: the choice and its detail (amount, status, why it is unavailable)."""

    def __init__(self, choice: Choice, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setProperty("role", "choice")
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setEnabled(choice.enabled)
        lines = QVBoxLayout(self)
        lines.setContentsMargins(28, 14, 28, 14)
        lines.setSpacing(4)
        self.main = label(choice.label, "ChoiceLabel")
        self.detail = label(choice.detail, "ChoiceDetail")
        for part in (self.main, self.detail):
            part.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            part.setProperty("dim", "false" if choice.enabled else "true")
            lines.addWidget(part)
        self.detail.setVisible(bool(choice.detail))
        self.setAccessibleName(f"{choice.label} {choice.detail}".strip())

    def sizeHint(self):  # noqa: N802, ANN201 - Qt's name; the labels decide the height
        hint = super().sizeHint()
        hint.setHeight(max(hint.height(), self.layout().sizeHint().height()))
        return hint

    def minimumSizeHint(self):  # noqa: N802, ANN201
        return self.sizeHint()


def fill_grid(grid: QGridLayout, buttons: list[QPushButton], columns: int) -> None:
    clear_layout(grid)
    for index, b in enumerate(buttons):
        grid.addWidget(b, index // columns, index % columns)
    for column in range(columns):
        grid.setColumnStretch(column, 1)


class ChoiceScreen(Screen):
    """Pick one: every choice a large button; disabled ones greyed, with their detail saying why. A long
    list pages (previous/next page buttons), the choices keep their size."""

    kind = ScreenKind.CHOICE
    action_choices = False

    def build(self) -> None:
        self.pager = Pager(1, "ChoicePager")
        self.body.addWidget(self.pager, 1)
        self._shown: tuple[tuple[Choice, ...], str, float] | None = None

    def render_body(self, model: ScreenModel) -> None:
        key = (model.choices, model.lang, self.scale)
        if key == self._shown:
            return
        self._shown = key
        buttons: list[QWidget] = []
        for choice in model.choices:
            b = ChoiceButton(choice, f"choice-{choice.id}")
            b.clicked.connect(lambda _=False, cid=choice.id: self.choose(cid))
            buttons.append(b)
        self.pager.set_items(buttons, model.lang, self.scale, columns=2 if len(buttons) > 2 else 1)


class ConfirmScreen(Screen):
    """The summary the customer checks before anything is posted."""

    kind = ScreenKind.CONFIRM

    def build(self) -> None:
        self.rows = RowsCard()
        self.body.addWidget(self.rows)
        self.body.addStretch(1)

    def render_body(self, model: ScreenModel) -> None:
        self.rows.set_rows(model.rows, model.lang, self.scale)


def section_title(text: str) -> QWidget:
    title = label(text, "Status")
    title.setObjectName("Status")
    return title


def tile(choice: Choice) -> ChoiceButton:
    b = ChoiceButton(choice, f"flow-{choice.id}")
    b.setProperty("tile", "true")
    return b
