"""Staff mode in the kiosk window: the staff desk, the layer that shows it, the hidden gesture that opens
it (installed on the application, so it sees presses on any widget), and the simulate-mode panel's
supervisor buttons routed through the desk (kiosk.app.staffdesk.StaffOnBehalf)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from kiosk.app.compose import Kiosk
from kiosk.app.staffdesk import StaffOnBehalf, build_staff_desk
from kiosk.engine.screens import Input, InputKind
from kiosk.engine.staff import StaffDesk
from kiosk.ui.staff import StaffGesture, StaffMode


@dataclass
class StaffUi:
    desk: StaffDesk
    mode: StaffMode
    gesture: StaffGesture
    on_behalf: StaffOnBehalf

    def route(self, send: Callable[[Input], None]) -> Callable[[Input], None]:
        """The panel's approve/reject (a staff number and a decision) signs that member in and decides at
        the desk; every other input goes to ``send``."""

        def routed(inp: Input) -> None:
            if inp.kind is InputKind.APPROVE and inp.staff:
                self.on_behalf.approve(inp.staff, inp.choice or "approve", inp.reason)
            else:
                send(inp)

        return routed

    def close(self) -> None:
        self.gesture.stop()
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self.gesture)
        self.mode.close_mode()
        self.mode.detach()


def attach_staff(kiosk: Kiosk, window: QWidget) -> StaffUi:
    """Staff mode over ``window``; subscribe it after the window's bridge, so it stays on top."""
    desk = build_staff_desk(kiosk)
    mode = StaffMode(window, desk)
    gesture = StaffGesture(window)
    gesture.triggered.connect(mode.open_mode)
    mode.opened.connect(lambda: setattr(gesture, "enabled", False))
    mode.closed.connect(lambda: setattr(gesture, "enabled", True))
    app = QCoreApplication.instance()
    if app is not None:
        app.installEventFilter(gesture)
    return StaffUi(desk, mode, gesture, StaffOnBehalf(desk, kiosk.people))
