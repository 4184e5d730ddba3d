"""The kiosk window as a service: the systemd watchdog fed from the Qt event loop (kiosk/app/sdnotify.py).

The feed is a QTimer on the UI thread, not a thread of its own: while the event loop is blocked (a hung
window), no ``WATCHDOG=1`` goes out, and after ``WatchdogSec`` the service manager kills the kiosk and
starts it again (deploy/kiosk.service)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from kiosk.app.sdnotify import Notifier


class WatchdogFeeder(QObject):
    """Sends ``WATCHDOG=1`` every half watchdog period while the event loop runs; does nothing without one."""

    def __init__(self, notifier: Notifier, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.notifier = notifier
        self.timer = QTimer(self)
        self.timer.setObjectName("WatchdogFeed")
        self.timer.timeout.connect(self.feed)
        interval = notifier.feed_interval_s
        if interval is not None:
            self.timer.setInterval(max(1, round(interval * 1000)))

    @property
    def active(self) -> bool:
        return self.timer.isActive()

    def start(self) -> None:
        if self.notifier.feed_interval_s is not None:
            self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def feed(self) -> None:
        self.notifier.watchdog()
