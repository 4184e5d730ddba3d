"""``kiosk run``: the Qt application. Builds the kiosk, wires the engine to the window through the
bridge, opens the simulate-mode panel when every device is simulated, and closes everything
(devices, journal, the host simulator process) when the kiosk is stopped.

Full screen, nothing a customer can press leaves the kiosk (:func:`lock_down`): it stops on SIGTERM (the
service manager), SIGINT, or a signed-in member of staff's quit on the maintenance screen. ``--windowed``
(development) also quits on Ctrl+Q and when the window is closed. Under systemd it says when it is ready
and feeds the watchdog from the event loop (kiosk/app/sdnotify.py, kiosk/app/gui_service.py)."""

from __future__ import annotations

import gc
import logging
import os
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QWidget

from devices.backends import BACKENDS
from kiosk.app.compose import Kiosk, build_kiosk
from kiosk.app.config import KioskConfig
from kiosk.app.gui_camera import CameraPreview
from kiosk.app.gui_service import WatchdogFeeder
from kiosk.app.host_start import HostLaunch
from kiosk.app.sdnotify import Notifier
from kiosk.core.logsetup import configure_logging
from kiosk.ui.bridge import EngineBridge, connect
from kiosk.ui.shell import KioskWindow
from kiosk.ui.theme import FONT_FAMILY
from kiosk.ui.voicebar import GuideVoice

if TYPE_CHECKING:  # staff mode and the simulate-mode panel load after the first paint under `kiosk run`
    from kiosk.app.gui_staff import StaffUi
    from kiosk.ui.simpanel import SimPanel

log = logging.getLogger(__name__)
WINDOWED_SIZE = (1280, 800)
HOME_LINE = "kiosk home screen painted at monotonic "  # --quit-at-home: then the time.monotonic() seconds


def all_simulated(config: KioskConfig) -> bool:
    """Every device is a simulator (its backend's entry in devices.backends says so)."""
    return all(table[getattr(config.devices, name).backend].simulated for name, table in BACKENDS.items())


@dataclass
class KioskApp:
    """What run_gui keeps alive while the event loop runs (tests build one too)."""

    kiosk: Kiosk
    bridge: EngineBridge
    window: KioskWindow
    panel: SimPanel | None = None
    staff: StaffUi | None = None
    attach_later: Callable[[], None] | None = None  # builds staff mode and the panel (open_kiosk's defer_extras)
    closing: bool = False
    stop_requested: bool = False

    def stop(self) -> None:
        """Stop the kiosk on purpose (SIGTERM, a member of staff's quit, Ctrl+Q in a window): the event loop
        ends and whoever runs it closes the kiosk (run_gui), the window too. Not QCoreApplication.quit():
        that first asks every window to close, and a locked one refuses."""
        if self.closing:  # the window closing in close(): the loop is over already (exit() now would end the next)
            return
        self.stop_requested = True
        self.window.lock(False)
        QCoreApplication.exit(0)

    def close(self, close_kiosk: bool = True) -> None:
        self.closing = True
        self.window.lock(False)
        self.bridge.detach()
        if self.staff is not None:
            self.staff.close()
        if self.panel is not None:
            self.panel.timer.stop()
            self.panel.close()
            self.panel.deleteLater()
        self.window.close()
        self.window.deleteLater()
        if close_kiosk:
            self.kiosk.close()


def open_kiosk(config: KioskConfig, *, sim_panel: bool | None = None,
               build: Callable[..., Kiosk] = build_kiosk, defer_extras: bool = False, **options: Any) -> KioskApp:
    """Build the kiosk and its window (not shown yet). ``build(config, on_ready=..., **options)``
    makes the kiosk: build_kiosk, or a test's factory (manual clock, its own data folder).

    Staff mode and the simulate-mode panel (when ``sim_panel``, or by default when every device is
    simulated) are built before this returns, unless ``defer_extras``: then :func:`attach_extras` builds
    them (``kiosk run`` does so right after the home screen's first paint)."""
    bridge = EngineBridge()
    window = KioskWindow(config.kiosk.bank_name)
    kiosk = build(config, on_ready=bridge.wake, **options)
    if kiosk.guide is not None and kiosk.speaker is not None:  # the voice controls in the header
        window.set_voice(GuideVoice(kiosk.guide, kiosk.speaker))
    connect(bridge, window, kiosk.engine)
    if kiosk.devices.camera is not None:  # the face screen's live preview, and the scan screen's of any camera
        others = {name: device for name, device in kiosk.devices.by_name().items()
                  if name != "camera" and hasattr(device, "latest_frame")}
        preview = CameraPreview(kiosk.devices.camera, window, others)
        bridge.screen.connect(preview.on_model)
    running = KioskApp(kiosk, bridge, window)
    wants_panel = all_simulated(config) if sim_panel is None else sim_panel
    running.attach_later = lambda: attach_extras(running, config, wants_panel)
    if not defer_extras:
        running.attach_later()
    return running


def attach_extras(running: KioskApp, config: KioskConfig, sim_panel: bool) -> None:
    """Text to speech, staff mode over the window (subscribed after the bridge, so it stays above the
    customer screen) and, when ``sim_panel``, the simulate-mode panel, whose supervisor buttons go through staff mode."""
    from kiosk.app.gui_panel import PanelControls
    from kiosk.app.gui_staff import attach_staff
    from kiosk.ui.simpanel import SimPanel

    running.attach_later = None
    start_voice = getattr(running.kiosk.speaker, "warm", None)  # text to speech, made not started (build_kiosk)
    if start_voice is not None:
        start_voice()
    running.staff = attach_staff(running.kiosk, running.window)
    running.staff.desk.maintenance.on_quit = running.stop  # the maintenance screen's 退出程序
    if sim_panel:
        running.panel = SimPanel(PanelControls(running.kiosk), running.staff.route(running.bridge.send),
                                 config.kiosk.language)
        running.bridge.screen.connect(running.panel.show_model)
        running.panel.show_model(running.kiosk.engine.screen)  # the screen it came in on


