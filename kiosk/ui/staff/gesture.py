"""How staff open staff mode: a deliberate gesture a customer does not make by tapping around.

- a long press (3 s) on the top-right corner of the kiosk window (a 56-pixel square at 1920x1080,
  above and right of the language button: no control lives there), or
- Ctrl+Alt+S on the service keyboard.

The filter watches the whole application (installed on the QApplication by kiosk/app/gui.py). While
a press in the corner is being held, its press, moves and release go nowhere else, so nothing under
the corner reacts; a press that lets go early, or slides out of the corner, opens nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QTouchEvent
from PySide6.QtWidgets import QWidget

from kiosk.ui.theme import scale_for

HOLD_MS = 3000
CORNER = 56  # design pixels
PRESS = (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick, QEvent.Type.TouchBegin)
MOVE = (QEvent.Type.MouseMove, QEvent.Type.TouchUpdate)
RELEASE = (QEvent.Type.MouseButtonRelease, QEvent.Type.TouchEnd, QEvent.Type.TouchCancel)


class StaffGesture(QObject):
    triggered = Signal()

    def __init__(self, window: QWidget, hold_ms: int = HOLD_MS) -> None:
        super().__init__(window)
        self.window = window
        self.enabled = True
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(hold_ms)
        self._timer.timeout.connect(self._held)
        self._holding = False

    def corner(self) -> QRect:
        """The hidden corner, in global coordinates."""
        size = max(24, round(CORNER * scale_for(self.window.width(), self.window.height())))
        top_right = self.window.mapToGlobal(QPoint(self.window.width() - size, 0))
        return QRect(top_right.x(), top_right.y(), size, size)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if kind == QEvent.Type.KeyPress:
            return self._key(event)  # type: ignore[arg-type]
        if kind in PRESS and not self._holding:
            return self._press(event)
        if self._holding and kind in MOVE:
            if not self.corner().contains(_global_pos(event)):
                self.stop()
            return True
        if self._holding and kind in RELEASE:
            self.stop()
            return True
        return False

    def _key(self, event: QKeyEvent) -> bool:
        combo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        if self.enabled and event.key() == Qt.Key.Key_S and (event.modifiers() & combo) == combo:
            self.triggered.emit()
            return True
        return False

    def _press(self, event: QEvent) -> bool:
        if not (self.enabled and self.window.isVisible()) or not self.corner().contains(_global_pos(event)):
            return False
        self._holding = True
        self._timer.start()
        return True

    def _held(self) -> None:
        self._holding = False
        if self.enabled:
            self.triggered.emit()

    def stop(self) -> None:
        self._holding = False
        self._timer.stop()


def _global_pos(event: QEvent) -> QPoint:
    if isinstance(event, QMouseEvent):
        return event.globalPosition().toPoint()
    if isinstance(event, QTouchEvent) and event.points():
        return event.points()[0].globalPosition().toPoint()
    return QPoint(-1, -1)
