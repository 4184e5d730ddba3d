"""Every screen opens alone with a model (no engine, no devices), fits the kiosk's screen sizes,
and turns touches into inputs."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from kiosk.engine.screens import Input, InputKind, Outcome, ScreenKind, ScreenModel
from kiosk.ui.bridge import EngineBridge
from kiosk.ui.preview import preview_window, sample_model
from kiosk.ui.screens import SCREENS
from kiosk.ui.shell import KioskWindow


@pytest.fixture
def window(qtbot: Any) -> Iterator[Any]:
    made: list[KioskWindow] = []

    def open_(model: ScreenModel, size: tuple[int, int] = (1920, 1080)) -> KioskWindow:
        w = preview_window(model, size)
        made.append(w)
        w.show()
        qtbot.waitExposed(w)
        return w

    yield open_
    for w in made:
        w.close()
        w.deleteLater()


def test_there_is_one_screen_class_per_kind() -> None:
    assert set(SCREENS) == set(ScreenKind)
    assert len(set(SCREENS.values())) == len(ScreenKind)


@pytest.mark.parametrize("lang", ["zh_CN", "en_US"])
@pytest.mark.parametrize("size", [(1920, 1080), (1280, 800)])
@pytest.mark.parametrize("kind", list(ScreenKind))
def test_every_screen_opens_alone_and_fits(window: Any, kind: ScreenKind, size: tuple[int, int], lang: str) -> None:
    model = sample_model(kind, lang)
    w = window(model, size)
    QApplication.processEvents()
    assert w.current_screen().kind is kind
    assert w.current_screen().title.text() == model.title
    needed = w.layout().totalMinimumSize()
    assert needed.height() <= size[1], f"{kind} needs {needed} at {size}"
    assert needed.width() <= size[0], f"{kind} needs {needed} at {size}"


@pytest.mark.parametrize("kind", [ScreenKind.HOME, ScreenKind.FORM, ScreenKind.CONFIRM, ScreenKind.CHOICE])
def test_senior_mode_has_larger_type_and_still_fits(window: Any, kind: ScreenKind) -> None:
    w = window(sample_model(kind, elderly=True), (1920, 1080))
    QApplication.processEvents()
    assert w.elderly
    assert "font-size: 65px" in w.styleSheet()
    assert w.layout().totalMinimumSize().height() <= 1080


def test_choices_become_inputs_and_disabled_ones_cannot_be_touched(window: Any, qtbot: Any) -> None:
    w = window(sample_model(ScreenKind.HOME))
    sent: list[Input] = []
    w.intent.connect(sent.append)
    QApplication.processEvents()
    qtbot.mouseClick(w.findChild(QPushButton, "flow-loss_report"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(w.findChild(QPushButton, "flow-si_payment"), Qt.MouseButton.LeftButton)  # disabled
    qtbot.mouseClick(w.findChild(QPushButton, "btn-lang-en_US"), Qt.MouseButton.LeftButton)
    assert [(i.kind, i.choice) for i in sent] == [(InputKind.START, "loss_report"), (InputKind.LANGUAGE, "en_US")]


def test_form_keypad_types_deletes_clears_and_submits(window: Any, qtbot: Any) -> None:
    w = window(sample_model(ScreenKind.FORM))
    sent: list[Input] = []
    w.intent.connect(sent.append)
    QApplication.processEvents()

    def press(name: str) -> None:
        qtbot.mouseClick(w.findChild(QPushButton, name), Qt.MouseButton.LeftButton)

    for key in "139":
        press(f"key-{key}")
    press("key-clear")
    for key in "138123456789":
        press(f"key-{key}")
    assert w.findChild(QPushButton, "field-mobile").text() == "138 1234 5678"
    press("key-delete")
    assert not w.findChild(QPushButton, "btn-submit").isEnabled()
    press("key-8")
    press("btn-submit")
    assert sent[-1].kind is InputKind.SUBMIT
    assert dict(sent[-1].values) == {"mobile": "13812345678"}


def test_result_says_failure_in_words_and_icon(window: Any) -> None:
    w = window(sample_model(ScreenKind.RESULT, outcome=Outcome.DEVICE_FAULT))
    screen = w.current_screen()
    assert screen.icon.kind() == "failure"
    assert screen.words.text() == "未能办理"


def test_warning_overlay_and_busy_screen(window: Any, qtbot: Any) -> None:
    model = sample_model(ScreenKind.CONFIRM)
    w = window(replace(model, warning_s_left=9))
    assert w.overlay.isVisible()
    assert w.overlay.countdown.text() == "9"
    sent: list[Input] = []
    w.intent.connect(sent.append)
    qtbot.mouseClick(w.overlay.extend, Qt.MouseButton.LeftButton)
    assert sent[-1].kind is InputKind.EXTEND
    w.show_model(replace(model, busy=True))
    assert not w.overlay.isVisible()
    assert not w.current_screen().isEnabled()


class FakeEngine:
    def __init__(self) -> None:
        self.screen = sample_model(ScreenKind.PROCESSING)
        self.pumped = 0
        self.listeners: list[Any] = []

    def subscribe(self, listener: Any) -> None:
        self.listeners.append(listener)

    def send(self, inp: Input) -> None:
        pass

    def pump(self, wait: float = 0.0) -> int:
        self.pumped += 1
        return 0

    def tick(self) -> None:
        pass


def test_bridge_wakes_the_ui_thread_from_a_worker(qtbot: Any) -> None:
    bridge = EngineBridge()
    engine = FakeEngine()
    shown: list[ScreenModel] = []
    bridge.screen.connect(shown.append)
    bridge.attach(engine)
    assert shown == [engine.screen]
    worker = threading.Thread(target=bridge.wake)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: engine.pumped >= 1)
    bridge.detach()
    bridge.deleteLater()
