"""Connects the engine (on the UI thread) to the window.

Device and host work runs on the engine's worker threads; when a result is posted they call
``on_ready`` = :meth:`EngineBridge.wake`, which only emits a signal. Qt queues it to the UI thread,
where :meth:`_pump` applies the results. A timer calls ``engine.tick()`` for the inactivity timeout.
The UI thread never waits on a device or the host."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from kiosk.engine.screens import Input, ScreenModel

TICK_MS = 250


class EngineLike(Protocol):
    screen: ScreenModel

    def subscribe(self, listener: object) -> None: ...
    def send(self, inp: Input) -> None: ...
    def pump(self, wait: float = 0.0) -> int: ...
    def tick(self) -> None: ...


class EngineBridge(QObject):
    woke = Signal()
    screen = Signal(object)  # a ScreenModel, emitted on the UI thread

    def __init__(self, parent: QObject | None = None, tick_ms: int = TICK_MS) -> None:
        super().__init__(parent)
        self.engine: EngineLike | None = None
        self.woke.connect(self._pump, Qt.ConnectionType.QueuedConnection)
        self.timer = QTimer(self)
        self.timer.setInterval(tick_ms)
        self.timer.timeout.connect(self._tick)

    def wake(self) -> None:
        """Called from worker threads: only a (thread-safe, queued) signal."""
        try:
            self.woke.emit()
        except RuntimeError:  # the bridge is gone (shutting down): nothing left to wake
            pass

    def attach(self, engine: EngineLike) -> None:
        self.engine = engine
        engine.subscribe(self._published)
        self.timer.start()
        self.screen.emit(engine.screen)

    def detach(self) -> None:
        self.timer.stop()
        self.engine = None

    def send(self, inp: Input) -> None:
        if self.engine is not None:
            self.engine.send(inp)

    def _published(self, model: ScreenModel) -> None:
        if self.engine is not None:
            self.screen.emit(model)

    def _pump(self) -> None:
        if self.engine is not None:
            self.engine.pump()

    def _tick(self) -> None:
        if self.engine is not None:
            self.engine.tick()
            self.engine.pump()


def connect(bridge: EngineBridge, window: object, engine: EngineLike) -> None:
    """Wire a window (``show_model`` slot, ``intent`` signal) to the engine through ``bridge``."""
    bridge.screen.connect(window.show_model)  # type: ignore[attr-defined]
    window.intent.connect(bridge.send)  # type: ignore[attr-defined]
    bridge.attach(engine)
