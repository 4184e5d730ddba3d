"""The kiosk window on simulators (offscreen), a customer who clicks it, and napari-style leak checks:
a test fails if it leaves a top-level widget, a running QTimer or a thread behind."""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Iterator
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

THREAD_GRACE_S = 3.0


def _flush_deletes() -> None:
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.processEvents()


@pytest.fixture(autouse=True)
def no_leaks(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail on widgets, timers or threads the test left behind (set up first, checked last)."""
    started: weakref.WeakSet[QTimer] = weakref.WeakSet()
    base_start = QTimer.start

    def start(self: QTimer, *args: Any) -> None:
        started.add(self)
        base_start(self, *args)

    monkeypatch.setattr(QTimer, "start", start)
    widgets_before = set(map(id, QApplication.topLevelWidgets()))
    threads_before = set(threading.enumerate())
    yield
    _flush_deletes()
    leaked = [w for w in QApplication.topLevelWidgets() if id(w) not in widgets_before]
    timers = [t for t in list(started) if shiboken6.isValid(t) and t.isActive()]
    deadline = time.monotonic() + THREAD_GRACE_S
    while time.monotonic() < deadline and [t for t in threading.enumerate() if t not in threads_before]:
        time.sleep(0.05)
    threads = [t.name for t in threading.enumerate() if t not in threads_before]
    names = [f"{type(w).__name__}:{w.objectName()}" for w in leaked]
    for w in leaked:
        w.close()
        w.deleteLater()
    _flush_deletes()
    assert not names, f"leaked widgets: {names}"
    assert not timers, f"leaked running timers: {len(timers)}"
    assert not threads, f"leaked threads: {threads}"


@pytest.fixture
def open_ui(qtbot: Any, kiosk_factory: Any) -> Iterator[Any]:
    """Opens the kiosk window (1280x800, or ``size``) on a kiosk from the suite's factory."""
    from kiosk.app.gui import open_kiosk
    from kiosk.app.scenario import scenario_config

    opened = []

    def open_(overrides: dict[str, Any] | None = None, size: tuple[int, int] = (1280, 800),
              speaker: Any = None) -> Customer:
        """``speaker``: a fake speaker; the real VoiceGuide speaks through it (and the window shows its controls)."""
        config = scenario_config(None, {"face.matcher": "sim", **(overrides or {})})

        def build(_config: Any, **kw: Any) -> Any:
            kiosk = kiosk_factory(overrides, **kw)
            if speaker is not None:
                from kiosk.engine.guide import VoiceGuide

                kiosk.speaker, kiosk.guide = speaker, VoiceGuide(speaker)
                kiosk.guide.attach(kiosk.engine)
            return kiosk

        running = open_kiosk(config, sim_panel=True, build=build)
        opened.append(running)
        running.window.resize(*size)
        running.window.show()
        running.panel.show()
        qtbot.waitExposed(running.window)
        return Customer(qtbot, running)

    yield open_
    for running in opened:
        running.close(close_kiosk=False)  # the factory closes the kiosk after us


@pytest.fixture
def ui(open_ui: Any) -> Any:
    return open_ui()


class Customer:
    """Clicks the real buttons of the window; the tester's hands go through SimulatorControls."""

    def __init__(self, qtbot: Any, running: Any) -> None:
        from kiosk.app.qa import SimulatorControls

        self.qtbot = qtbot
        self.running = running
        self.window = running.window
        self.panel = running.panel
        self.kiosk = running.kiosk
        self.engine = running.kiosk.engine
        self.qa = SimulatorControls(running.kiosk)

    @property
    def model(self) -> Any:
        return self.window.model

    def wait_step(self, step: str, timeout_ms: int = 10_000) -> None:
        """Wait for ``step`` (not busy), then check its words are all catalog text or model data."""
        def shown() -> None:
            model = self.window.model
            assert model is not None
            assert (model.step, model.busy) == (step, False), f"error on screen: {model.error!r}"

        self.qtbot.waitUntil(shown, timeout=timeout_ms)
        self.check_words()

    def check_words(self) -> None:
        from kiosk.engine.screens import ScreenKind

        from .a11y import foreign_texts

        QApplication.processEvents()  # a widget added to a shown layout is shown by a queued call
        model = self.window.model
        typed = self.window.screen(ScreenKind.FORM).values if model.kind is ScreenKind.FORM else None
        foreign = foreign_texts(self.window, model, self.kiosk.config.kiosk.bank_name, typed)
        assert foreign == [], f"on {model.step!r}: text from neither a catalog nor the model"

    def wait_until(self, predicate: Any, timeout_ms: int = 10_000) -> None:
        self.qtbot.waitUntil(predicate, timeout=timeout_ms)

    def button(self, name: str, root: QWidget | None = None) -> QPushButton:
        root = root or self.window
        QApplication.processEvents()  # a widget added to a shown layout is shown by a queued call
        shown = [b for b in root.findChildren(QPushButton, name) if b.isVisible()]
        if not shown and name.startswith("flow-"):  # a service off the first page: its category, its page
            from kiosk.engine.screens import ScreenKind

            self.window.screen(ScreenKind.HOME).reveal(name.removeprefix("flow-"))
            QApplication.processEvents()
            shown = [b for b in root.findChildren(QPushButton, name) if b.isVisible()]
        if not shown:  # a choice on a later page of its list: page to it, as the customer would
            from kiosk.ui.pager import reveal

            if reveal(root, name):
                QApplication.processEvents()
                shown = [b for b in root.findChildren(QPushButton, name) if b.isVisible()]
        assert len(shown) == 1, f"{len(shown)} visible buttons named {name!r}"
        return shown[0]

    def click(self, name: str, root: QWidget | None = None) -> None:
        b = self.button(name, root)
        assert b.isEnabled(), f"{name!r} is disabled"
        self.qtbot.mouseClick(b, Qt.MouseButton.LeftButton)

    def choose(self, choice_id: str) -> None:
        self.click(f"choice-{choice_id}")

    def enter_pin(self, pin: str) -> None:
        """Type ``pin`` on the PIN pad a key at a time, each seen on the screen's dots, then Enter."""
        dots = self.window.current_screen().dots
        for typed, key in enumerate(pin, 1):
            self.qa.press_keys(key)
            self.wait_until(lambda n=typed: dots.digits() == n)
        self.qa.press_keys("E")

    def type_on_keypad(self, digits: str) -> None:
        for digit in digits:
            self.click(f"key-{digit}")

    def visible_choices(self) -> list[QPushButton]:
        return [b for b in self.window.findChildren(QPushButton)
                if b.objectName().startswith("choice-") and b.isVisible()]

    def finish_session(self, take_bank_card: bool = False, take_new_card: bool = False) -> str:
        """From the receipt or the result of a failure: finish, take what is out, back home."""
        if take_bank_card:
            self.wait_until(lambda: self.model.data.get("device_hint") == "bank_card")
            self.qa.take_bank_card()
        if take_new_card:
            self.qa.take_new_card()
        self.wait_until(lambda: self.engine.session is None)
        report = self.engine.last_report
        assert report is not None
        if report.outcome == "completed":  # the satisfaction question, answered with a touch
            self.wait_step("satisfaction")
            self.choose("satisfied")
        self.wait_step("home")
        assert report is not None
        return report.outcome