def place(window: QWidget, windowed: bool) -> None:
    if windowed:
        window.resize(*WINDOWED_SIZE)
        window.show()
        return
    screen = QApplication.primaryScreen()
    if screen is not None:
        window.setGeometry(screen.geometry())  # a bare X server (Xvfb) does not resize a full-screen window
    window.showFullScreen()


def say(line: str) -> None:
    """One line for the person who started the kiosk (the log has the details)."""
    sys.stderr.write(f"kiosk: {line}\n")
    sys.stderr.flush()


def where_shown(app: QApplication) -> str:
    platform = app.platformName()
    if platform == "xcb":
        return f"X display {os.environ.get('DISPLAY', '?')}"
    if platform == "wayland":
        return f"Wayland display {os.environ.get('WAYLAND_DISPLAY', '?')}"
    return f"the {platform} platform (no screen)"


def run_gui(config: KioskConfig, windowed: bool = False, *, host: HostLaunch | None = None,
            quit_at_home: bool = False, notifier: Notifier | None = None) -> int:
    """``host``: the host launched before the GUI's imports (``kiosk run``). ``quit_at_home``: quit once the
    home screen is painted and the event loop is free, after printing :data:`HOME_LINE` and the time.
    ``notifier``: the service manager's (read from the environment before anything was started)."""
    notifier = notifier or Notifier()
    log_file = (config.data_dir / "logs" / "kiosk.log").resolve()
    configure_logging(config.kiosk.log_level, log_file)
    say(f"starting; log: {log_file}")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setFont(QFont(FONT_FAMILY))
    running = open_kiosk(config, voice=True, host=host, defer_extras=True,  # staff mode, panel: after the paint
                         recover_now=False)
    watchdog = WatchdogFeeder(notifier, running.window)
    try:
        if running.kiosk.engine.start_recovery():  # 暂停服务 until what the last run left is resolved
            say("recovering what the last run left unfinished before service")
        place(running.window, windowed)
        lock_down(running, windowed)
        stop_on_signals(running)
        log.info("kiosk window up (%s)", "windowed" if windowed else "full screen")
        size = running.window.size()
        how = "Ctrl+C, Ctrl+Q or SIGTERM" if windowed else "SIGTERM, Ctrl+C, or staff mode's maintenance screen"
        say(f"window up on {where_shown(app)} ({'windowed' if windowed else 'full screen'}, "
            f"{size.width()}x{size.height()}); stop with {how}")
        when_painted(running.window, lambda: home_shown(running, quit_at_home, notifier))
        watchdog.start()
        QTimer.singleShot(0, lambda: running.stop() if running.stop_requested else None)  # a SIGTERM before exec()
        return app.exec()
    finally:
        watchdog.stop()
        notifier.stopping("stopping")
        say("stopping: devices, journal and the host simulator")
        running.close()
        log.info("kiosk closed")
        say("stopped")


def home_shown(running: KioskApp, quit_at_home: bool, notifier: Notifier | None = None) -> None:
    """The home screen is painted and the event loop is free: start what can wait, then tell the service
    manager the kiosk is ready (its watchdog counts from here)."""
    painted = time.monotonic()
    gc.freeze()  # what start-up made lives as long as the kiosk: out of the collector's way (`kiosk run` paused it)
    gc.enable()
    age = process_age()
    log.info("home screen up %s", f"{age:.2f} s after the process started" if age is not None else "")
    if running.attach_later is not None:  # staff mode and the simulate-mode panel (its first Chinese text)
        running.attach_later()
        if running.panel is not None:
            running.panel.move(0, 0)
            running.panel.show()
            running.panel.raise_()
    running.kiosk.warm_up()  # the face matcher, chip photos, camera pictures: they were not needed until now
    if notifier is not None and notifier.enabled:
        notifier.ready("home screen up")
        notifier.watchdog()
    if quit_at_home:
        sys.stdout.write(f"{HOME_LINE}{painted:.6f}\n")
        sys.stdout.flush()
        running.stop()  # the window is locked in full screen: stop as the kiosk stops itself


class _FirstPaint(QObject):
    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self.then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.then)  # after this paint, once the loop is free again
        return False


def when_painted(widget: QWidget, then: Callable[[], None]) -> None:
    """Call ``then`` once ``widget`` has painted for the first time and the event loop is free."""
    _FirstPaint(widget, then)


def process_age() -> float | None:
    """Seconds since this process started (Linux /proc, 10 ms steps); None where it cannot be read."""
    try:
        started = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        return time.clock_gettime(time.CLOCK_BOOTTIME) - started / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def lock_down(running: KioskApp, windowed: bool) -> None:
    """How the kiosk can be left. ``windowed`` (development): Ctrl+Q, and closing the window. Full screen:
    nothing a customer can press: no Ctrl+Q, and the window refuses to close (Alt+F4, the window manager)
    and comes back to full screen if minimized. Staff quit on the maintenance screen (attach_extras)."""
    window = running.window
    window.closed.connect(running.stop)
    if windowed:
        QShortcut(QKeySequence("Ctrl+Q"), window, running.stop)
    else:
        window.lock()


def stop_on_signals(running: KioskApp) -> None:
    """SIGTERM (``systemctl stop``) and SIGINT (Ctrl+C in a terminal) stop the kiosk cleanly."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: running.stop())
    wakeup = QTimer(running.window)  # lets Python run its signal handlers while Qt waits
    wakeup.timeout.connect(lambda: None)
    wakeup.start(300)
