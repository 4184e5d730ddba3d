"""Small widgets the screens share: buttons, outcome icons, a spinner, PIN dots, row tables."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.engine.screens import Row
from kiosk.ui.theme import PALETTE


def button(text: str, name: str, role: str = "", parent: QWidget | None = None) -> QPushButton:
    """A touch button, found by tests (and QA tools) by its object name."""
    b = QPushButton(text, parent)
    b.setObjectName(name)
    if role:
        b.setProperty("role", role)
    b.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a keypad can reach it; a touch leaves no focus ring
    b.setCursor(Qt.CursorShape.PointingHandCursor)
    return b


def label(text: str = "", name: str = "", parent: QWidget | None = None, wrap: bool = True) -> QLabel:
    lab = QLabel(text, parent)
    if name:
        lab.setObjectName(name)
    lab.setWordWrap(wrap)
    lab.setTextFormat(Qt.TextFormat.PlainText)
    return lab


def set_flag(widget: QWidget, prop: str, value: object) -> None:
    """Set a style property and re-polish, so the style sheet's [prop="..."] rules apply."""
    if widget.property(prop) == value:
        return
    widget.setProperty(prop, value)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def clear_layout(layout: QLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.hide()
            widget.deleteLater()  # not now: it may be the button whose click is being handled
        elif item.layout() is not None:
            clear_layout(item.layout())


class RowLine(QWidget):
    """One label/value row; the value wraps, the label keeps one line."""

    def __init__(self, row: Row, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("RowLine")
        line = QHBoxLayout(self)
        line.setContentsMargins(0, 0, 0, 0)
        self.key = label(row.label, "RowLabel", wrap=False)
        self.value = label(row.value, "RowValue")
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        line.addWidget(self.key, 0, Qt.AlignmentFlag.AlignTop)
        line.addWidget(self.value, 1)


class RowsCard(QFrame):
    """Label/value rows (confirmation, result, approval reason) in a white card; rows that do not fit
    go on the next page (kiosk/ui/pager.py), never squeezed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        from kiosk.ui.pager import Pager

        super().__init__(parent)
        self.setObjectName("Card")
        self.pager = Pager(1, "RowsPager")
        self.pager.spacing = 12
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.pager)
        self._shown: tuple[tuple[Row, ...], str, float] | None = None

    def set_rows(self, rows: Iterable[Row], lang: str = "zh_CN", scale: float = 1.0) -> None:
        rows = tuple(rows)
        if (rows, lang, scale) == self._shown:
            return
        self._shown = (rows, lang, scale)
        lines = [RowLine(row) for row in rows]
        self.pager.set_items(list(lines), lang, scale)
        for line in lines:
            line.key.ensurePolished()
        key_width = max((line.key.sizeHint().width() for line in lines), default=0)
        for line in lines:
            line.key.setFixedWidth(key_width)
            line.layout().setSpacing(max(1, round(32 * scale)))
        self.pager.relayout()
        self.setVisible(bool(rows))


class OutcomeIcon(QWidget):
    """A drawn icon, so meaning never rests on colour alone: a tick, a cross, "!" or "i"."""

    COLOURS = {"success": PALETTE.success, "failure": PALETTE.danger, "warning": PALETTE.warning,
               "info": PALETTE.brand}

    def __init__(self, kind: str = "info", size: int = 160, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._kind = kind
        self._size = size
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setFixedSize(size, size)

    def set_kind(self, kind: str) -> None:
        self._kind = kind
        self.setObjectName(f"icon-{kind}")
        self.update()

    def kind(self) -> str:
        return self._kind

    def set_size(self, size: int) -> None:
        self._size = size
        self.setFixedSize(size, size)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        s = float(self._size)
        colour = QColor(self.COLOURS.get(self._kind, PALETTE.brand))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        p.drawEllipse(QRectF(0, 0, s, s))
        pen = QPen(QColor("#FFFFFF"), s * 0.1, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                   Qt.PenJoinStyle.RoundJoin)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        path = QPainterPath()
        if self._kind == "success":
            path.moveTo(s * 0.28, s * 0.52)
            path.lineTo(s * 0.44, s * 0.68)
            path.lineTo(s * 0.73, s * 0.36)
        elif self._kind == "failure":
            for a, b in ((0.32, 0.68), (0.68, 0.32)):
                path.moveTo(s * 0.32, s * a)
                path.lineTo(s * 0.68, s * b)
        else:
            top, bottom = (0.24, 0.56) if self._kind == "warning" else (0.46, 0.76)
            dot = 0.74 if self._kind == "warning" else 0.27
            path.moveTo(s * 0.5, s * top)
            path.lineTo(s * 0.5, s * bottom)
            p.drawPath(path)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor("#FFFFFF"))
            p.drawEllipse(QPointF(s * 0.5, s * dot), s * 0.065, s * 0.065)
            return
        p.drawPath(path)


class Spinner(QWidget):
    """A turning arc while the kiosk works; its timer runs only while it is shown."""

    def __init__(self, size: int = 140, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._angle = 0
        self._timer = QTimer(self)
        self._timer.setInterval(40)
        self._timer.timeout.connect(self._turn)
        self.setFixedSize(size, size)

    def sizeHint(self) -> QSize:  # noqa: N802
        return self.size()

    def set_size(self, size: int) -> None:
        self.setFixedSize(size, size)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        self._timer.start()
        super().showEvent(event)

    def hideEvent(self, event: object) -> None:  # noqa: N802
        self._timer.stop()

    def running(self) -> bool:
        return self._timer.isActive()

    def _turn(self) -> None:
        self._angle = (self._angle + 12) % 360
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w = float(self.width())
        pen = QPen(QColor(PALETTE.brand_soft), w * 0.1)
        p.setPen(pen)
        rect = QRectF(w * 0.1, w * 0.1, w * 0.8, w * 0.8)
        p.drawEllipse(rect)
        pen.setColor(QColor(PALETTE.brand))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        p.drawArc(rect, -self._angle * 16, 100 * 16)


class PinDots(QWidget):
    """How many PIN digits the PIN pad holds: filled dots. The kiosk never sees the digits."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._digits, self._length, self._dot = 0, 6, 56
        self.setObjectName("PinDots")
        self._resize()

    def set_state(self, digits: int, length: int, dot: int) -> None:
        self._digits, self._length, self._dot = max(0, digits), max(1, length), dot
        self._resize()
        self.update()

    def digits(self) -> int:
        return self._digits

    def _resize(self) -> None:
        self.setFixedSize(int(self._length * self._dot * 1.8), int(self._dot * 1.4))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        d = float(self._dot)
        for i in range(self._length):
            x = d * 0.4 + i * d * 1.8
            p.setPen(QPen(QColor(PALETTE.brand), d * 0.1))
            p.setBrush(QColor(PALETTE.brand) if i < self._digits else QColor(PALETTE.card))
            p.drawEllipse(QRectF(x, d * 0.2, d, d))


class MessageLine(QFrame):
    """The error (with a warning icon, so it is not told by colour alone) or the notice."""

    def __init__(self, name: str, icon: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        row = QHBoxLayout(self)
        self.icon = OutcomeIcon(icon, 44)
        self.text = label("", f"{name}Text")
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.text, 1)
        self.hide()

    def show_text(self, text: str | None, scale: float) -> None:
        self.icon.set_size(round(44 * scale))
        m = round(18 * scale)
        self.layout().setContentsMargins(m * 2, m, m * 2, m)
        self.layout().setSpacing(m)
        self.text.setText(text or "")
        self.setVisible(bool(text))
