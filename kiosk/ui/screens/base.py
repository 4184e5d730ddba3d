"""What every screen shares: a title, a prompt, a body the subclass fills, and the model's choices as
buttons. A screen renders a :class:`ScreenModel` and emits an :class:`Input` through ``intent``;
it never calls a device or the host."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.engine.screens import Choice, Input, InputKind, ScreenKind, ScreenModel
from kiosk.ui.widgets import button, clear_layout, label

SECONDARY_CHOICES = frozenset({"decline", "staff", "reject"})


class Screen(QWidget):
    """Base of the one-class-per-kind screens."""

    intent = Signal(object)  # an Input
    kind: ClassVar[ScreenKind]
    action_choices: ClassVar[bool] = True  # the model's choices as a row of buttons at the bottom
    shows_error: ClassVar[bool] = False  # the screen shows the model's error itself (at its field)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"screen-{self.kind.value}")
        self.scale = 1.0
        self.model: ScreenModel | None = None
        self._shown_choices: tuple[Choice, ...] | None = None
        self._action_buttons: dict[str, QPushButton] = {}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(18)
        self.title = label("", "ScreenTitle")
        self.prompt = label("", "ScreenPrompt")
        outer.addWidget(self.title)
        outer.addWidget(self.prompt)
        self.body = QVBoxLayout()
        self.body.setSpacing(20)
        outer.addLayout(self.body, 1)
        self.actions = QHBoxLayout()
        self.actions.setSpacing(28)
        outer.addLayout(self.actions)
        self.build()

    # --- for subclasses ----------------------------------------------------------------------
    def build(self) -> None:
        """Add the kind's widgets to ``self.body``."""

    def render_body(self, model: ScreenModel) -> None:
        """Show the kind-specific parts of ``model``."""

    def forget(self) -> None:
        """The session ended: drop anything personal the screen still holds."""

    def type_key(self, key: str) -> None:
        """A digit or "delete" from a physical keypad; only forms take them (never a PIN: that is the PIN pad's)."""

    def px(self, design_px: float) -> int:
        return max(1, round(design_px * self.scale))

    # --- rendering ---------------------------------------------------------------------------
    def set_scale(self, scale: float) -> None:
        self.scale = scale
        if self.model is not None:
            self.render(self.model)

    def render(self, model: ScreenModel) -> None:
        self.model = model
        self.title.setText(model.title)
        self.prompt.setText(model.prompt)
        self.prompt.setVisible(bool(model.prompt))
        self.render_body(model)
        if self.action_choices:
            self._render_actions(model.choices)

    def _render_actions(self, choices: tuple[Choice, ...]) -> None:
        if choices == self._shown_choices:
            return
        shown, self._shown_choices = self._shown_choices, choices
        if shown is not None and [c.id for c in shown] == [c.id for c in choices]:
            self._update_actions(choices)  # e.g. the fraud warning's countdown: the same buttons, new words
            return
        clear_layout(self.actions)
        self._action_buttons = {}
        self.actions.addStretch(1)
        for choice in choices:
            role = "" if choice.id in SECONDARY_CHOICES else "primary"
            b = self.choice_button(choice, role)
            b.setMinimumWidth(self.px(320))
            self.actions.addWidget(b)
            self._action_buttons[choice.id] = b

    def _update_actions(self, choices: tuple[Choice, ...]) -> None:
        for choice in choices:
            b = self._action_buttons[choice.id]
            b.setText(choice.label)
            b.setEnabled(choice.enabled)

    def choice_button(self, choice: Choice, role: str) -> QPushButton:
        b = button(choice.label, f"choice-{choice.id}", role)
        b.setEnabled(choice.enabled)
        b.clicked.connect(lambda _=False, cid=choice.id: self.choose(cid))
        return b

    # --- intents -----------------------------------------------------------------------------
    def choose(self, choice_id: str) -> None:
        self.send(Input(InputKind.CHOOSE, choice_id))

    def send(self, inp: Input) -> None:
        self.intent.emit(inp)


def centered(widget: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(widget, 0, Qt.AlignmentFlag.AlignCenter)
    row.addStretch(1)
    return row
