"""The kiosk window: header, the elderly-mode offer, the current screen, error and notice lines, footer,
timeout overlay.

It renders whatever :class:`ScreenModel` it is given (``show_model``) and emits what the person did
as an :class:`Input` (``intent``). It knows nothing of the engine, the devices or the host; the voice
controls come in through ``set_voice`` (kiosk/app/gui.py). Keypad use: kiosk/ui/keys.py.

Locked (``lock``, a full-screen kiosk): the window refuses to close (Alt+F4, the window manager's close
button) and goes back to full screen when something minimizes or restores it; only the kiosk's own
stop (``lock(False)`` first) closes it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QAbstractButton, QStackedWidget, QVBoxLayout, QWidget

from kiosk.engine.screens import ScreenKind, ScreenModel
from kiosk.ui import keys
from kiosk.ui.chrome import Footer, Header, OfferBanner, TimeoutOverlay
from kiosk.ui.screens import SCREENS, Screen
from kiosk.ui.theme import scale_for, style_sheet
from kiosk.ui.voicebar import VoiceControls
from kiosk.ui.widgets import MessageLine


class KioskWindow(QWidget):
    intent = Signal(object)  # an Input
    rendered = Signal(object)  # the ScreenModel just shown (benchmarks and tests wait on it)
    closed = Signal()
    locked = False  # full screen: nothing a customer presses closes or hides the window (set before __init__ runs)

    def __init__(self, bank_name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("KioskWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # the window holds focus until a keypad is used
        self.setWindowTitle(bank_name)
        self.model: ScreenModel | None = None
        self.scale = 0.0
        self.elderly = False
        self.keyboard = False  # the customer uses the keypad: focus follows to each new screen
        self._screens: dict[ScreenKind, Screen] = {}
        self.header = Header(bank_name)
        self.offer = OfferBanner()
        self.stack = QStackedWidget()
        self.stack.setObjectName("ScreenStack")
        self.error = MessageLine("ErrorLine", "warning")
        self.notice = MessageLine("NoticeLine", "info")
        self.footer = Footer()
        self._content = QVBoxLayout()
        self._content.addWidget(self.offer)
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
        for part in (self.header, self.offer, self.footer, self.overlay):
            part.intent.connect(self.intent.emit)

    def set_voice(self, controls: VoiceControls | None) -> None:
        """The voice guide's switch and repeat and the speaker's volume; None hides the voice controls."""
        self.header.voice.set_controls(controls)

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
        last, self.model = self.model, model
        self._rescale()
        screen = self.screen(model.kind)
        screen.render(model)
        screen.setEnabled(not model.busy)
        self.stack.setCurrentWidget(screen)
        self._render_chrome(model)
        if model.session_id is None:
            self._forget()
        if self.keyboard:  # once the new screen's buttons are shown (a queued call shows them)
            new = last is None or (last.step, last.kind) != (model.step, model.kind)
            QTimer.singleShot(0, self, lambda: self._focus_first(force=new))
        self.rendered.emit(model)

    def _render_chrome(self, model: ScreenModel) -> None:
        self.header.render(model, self.scale)
        self.offer.render(model, self.scale)
        shown_here = self.screen(model.kind).shows_error
        self.error.show_text(None if shown_here else model.error, self.scale)
        self.notice.show_text(model.notice, self.scale)
        self.footer.render(model, self.scale)
        self.overlay.render(model, self.scale)

    def _forget(self) -> None:
        """The session ended: drop what a form still holds (mobile number, SMS code)."""
        ended = [s for s in self._screens.values() if s.model is not None and s.model.session_id is not None]
        for screen in ended:
            screen.forget()
            screen.model = None
        if ended and self.keyboard:  # the next customer starts with touch: no focus ring left
            self.keyboard = False
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not self.keyboard:
            self.setFocus(Qt.FocusReason.OtherFocusReason)  # not the first button: no focus ring for touch

    def lock(self, locked: bool = True) -> None:
        self.locked = locked

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self.locked:  # Alt+F4 or the window manager: a full-screen kiosk stays
            event.ignore()
            return
        self.closed.emit()
        super().closeEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if self.locked and event.type() == QEvent.Type.WindowStateChange and self._not_full_screen():
            QTimer.singleShot(0, self, self._back_to_full_screen)  # minimized or restored from outside

    def _not_full_screen(self) -> bool:
        return self.isVisible() and (self.isMinimized() or not self.isFullScreen())

    def _back_to_full_screen(self) -> None:
        if self.locked and self._not_full_screen():
            self.showFullScreen()

    # --- keypad ------------------------------------------------------------------------------
    def focus_order(self) -> list[QAbstractButton]:
        """What Tab and the arrows move through (kiosk/ui/keys.py)."""
        if self.overlay.isVisible():
            return keys.actionable(self.overlay)
        return [*keys.actionable(self.offer), *keys.actionable(self.stack.currentWidget()),
                *keys.actionable(self.footer), *keys.actionable(self.header)]

    def _keys_are_ours(self) -> bool:
        """The focus is on the customer's window (not on something layered over it, e.g. staff mode)."""
        focused = self.focusWidget()
        parts = (self.header, self.offer, self.stack, self.footer, self.overlay)
        return focused is None or focused is self or any(p.isAncestorOf(focused) for p in parts)

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802 - Qt's name (Tab, Shift+Tab)
        if not self._keys_are_ours():
            return super().focusNextPrevChild(forward)
        self.keyboard = True
        focused = keys.move_focus(self.focus_order(), self.focusWidget(), forward)
        if focused is not None:
            self.header.voice.speak_item(focused.text())  # the voice says the focused item
        return True

    def _focus_first(self, force: bool) -> None:
        """A new screen (``force``), or the focused button went away: focus the first one."""
        order = self.focus_order()
        if order and (force or self.focusWidget() not in order):
            order[0].setFocus(Qt.FocusReason.TabFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        key = event.key()
        if not self._keys_are_ours():
            super().keyPressEvent(event)
            return
        if key in keys.NEXT_KEYS or key in keys.PREVIOUS_KEYS:
            self.focusNextPrevChild(key in keys.NEXT_KEYS)
        elif key in keys.ENTER_KEYS:
            focused = self.focusWidget()
            if isinstance(focused, QAbstractButton) and focused in self.focus_order():
                focused.click()
        elif key == Qt.Key.Key_Escape:
            self._escape()
        elif (typed := keys.typed(event)) is not None and not self.overlay.isVisible():
            self.current_screen().type_key(typed)
        else:
            super().keyPressEvent(event)
            return
        self.keyboard = True
        event.accept()

    def _escape(self) -> None:
        """Esc is Cancel, or Back where there is no Cancel (as the footer shows them)."""
        for b in (self.footer.cancel, self.footer.back):
            if b.isVisible() and b.isEnabled():
                b.click()
                return

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
        self._content.setContentsMargins(margin * 2, margin * 2 // 3, margin * 2, margin // 2)
        self._content.setSpacing(round(16 * scale))
        for screen in self._screens.values():
            screen.set_scale(scale)
        if self.model is not None:
            self._render_chrome(self.model)
