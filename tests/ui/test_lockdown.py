"""Nothing a customer can press leaves a full-screen kiosk (kiosk/app/gui.py lock_down, kiosk/ui/shell.py): Ctrl+Q,
Alt+F4 (the window's close) and Escape do not end it, a minimized window comes back full screen; SIGTERM still
stops it. ``--windowed`` (development) quits on Ctrl+Q and on closing the window. Signed-in staff quit from the
maintenance screen, journaled with their number.

Whether the kiosk quit is seen the way ``kiosk run`` would see it: the application's event loop runs with the key
or the close queued, and either something ends it (exit code 0) or it is still running when a test timer ends it
with :data:`STILL_RUNNING`."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from kiosk.app.gui import lock_down, place, stop_on_signals

from .test_staff_mode import mode, open_staff_mode, sign_in, staff

STILL_RUNNING = 42
GRACE_MS = 600  # how long the loop is left to run after the last action before the test ends it


def run_loop(qapp: QApplication, *actions: Callable[[], object]) -> int:
    """Run the application's event loop with ``actions`` queued: its exit code (:data:`STILL_RUNNING` when
    nothing ended it)."""
    for action in actions:
        QTimer.singleShot(0, action)
    grace = QTimer()
    grace.setSingleShot(True)
    grace.timeout.connect(lambda: qapp.exit(STILL_RUNNING))
    grace.start(GRACE_MS)
    try:
        return qapp.exec()
    finally:
        grace.stop()


def ctrl_q(ui: Any) -> Callable[[], None]:
    """Ctrl+Q typed on the kiosk window, made the active window first (as the only window of a kiosk is)."""
    ui.window.activateWindow()
    ui.qtbot.waitUntil(lambda: QApplication.activeWindow() is ui.window)
    return lambda: QTest.keyClick(ui.window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)


@pytest.fixture
def full_screen(ui: Any, qapp: QApplication) -> Any:
    place(ui.window, windowed=False)
    lock_down(ui.running, windowed=False)
    ui.qtbot.waitUntil(ui.window.isFullScreen)
    ui.wait_step("home")
    return ui


@pytest.fixture
def restore_signals() -> Iterator[None]:
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def test_full_screen_ctrl_q_and_alt_f4_do_not_quit(full_screen: Any, qapp: QApplication) -> None:
    ui = full_screen
    alt_f4 = QCloseEvent()  # what the window manager sends for Alt+F4 or its close button
    assert run_loop(qapp, ctrl_q(ui), lambda: QApplication.sendEvent(ui.window, alt_f4)) == STILL_RUNNING
    assert not alt_f4.isAccepted()
    assert not ui.window.close()
    assert ui.window.isVisible()
    assert ui.window.isFullScreen()
    ui.wait_step("home")


def test_full_screen_escape_cancels_the_session_and_stays(full_screen: Any, qapp: QApplication) -> None:
    ui = full_screen
    assert run_loop(qapp, lambda: QTest.keyClick(ui.window, Qt.Key.Key_Escape)) == STILL_RUNNING  # at home
    ui.click("flow-si_payment")
    ui.wait_step("consent")
    assert run_loop(qapp, lambda: QTest.keyClick(ui.window, Qt.Key.Key_Escape)) == STILL_RUNNING
    ui.wait_until(lambda: ui.engine.session is None)  # Escape is the footer's Cancel: a safe end, not an exit
    ui.wait_step("home")
    assert ui.window.isVisible()


def test_full_screen_a_minimized_window_comes_back_full_screen(full_screen: Any) -> None:
    ui = full_screen
    ui.window.showMinimized()
    ui.qtbot.waitUntil(lambda: ui.window.isFullScreen() and not ui.window.isMinimized())
    ui.window.showNormal()
    ui.qtbot.waitUntil(ui.window.isFullScreen)


def test_full_screen_sigterm_still_stops_the_kiosk(full_screen: Any, qapp: QApplication, restore_signals: None) -> None:
    ui = full_screen
    stop_on_signals(ui.running)
    assert run_loop(qapp, lambda: os.kill(os.getpid(), signal.SIGTERM)) == 0
    assert not ui.window.locked  # run_gui then closes the window and the kiosk


def test_windowed_ctrl_q_quits(ui: Any, qapp: QApplication) -> None:
    lock_down(ui.running, windowed=True)
    assert run_loop(qapp, ctrl_q(ui)) == 0


def test_windowed_closing_the_window_quits(ui: Any, qapp: QApplication) -> None:
    lock_down(ui.running, windowed=True)
    assert run_loop(qapp, ui.window.close) == 0
    assert not ui.window.isVisible()


def test_staff_quit_the_kiosk_from_the_maintenance_screen(full_screen: Any, qapp: QApplication) -> None:
    ui = full_screen
    open_staff_mode(ui)
    sign_in(ui, "M2001")
    ui.click("staff-tile-maintenance", mode(ui))
    quit_button = ui.button("staff-quit-kiosk", mode(ui))
    assert quit_button.text() == "退出程序"
    assert run_loop(qapp, lambda: ui.click("staff-quit-kiosk", mode(ui))) == 0
    journal = ui.kiosk.services.journal
    last = journal.entries_on(ui.kiosk.services.clock.now().date(), "staff")[-1]
    assert (last.name, last.detail) == ("quit", {"staff": "M2001"})


def test_staff_cannot_quit_while_a_customer_is_served(full_screen: Any, qapp: QApplication) -> None:
    ui = full_screen
    ui.click("flow-si_payment")
    ui.wait_step("consent")
    open_staff_mode(ui)
    sign_in(ui, "S1001")
    ui.click("staff-tile-maintenance", mode(ui))
    assert run_loop(qapp, lambda: ui.click("staff-quit-kiosk", mode(ui))) == STILL_RUNNING
    assert staff(ui).desk.notice.key == "staff.quit.session_running"
    last = ui.kiosk.services.journal.entries_on(ui.kiosk.services.clock.now().date(), "staff")[-1]
    assert (last.name, last.detail) == ("quit_refused", {"staff": "S1001", "reason": "session_running"})
    ui.click("staff-close", mode(ui))
    assert ui.window.isVisible()
