"""Simple drawn pictures of the devices, so a customer sees where to put the card or look.

Drawn with QPainter (no image files): they scale with the screen and stay sharp."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.ui.theme import PALETTE

INK = QColor(PALETTE.ink)
BRAND = QColor(PALETTE.brand)
SOFT = QColor(PALETTE.brand_soft)
GOLD = QColor("#C9A227")
WHITE = QColor("#FFFFFF")


class DeviceArt(QWidget):
    """A picture of ``device`` ("idcard", "smartcard", "camera", "pinpad", "printer", "dispenser"), of a
    code held up to the camera ("code"), or of a document laid on the document camera's platen ("document").

    ``size`` is the height it would like; it shrinks (to a third) when the screen has less room."""

    def __init__(self, device: str, size: int = 360, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.device = device
        self.setObjectName(f"art-{device}")
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Maximum)
        self._size = 0
        self.set_size(size)

    def set_size(self, size: int) -> None:
        if size != self._size:
            self._size = size
            self.setMinimumSize(int(size * 0.47), size // 3)
            self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(int(self._size * 1.4), self._size)

    def set_device(self, device: str) -> None:
        self.device = device
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        h = float(min(self.height(), self.width() / 1.4))
        p.translate((self.width() - h) / 2, (self.height() - h) / 2)  # draw in an h x h square, centred
        draw = getattr(self, f"_draw_{self.device}", self._draw_pinpad)
        draw(p, h)

    # --- pictures (s: the side of the square) ------------------------------------------------
    def _card(self, p: QPainter, rect: QRectF, s: float, chip: bool) -> None:
        p.setPen(QPen(INK, s * 0.012))
        p.setBrush(SOFT)
        p.drawRoundedRect(rect, s * 0.03, s * 0.03)
        p.setPen(Qt.PenStyle.NoPen)
        if chip:
            p.setBrush(GOLD)
            p.drawRoundedRect(QRectF(rect.x() + rect.width() * 0.1, rect.y() + rect.height() * 0.3,
                                     rect.width() * 0.18, rect.height() * 0.3), s * 0.01, s * 0.01)
        else:
            p.setBrush(BRAND)
            p.drawRect(QRectF(rect.right() - rect.width() * 0.32, rect.y() + rect.height() * 0.18,
                              rect.width() * 0.22, rect.height() * 0.5))
        p.setBrush(QColor(PALETTE.muted))
        for i in range(3):
            p.drawRect(QRectF(rect.x() + rect.width() * (0.34 if chip else 0.08),
                              rect.y() + rect.height() * (0.25 + i * 0.18), rect.width() * 0.4, s * 0.018))

    def _arrow(self, p: QPainter, x: float, y: float, s: float, down: bool) -> None:
        d = 1 if down else -1
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(BRAND)
        p.drawRect(QRectF(x - s * 0.025, y - d * s * 0.12 if down else y, s * 0.05, s * 0.12))
        tip = QPolygonF([QPointF(x - s * 0.07, y), QPointF(x + s * 0.07, y), QPointF(x, y + d * s * 0.08)])
        p.drawPolygon(tip)

    def _draw_idcard(self, p: QPainter, s: float) -> None:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(INK)
        p.drawRoundedRect(QRectF(s * 0.1, s * 0.72, s * 0.8, s * 0.18), s * 0.04, s * 0.04)
        self._card(p, QRectF(s * 0.2, s * 0.2, s * 0.6, s * 0.36), s, chip=False)
        self._arrow(p, s * 0.5, s * 0.66, s, down=True)

    def _draw_smartcard(self, p: QPainter, s: float) -> None:
        p.save()
        p.translate(s * 0.5, s * 0.34)
        p.rotate(90)
        self._card(p, QRectF(-s * 0.26, -s * 0.17, s * 0.52, s * 0.34), s, chip=True)
        p.restore()
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(INK)
        p.drawRoundedRect(QRectF(s * 0.15, s * 0.78, s * 0.7, s * 0.1), s * 0.03, s * 0.03)
        self._arrow(p, s * 0.5, s * 0.7, s, down=True)

    def _draw_dispenser(self, p: QPainter, s: float) -> None:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(INK)
        p.drawRoundedRect(QRectF(s * 0.15, s * 0.78, s * 0.7, s * 0.1), s * 0.03, s * 0.03)
        self._card(p, QRectF(s * 0.22, s * 0.3, s * 0.56, s * 0.34), s, chip=True)
        self._arrow(p, s * 0.5, s * 0.12, s, down=False)

    def _brackets(self, p: QPainter, s: float) -> None:
        p.setPen(QPen(BRAND, s * 0.025, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        for cx, cy, dx, dy in ((0.12, 0.12, 1, 1), (0.88, 0.12, -1, 1), (0.12, 0.88, 1, -1), (0.88, 0.88, -1, -1)):
            p.drawLine(QPointF(s * cx, s * cy), QPointF(s * (cx + dx * 0.14), s * cy))
            p.drawLine(QPointF(s * cx, s * cy), QPointF(s * cx, s * (cy + dy * 0.14)))

    def _draw_camera(self, p: QPainter, s: float) -> None:
        self._brackets(p, s)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(PALETTE.muted))
        p.drawEllipse(QRectF(s * 0.36, s * 0.2, s * 0.28, s * 0.34))
        p.drawChord(QRectF(s * 0.22, s * 0.58, s * 0.56, s * 0.5), 0, 180 * 16)

    def _draw_code(self, p: QPainter, s: float) -> None:
        """A slip with a barcode, in the camera's brackets."""
        self._brackets(p, s)
        p.setPen(QPen(INK, s * 0.012))
        p.setBrush(WHITE)
        p.drawRoundedRect(QRectF(s * 0.2, s * 0.28, s * 0.6, s * 0.44), s * 0.02, s * 0.02)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(INK)
        x = 0.27
        for width in (2, 1, 1, 3, 1, 2, 1, 1, 2, 3, 1, 1, 2, 1, 3, 1, 2, 1, 1, 2):
            p.drawRect(QRectF(s * x, s * 0.36, s * 0.0085 * width, s * 0.28))
            x += 0.0085 * width + 0.0085 * (1 + width % 2)
            if x > 0.72:
                break

    def _draw_document(self, p: QPainter, s: float) -> None:
        """A licence (a sheet with its QR code) going down onto the document camera's platen."""
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(INK)
        p.drawRoundedRect(QRectF(s * 0.08, s * 0.76, s * 0.84, s * 0.14), s * 0.03, s * 0.03)
        p.setPen(QPen(GOLD, s * 0.014))
        p.setBrush(WHITE)
        sheet = QRectF(s * 0.16, s * 0.12, s * 0.68, s * 0.46)
        p.drawRect(sheet)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(PALETTE.muted))
        for i in range(4):
            p.drawRect(QRectF(s * 0.22, s * (0.22 + i * 0.08), s * (0.3 if i % 2 else 0.36), s * 0.022))
        p.setBrush(INK)
        for row in range(5):  # the licence's QR code, top right
            for col in range(5):
                if (row * 3 + col * 7 + row * col) % 3 != 1 or (row in (0, 4) and col in (0, 4)):
                    p.drawRect(QRectF(s * (0.62 + col * 0.03), s * (0.18 + row * 0.03), s * 0.03, s * 0.03))
        self._arrow(p, s * 0.5, s * 0.68, s, down=True)

    def _draw_pinpad(self, p: QPainter, s: float) -> None:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(INK)
        p.drawRoundedRect(QRectF(s * 0.2, s * 0.08, s * 0.6, s * 0.84), s * 0.05, s * 0.05)
        p.setBrush(WHITE)
        for row in range(4):
            for col in range(3):
                p.drawRoundedRect(QRectF(s * (0.27 + col * 0.165), s * (0.2 + row * 0.17), s * 0.13, s * 0.12),
                                  s * 0.02, s * 0.02)

    def _draw_printer(self, p: QPainter, s: float) -> None:
        p.setPen(QPen(INK, s * 0.012))
        p.setBrush(WHITE)
        p.drawRect(QRectF(s * 0.3, s * 0.12, s * 0.4, s * 0.5))
        p.setBrush(QColor(PALETTE.muted))
        for i in range(4):
            p.drawRect(QRectF(s * 0.36, s * (0.2 + i * 0.08), s * 0.28, s * 0.015))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(INK)
        p.drawRoundedRect(QRectF(s * 0.12, s * 0.55, s * 0.76, s * 0.32), s * 0.04, s * 0.04)
