"""The kiosk window on a physical keypad or keyboard.

- Tab / arrow Right / arrow Down: the next actionable widget (visible, enabled button); Shift+Tab /
  Left / Up: the previous one. Order: the inactivity warning alone while it shows; else the elderly-mode
  offer, the screen, the footer, then the header; within each, reading order (rows top to bottom,
  left to right). The order wraps around.
- Enter: activates the focused button (as a touch does).
- Esc: Cancel, or Back where there is no Cancel.
- Digits and Backspace: typed into the screen (forms); other screens ignore them. A PIN is never
  typed here: it goes on the PIN pad only.

Buttons take focus from the keyboard only (``Qt.TabFocus``), so touches leave no focus ring; a
focused button shows a thick ring and underlined words (theme.py), not colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QWidget

NEXT_KEYS = frozenset({Qt.Key.Key_Right, Qt.Key.Key_Down})
PREVIOUS_KEYS = frozenset({Qt.Key.Key_Left, Qt.Key.Key_Up})
ENTER_KEYS = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter})


def _centre_y(widget: QWidget) -> int:
    return widget.mapTo(widget.window(), widget.rect().center()).y()


def _left(widget: QWidget) -> int:
    return widget.mapTo(widget.window(), widget.rect().topLeft()).x()


def reading_order(buttons: Sequence[QAbstractButton]) -> list[QAbstractButton]:
    """Rows top to bottom (buttons whose centres are within half a height share a row), left to right."""
    rows: list[list[QAbstractButton]] = []
    for b in sorted(buttons, key=_centre_y):
        if rows and abs(_centre_y(b) - _centre_y(rows[-1][0])) < min(b.height(), rows[-1][0].height()) / 2:
            rows[-1].append(b)
        else:
            rows.append([b])
    return [b for row in rows for b in sorted(row, key=_left)]


def actionable(region: QWidget | None) -> list[QAbstractButton]:
    """The buttons of ``region`` a keypad can reach, in reading order."""
    if region is None or not region.isVisible():
        return []
    found = [b for b in region.findChildren(QAbstractButton)
             if b.isVisible() and b.isEnabled() and b.focusPolicy() & Qt.FocusPolicy.TabFocus]
    return reading_order(found)


def move_focus(order: Sequence[QAbstractButton], current: QWidget | None, forward: bool) -> QAbstractButton | None:
    """Focus the next (or previous) button after ``current``; the first (or last) when it is none of them."""
    if not order:
        return None
    if current in order:
        target = order[(order.index(current) + (1 if forward else -1)) % len(order)]
    else:
        target = order[0 if forward else -1]
    target.setFocus(Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason)
    return target


def typed(event: QKeyEvent) -> str | None:
    """A digit, or "delete" for Backspace, or None."""
    if event.key() == Qt.Key.Key_Backspace:
        return "delete"
    text = event.text()
    return text if len(text) == 1 and text in "0123456789" else None
