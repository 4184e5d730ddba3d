"""The kiosk window: header, the current screen, error and notice lines, footer, timeout overlay.

It renders whatever :class:`ScreenModel` it is given (``show_model``) and emits what the person did
as an :class:`Input` (``intent``). It knows nothing of the engine, the devices or the host."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from kiosk.engine.screens import ScreenKind, ScreenModel
from kiosk.ui.chrome import Footer, Header, MessageLine, TimeoutOverlay
from kiosk.ui.screens import SCREENS, Screen
from kiosk.ui.theme import scale_for, style_sheet


class KioskWindow(QWidget):
    intent = Signal(object)  # an Input
    rendered = Signal(object)  # the ScreenModel just shown (benchmarks and tests wait on it)
    closed = Signal()

    def __init__(self, bank_name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("KioskWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setWindowTitle(bank_name)
        self.model: ScreenModel | None = None
        self.scale = 0.0
        self.elderly = False
        self._screens: dict[ScreenKind, Screen] = {}
        self.header = Header(bank_name)
        self.stack = QStackedWidget()
        self.stack.setObjectName("ScreenStack")
        self.error = MessageLine("ErrorLine", "warning")
        self.notice = MessageLine("NoticeLine", "info")
        self.footer = Footer()
        self._content = QVBoxLayout()
        self._content.addWidget(self.stack, 1)
        self._content.addWidget(self.error)
        self._content.addWidget(self.notice)
        outer = QVBoxLayout(self)
        outer.setSizeConstraint(QVBoxLayout.SizeConstraint.SetNoConstraint)  # never grow past the screen
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self.header)
        outer.addLayout(self._content, 1)
        outer.addWidget(self.footer)
        self.overlay = TimeoutOverlay(self)
        for part in (self.header, self.footer, self.overlay):
            part.intent.connect(self.intent.emit)

    # --- screens -----------------------------------------------------------------------------
    def screen(self, kind: ScreenKind) -> Screen:
        """The screen for ``kind``, made on first use and kept (switching is cheap)."""
        screen = self._screens.get(kind)
        if screen is None:
            screen = SCREENS[kind]()
            screen.set_scale(self.scale or 1.0)
            screen.intent.connect(self.intent.emit)
            self._screens[kind] = screen
            self.stack.addWidget(screen)
        return screen

    def current_screen(self) -> Screen:
        widget = self.stack.currentWidget()
        assert isinstance(widget, Screen)
        return widget

    def show_model(self, model: ScreenModel) -> None:
        self.model = model
        self._rescale()
        screen = self.screen(model.kind)
        screen.render(model)
        screen.setEnabled(not model.busy)
        self.stack.setCurrentWidget(screen)
        self._render_chrome(model)
        if model.session_id is None:
            self._forget()
        self.rendered.emit(model)

    def _render_chrome(self, model: ScreenModel) -> None:
        self.header.render(model, self.scale)
        self.error.show_text(model.error, self.scale)
        self.notice.show_text(model.notice, self.scale)
        self.footer.render(model, self.scale)
        self.overlay.render(model, self.scale)

    def _forget(self) -> None:
        """The session ended: drop what a form still holds (mobile number, SMS code)."""
        for screen in self._screens.values():
            if screen.model is not None and screen.model.session_id is not None:
                screen.forget()
                screen.model = None

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.closed.emit()
        super().closeEvent(event)

    # --- size and theme ----------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._rescale()
        if self.overlay.isVisible():
            self.overlay.setGeometry(self.rect())

    def _rescale(self) -> None:
        elderly = bool(self.model and self.model.elderly)
        scale = round(scale_for(self.width(), self.height()), 2)
        if (scale, elderly) == (self.scale, self.elderly):
            return
        self.scale, self.elderly = scale, elderly
        self.setStyleSheet(style_sheet(scale, elderly))
        margin = round(48 * scale)
        self._content.setContentsMargins(margin * 2, margin, margin * 2, margin // 2)
        self._content.setSpacing(round(16 * scale))
        for screen in self._screens.values():
            screen.set_scale(scale)
        if self.model is not None:
            self._render_chrome(self.model)
