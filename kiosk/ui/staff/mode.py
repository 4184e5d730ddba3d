"""Staff mode: a layer over the kiosk window, opened by the hidden gesture (gesture.py), showing the staff
desk (kiosk/engine/staff/): sign-in, then home, approval, help request, maintenance and the journal.

It covers the whole customer screen while it is open and takes every key and touch, so nothing reaches
the customer's screen underneath. It calls only the desk; the desk does the work off the UI thread and
says when something changed (``subscribe``), and the current screen is shown again.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from kiosk.engine.staff import DeskState, StaffDesk
from kiosk.ui.staff.base import StaffScreen
from kiosk.ui.staff.screens import ApprovalScreen, HelpScreen, HomeScreen, SignInScreen
from kiosk.ui.staff.service import MaintenanceScreen, RecordsScreen
from kiosk.ui.staff.style import staff_style
from kiosk.ui.text import ui_text
from kiosk.ui.theme import scale_for
from kiosk.ui.widgets import button, label, set_flag

SCREENS: tuple[type[StaffScreen], ...] = (SignInScreen, HomeScreen, ApprovalScreen, HelpScreen, MaintenanceScreen,
                                          RecordsScreen)


class StaffMode(QWidget):
    opened = Signal()
    closed = Signal()

    def __init__(self, window: QWidget, desk: StaffDesk) -> None:
        super().__init__(window)
        self.setObjectName("StaffMode")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.window_ = window
        self.desk = desk
        self.lang = desk.lang
        self.scale = 0.0
        self._build_band()
        self.notice = QFrame()
        self.notice.setObjectName("StaffNotice")
        self.notice_text = label("", "StaffNoticeText")
        QHBoxLayout(self.notice).addWidget(self.notice_text)
        self.stack = QStackedWidget()
        self.screens: dict[str, StaffScreen] = {}
        for cls in SCREENS:
            screen = cls(self)
            self.screens[cls.name] = screen
            self.stack.addWidget(screen)
        self.body = QVBoxLayout()
        self.body.addWidget(self.notice)
        self.body.addWidget(self.stack, 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self.band)
        outer.addLayout(self.body, 1)
        window.installEventFilter(self)
        desk.subscribe(self.refresh)
        self.hide()

    def t(self, key: str, **params: object) -> str:
        return ui_text(self.lang, key, **params)

    def _build_band(self) -> None:
        self.band = QFrame()
        self.band.setObjectName("StaffBand")
        row = QHBoxLayout(self.band)
        row.addWidget(label(self.t("staff.ui.title"), "StaffTitle", wrap=False))
        self.who = label("", "StaffWho", wrap=False)
        row.addWidget(self.who)
        row.addStretch(1)
        self.home_button = button(self.t("staff.ui.nav.home"), "staff-nav-home")
        self.home_button.clicked.connect(lambda: self.go("home"))
        self.sign_out_button = button(self.t("staff.ui.nav.sign_out"), "staff-sign-out")
        self.sign_out_button.clicked.connect(lambda _=False: self.desk.sign_out())
        self.close_button = button(self.t("staff.ui.nav.close"), "staff-close")
        self.close_button.clicked.connect(self.close_mode)
        for b in (self.home_button, self.sign_out_button, self.close_button):
            row.addWidget(b)

    # --- open, close, go -------------------------------------------------------------------------
    def open_mode(self) -> None:
        """The gesture: show staff mode over the customer screen (the sign-in first)."""
        if self.isVisible():
            return
        self.desk.open()
        self._fit()
        self.show()
        self.raise_()
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)  # keys typed anywhere in the kiosk window come here
        self.go("home" if self.desk.member else "signin")
        self.opened.emit()

    def close_mode(self) -> None:
        if not self.isVisible():
            return
        self._stop_keys()
        self.hide()
        self.desk.close()
        for screen in self.screens.values():
            screen.refresh()  # a screen drops what it held (a typed password, a reason)
        self.closed.emit()

    def go(self, name: str) -> None:
        if name != "signin" and self.desk.member is None:
            name = "signin"
        screen = self.screens[name]
        self.desk.touch()
        self.stack.setCurrentWidget(screen)
        getattr(screen, "entered", lambda: None)()
        self.refresh()

    def current(self) -> StaffScreen:
        widget = self.stack.currentWidget()
        assert isinstance(widget, StaffScreen)
        return widget

    def refresh(self) -> None:
        """The desk changed: route (signed out: sign-in; signed in: not the sign-in), then show."""
        if not self.isVisible():
            return
        if not self.desk.present:
            self.close_mode()
            return
        if self.desk.member is None and self.current().name != "signin":
            self.stack.setCurrentWidget(self.screens["signin"])
        elif self.desk.member is not None and self.desk.state is DeskState.SIGNED_IN \
                and self.current().name == "signin":
            self.current().refresh()  # forgets what was typed
            self.stack.setCurrentWidget(self.screens["home"])
            self.screens["home"].refresh()
        member = self.desk.member
        self.who.setText(self.t("staff.ui.who", name=member.name, number=member.number,
                                role=self.t(f"staff.role.{member.role.value}")) if member else "")
        self.home_button.setVisible(member is not None and self.current().name != "home")
        self.sign_out_button.setVisible(member is not None)
        notice = self.desk.notice
        self.notice_text.setText(notice.text(self.lang) if notice else "")
        set_flag(self.notice, "error", "true" if notice and notice.error else "false")
        self.notice.setVisible(notice is not None)
        self.current().refresh()
        self.raise_()

    def detach(self) -> None:
        """The window is going away: stop listening to the desk and the window."""
        self.desk.unsubscribe(self.refresh)
        self.window_.removeEventFilter(self)
        self._stop_keys()

    def _stop_keys(self) -> None:
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    # --- size, keys ------------------------------------------------------------------------------
    def _fit(self) -> None:
        self.setGeometry(self.window_.rect())
        scale = round(scale_for(self.window_.width(), self.window_.height()), 2)
        if scale != self.scale:
            self.scale = scale
            self.setStyleSheet(staff_style(scale))
            m = max(1, round(28 * scale))
            self.band.layout().setContentsMargins(m * 2, m // 2, m * 2, m // 2)
            self.band.layout().setSpacing(m)
            self.body.setContentsMargins(m * 2, m, m * 2, m)
            self.body.setSpacing(m // 2)
            self.notice.layout().setContentsMargins(m, m // 2, m, m // 2)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if watched is self.window_ and kind == QEvent.Type.Resize and self.isVisible():
            self._fit()
        elif kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) and self.isVisible() \
                and isinstance(watched, QWidget) and watched is not self and not self.isAncestorOf(watched) \
                and (watched is self.window_ or self.window_.isAncestorOf(watched)):
            if kind == QEvent.Type.KeyPress:  # a key meant for the customer's screen underneath: ours
                self.keyPressEvent(event)  # type: ignore[arg-type]
            return True
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        """The service keyboard types into staff mode, and nothing goes on to the customer's screen."""
        key = event.key()
        self.desk.touch()
        if key == Qt.Key.Key_Escape:
            self.close_mode()
        elif key in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
            self.current().type_key("delete")
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.current().type_key("enter")
        elif event.text() and event.text().isprintable():
            self.current().type_key(event.text())
        event.accept()

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802 - Qt's name: Tab stays in staff mode
        return True
