"""State controls drawn as switches (a track and a knob), so "voice on" or "elderly mode on" never looks
like a selected choice (the language). The words say the state too: colour and position are never alone."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QPushButton, QSizePolicy, QWidget

from kiosk.ui.widgets import button


def paint_switch(p: QPainter, box: QRectF, on: bool, ink: QColor, fill: QColor) -> None:
    """A track ``box`` with its knob right (on: the track filled with ``ink``) or left (off: outlined)."""
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    radius = box.height() / 2
    line = max(2.0, box.height() * 0.08)
    inner = box.adjusted(line / 2, line / 2, -line / 2, -line / 2)
    p.setPen(QPen(ink, line))
    p.setBrush(ink if on else fill)
    p.drawRoundedRect(inner, radius, radius)
    knob = inner.height() * 0.72
    x = inner.right() - knob - inner.height() * 0.14 if on else inner.left() + inner.height() * 0.14
    p.setPen(QPen(ink, line) if not on else Qt.PenStyle.NoPen)
    p.setBrush(fill if on else ink)
    p.drawEllipse(QRectF(x, inner.center().y() - knob / 2, knob, knob))


class SwitchButton(QPushButton):
    """A header button whose words say the state ("语音：开") with a drawn switch at its right; no outline,
    so it does not look like the language buttons. The style sheet (role "switch") leaves room for the track."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        b = button("", name, "switch")  # the same focus and cursor rules as every button
        self.setObjectName(b.objectName())
        self.setProperty("role", "switch")
        self.setFocusPolicy(b.focusPolicy())
        self.setCursor(b.cursor())
        b.deleteLater()
        self.on = False
        self.fill = "#0A4A8C"  # the knob when on, the track when off: the header's blue

    def set_state(self, on: bool) -> None:
        self.on = on
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        if not self.isEnabled():
            return
        h = self.height() * 0.42
        w = h * 1.9
        box = QRectF(self.width() - w - self.height() * 0.16, (self.height() - h) / 2, w, h)
        ink = self.palette().color(self.foregroundRole())
        paint_switch(QPainter(self), box, self.on, ink, QColor(self.fill))


class SwitchMark(QWidget):
    """A switch drawn alone, for a tile that says its state in its words (the elderly-mode entry)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SwitchMark")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.on = False
        self.ink, self.fill = QColor("#0A4A8C"), QColor("#FFFFFF")

    def set_state(self, on: bool, ink: str, fill: str, height: int) -> None:
        self.on, self.ink, self.fill = on, QColor(ink), QColor(fill)
        self.setFixedSize(round(height * 1.9), height)
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        return self.size()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        paint_switch(QPainter(self), QRectF(self.rect()), self.on, self.ink, self.fill)
