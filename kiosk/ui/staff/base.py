"""What every staff screen shares: the desk it shows, the language, the scale, and buttons whose click
counts as staff input (the desk's idle sign-out starts again)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.engine.staff import StaffDenied, StaffDesk
from kiosk.ui.text import ui_text
from kiosk.ui.widgets import button, clear_layout, label, set_flag

if TYPE_CHECKING:
    from kiosk.ui.staff.mode import StaffMode


class StaffScreen(QWidget):
    name = ""

    def __init__(self, mode: StaffMode) -> None:
        super().__init__()
        self.mode = mode
        self.desk: StaffDesk = mode.desk
        self.lang = mode.desk.lang
        self.setObjectName(f"staff-{self.name}")
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.setSpacing(16)
        self.build()

    def t(self, key: str, **params: Any) -> str:
        return ui_text(self.lang, key, **params)

    def px(self, design_px: float) -> int:
        return max(1, round(design_px * self.mode.scale))

    def build(self) -> None:
        """Make the widgets."""

    def refresh(self) -> None:
        """Show what the desk holds now."""

    def type_key(self, key: str) -> None:
        """A key from the service keyboard (a character, "delete", "enter")."""

    def action(self, text_key: str, name: str, do: Callable[[], object], role: str = "") -> QPushButton:
        """A button whose click is staff input; a refusal is shown by the desk's notice, not raised."""
        b = button(self.t(text_key), name, role)
        b.clicked.connect(lambda _=False: self.act(do))
        return b

    def act(self, do: Callable[[], object]) -> None:
        self.desk.touch()
        try:
            do()
        except StaffDenied:
            pass  # the desk has said why
        self.mode.refresh()


def heading(text: str, name: str = "StaffHeading") -> QLabel:
    return label(text, name)


class Rows(QFrame):
    """Label/value rows in a card (the masked summary of a session)."""

    def __init__(self, name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        if name:
            self.setAccessibleName(name)
        self.grid = QGridLayout(self)
        self.grid.setHorizontalSpacing(28)
        self.grid.setVerticalSpacing(10)
        self.grid.setColumnStretch(1, 1)
        self._shown: tuple[tuple[str, str], ...] | None = None

    def set_rows(self, rows: Iterable[Any]) -> None:
        pairs = tuple((r.label, r.value) if hasattr(r, "label") else tuple(r) for r in rows)
        if pairs == self._shown:
            return
        self._shown = pairs
        clear_layout(self.grid)
        for i, (key, value) in enumerate(pairs):
            self.grid.addWidget(label(key, "RowLabel", wrap=False), i, 0, Qt.AlignmentFlag.AlignTop)
            self.grid.addWidget(label(value, "RowValue"), i, 1, Qt.AlignmentFlag.AlignTop)
        self.setVisible(bool(pairs))


class Table(QFrame):
    """A plain table of labels: a header row and rows of cells (the journal, devices, retained cards)."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self.table_name = name
        self.grid = QGridLayout(self)
        self.grid.setHorizontalSpacing(24)
        self.grid.setVerticalSpacing(6)
        self._shown: tuple[Any, ...] | None = None

    def set_table(self, head: list[str], rows: list[list[str]], empty: str = "",
                  widgets: list[list[QWidget]] | None = None, stretch: int = -1) -> None:
        shown = (tuple(head), tuple(map(tuple, rows)), empty, widgets is not None and len(widgets))
        if shown == self._shown and widgets is None:
            return
        self._shown = shown
        clear_layout(self.grid)
        for c, text in enumerate(head):
            self.grid.addWidget(label(text, "CellHead", wrap=False), 0, c)
        for r, row in enumerate(rows, 1):
            for c, text in enumerate(row):
                cell = label(text, "Cell", wrap=c == stretch)
                cell.setObjectName("Cell")
                self.grid.addWidget(cell, r, c)
            for c, widget in enumerate((widgets or [])[r - 1] if widgets else [], len(row)):
                self.grid.addWidget(widget, r, c)
        if not rows and empty:
            self.grid.addWidget(label(empty, "StaffMuted"), 1, 0, 1, max(1, len(head)))
        for c in range(self.grid.columnCount()):
            self.grid.setColumnStretch(c, 1 if c == stretch else 0)

    def cell(self, row: int, column: int) -> str:
        item = self.grid.itemAtPosition(row + 1, column)
        widget = item.widget() if item is not None else None
        return widget.text() if isinstance(widget, QLabel) else ""


class Chips(QWidget):
    """One of several choices (a count, a filter), the chosen one highlighted."""

    def __init__(self, name: str, options: list[tuple[str, str]], screen: StaffScreen, stretch: bool = True,
                 per_row: int = 0) -> None:
        """``per_row``: wrap after so many chips (0: one row)."""
        super().__init__()
        self.name = name
        self.value = options[0][0]
        self.owner = screen
        self.stretch = stretch
        self.per_row = per_row
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(10)
        self.buttons: dict[str, QPushButton] = {}
        self.set_options(options)

    def set_options(self, options: list[tuple[str, str]]) -> None:
        """Offer these choices (the first is the default); the chosen one stays chosen while it is offered."""
        if [(v, b.text()) for v, b in self.buttons.items()] == options:
            return
        for b in self.buttons.values():
            self.grid.removeWidget(b)
            b.hide()
            b.deleteLater()
        self.buttons = {}
        per_row = self.per_row or len(options)
        for n, (value, text) in enumerate(options):
            b = button(text, f"staff-{self.name}-{value}", "chip")
            b.clicked.connect(lambda _=False, v=value: self.choose(v))
            self.buttons[value] = b
            self.grid.addWidget(b, n // per_row, n % per_row)
        self.grid.setColumnStretch(per_row, 1 if self.stretch else 0)
        if self.value not in self.buttons:
            self.value = options[0][0]
        self.show_choice()

    def choose(self, value: str) -> None:
        self.value = value
        self.show_choice()
        self.owner.desk.touch()
        getattr(self.owner, "filters_changed", self.owner.refresh)()

    def show_choice(self) -> None:
        for value, b in self.buttons.items():
            set_flag(b, "selected", "true" if value == self.value else "false")
