"""Elderly mode (长辈模式) in the window: the home entry, the offer from 60, the short menu, the fraud
warning's pause, the call-staff button and the voice controls on every screen."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from kiosk.core.i18n import text
from kiosk.engine.screens import Choice, Input, InputKind, ScreenKind, ScreenModel
from kiosk.ui.preview import PreviewVoice, offering_elderly, preview_window, sample_model
from kiosk.ui.voicebar import VOLUME_LEVELS


@pytest.fixture
def window(qtbot: Any) -> Iterator[Any]:
    made: list[Any] = []

    def open_(model: ScreenModel, voice: Any = "preview") -> Any:
        w = preview_window(model, voice=voice)
        made.append(w)
        w.show()
        qtbot.waitExposed(w)
        QApplication.processEvents()
        w.sent = []
        w.intent.connect(w.sent.append)
        return w

    yield open_
    for w in made:
        w.close()
        w.deleteLater()


def visible(w: Any, name: str) -> Any:
    QApplication.processEvents()  # a button added to a shown layout is shown by a queued call
    (b,) = [b for b in w.findChildren(QPushButton, name) if b.isVisible()]
    return b


def click(qtbot: Any, w: Any, name: str) -> None:
    qtbot.mouseClick(visible(w, name), Qt.MouseButton.LeftButton)


def shown(w: Any, prefix: str) -> list[str]:
    QApplication.processEvents()
    return [b.objectName() for b in w.current_screen().findChildren(QPushButton)
            if b.isVisible() and b.objectName().startswith(prefix)]


def many_services(lang: str = "zh_CN", count: int = 15, **changes: Any) -> ScreenModel:
    choices = tuple(Choice(f"f{i:02d}", text(lang, "flow.loss_report.title"), text(lang, "category.cards"))
                    for i in range(count))
    return sample_model(ScreenKind.HOME, lang, choices=choices, data={
        "categories": {"cards": [c.id for c in choices]}, "category_titles": {"cards": text(lang, "category.cards")}},
        **changes)


def test_the_home_screen_has_a_prominent_entry_both_ways(window: Any, qtbot: Any) -> None:
    w = window(sample_model(ScreenKind.HOME))
    entry = w.findChild(QPushButton, "btn-elderly")
    tile = w.findChild(QPushButton, "flow-loss_report")
    assert entry.isVisible()
    assert entry.height() >= 120
    assert entry.width() >= 500
    assert entry.mapTo(w, entry.rect().topLeft()).y() < tile.mapTo(w, tile.rect().topLeft()).y()  # above the menu
    assert entry.main.text() == "长辈模式"
    assert entry.detail.text() == text("zh_CN", "ui.elderly.detail")
    click(qtbot, w, "btn-elderly")
    w.show_model(sample_model(ScreenKind.HOME, elderly=True))
    entry = visible(w, "btn-elderly")
    assert entry.main.text() == "长辈模式"  # a switch, on: its words say so and what a touch does
    assert entry.detail.text() == "退出长辈模式"
    assert entry.switch.on
    click(qtbot, w, "btn-elderly")
    assert [(i.kind, i.choice) for i in w.sent] == [(InputKind.ELDERLY, "on"), (InputKind.ELDERLY, "off")]


def test_elderly_home_shows_six_services_then_more(window: Any, qtbot: Any) -> None:
    w = window(many_services(elderly=True))
    assert shown(w, "flow-") == [f"flow-f{i:02d}" for i in range(6)]
    assert shown(w, "btn-more") == ["btn-more"]
    assert visible(w, "btn-more").detail.text() == "还有9项业务"
    assert not [lab for lab in w.current_screen().findChildren(QLabel, "Status") if lab.isVisible()]  # no headings
    click(qtbot, w, "btn-more")
    assert shown(w, "flow-") == [f"flow-f{i:02d}" for i in range(6, 12)]
    click(qtbot, w, "btn-more")
    assert shown(w, "flow-") == [f"flow-f{i:02d}" for i in range(12, 15)]
    assert shown(w, "btn-more") == []
    click(qtbot, w, "btn-first")
    assert shown(w, "flow-") == [f"flow-f{i:02d}" for i in range(6)]
    click(qtbot, w, "flow-f02")
    assert w.sent == [Input(InputKind.START, "f02")]  # "more" and "first" stay in the window


def test_elderly_home_with_six_or_fewer_services_has_no_more_tile(window: Any, qtbot: Any) -> None:
    w = window(many_services(count=6, elderly=True))
    assert len(shown(w, "flow-")) == 6
    assert shown(w, "btn-more") == []
    w.show_model(many_services(count=7, elderly=False))  # standard mode: the six most used, then by category
    assert len(shown(w, "flow-")) == 6
    click(qtbot, w, "cat-cards")
    seen = set(shown(w, "flow-"))
    while (nxt := w.current_screen().services.next).isVisible() and nxt.isEnabled():
        qtbot.mouseClick(nxt, Qt.MouseButton.LeftButton)
        seen |= set(shown(w, "flow-"))
    assert len(seen) == 7


def test_the_offer_from_sixty_is_answered_either_way(window: Any, qtbot: Any) -> None:
    w = window(offering_elderly(sample_model(ScreenKind.CHOICE)))
    assert w.offer.isVisible()
    assert w.offer.text.text() == text("zh_CN", "elderly.offer")
    click(qtbot, w, "btn-offer-elderly-on")
    click(qtbot, w, "btn-offer-elderly-off")
    assert [(i.kind, i.choice) for i in w.sent] == [(InputKind.ELDERLY, "on"), (InputKind.ELDERLY, "off")]
    w.show_model(sample_model(ScreenKind.CHOICE))  # answered: the engine drops the offer
    assert not w.offer.isVisible()


def test_the_offer_speaks_english_too(window: Any) -> None:
    w = window(offering_elderly(sample_model(ScreenKind.CONFIRM, "en_US")))
    assert w.offer.accept.text() == "Switch to senior mode"
    assert w.offer.decline.text() == "No, thanks"


@pytest.mark.parametrize("elderly", [False, True])
@pytest.mark.parametrize("kind", list(ScreenKind))
def test_call_staff_and_voice_are_one_touch_away_on_every_screen(window: Any, kind: ScreenKind, elderly: bool) -> None:
    model = sample_model(kind, elderly=elderly)
    w = window(model)
    for name in ("btn-voice", "btn-repeat", "btn-volume"):
        assert w.findChild(QPushButton, name).isVisible(), name
    help_button = w.findChild(QPushButton, "btn-help")
    if kind is ScreenKind.OUT_OF_SERVICE:  # the engine closes the kiosk to customers: no session to help in
        assert help_button.isVisible() is model.can_help
    else:
        assert help_button.isVisible()
        assert help_button.isEnabled()


def test_call_staff_sends_help(window: Any, qtbot: Any) -> None:
    w = window(sample_model(ScreenKind.PROCESSING, elderly=True))  # busy: the screen waits, the footer does not
    click(qtbot, w, "btn-help")
    assert w.sent == [Input(InputKind.HELP)]


def test_voice_controls_switch_repeat_and_set_the_volume(window: Any, qtbot: Any) -> None:
    voice = PreviewVoice(enabled=False, volume=1.0)
    w = window(sample_model(ScreenKind.CONFIRM), voice=voice)
    toggle = w.findChild(QPushButton, "btn-voice")
    assert toggle.text() == "语音：关"
    assert toggle.property("selected") == "false"
    click(qtbot, w, "btn-voice")  # one touch turns voice on
    assert voice.enabled
    assert toggle.text() == "语音：开"
    assert toggle.property("selected") == "true"
    click(qtbot, w, "btn-repeat")
    assert voice.repeats == 1
    volume = w.findChild(QPushButton, "btn-volume")
    assert volume.text() == "音量：大"
    heard = []
    for _ in VOLUME_LEVELS:
        click(qtbot, w, "btn-volume")
        heard.append((voice.volume, volume.text()))
    assert heard == [(0.4, "音量：小"), (0.7, "音量：中"), (1.0, "音量：大")]
    click(qtbot, w, "btn-volume")
    w.show_model(sample_model(ScreenKind.HOME))  # the session ended: the next customer gets the set volume
    assert voice.volume == 1.0
    assert volume.text() == "音量：大"
    w.show_model(sample_model(ScreenKind.HOME, "en_US"))
    assert (toggle.text(), volume.text()) == ("Voice: on", "Volume: high")
    assert w.sent == []  # voice controls talk to the guide, not the engine


def test_voice_unavailable_says_so_and_offers_nothing_to_touch(window: Any) -> None:
    """No audio player or sound card: the button says so (the reason is on the staff maintenance screen)."""
    voice = PreviewVoice(unavailable="no audio player found")
    w = window(sample_model(ScreenKind.HOME), voice=voice)
    toggle = w.findChild(QPushButton, "btn-voice")
    assert (toggle.text(), toggle.isEnabled(), toggle.isVisible()) == ("语音不可用", False, True)
    assert not w.findChild(QPushButton, "btn-repeat").isVisible()
    assert not w.findChild(QPushButton, "btn-volume").isVisible()
    w.show_model(sample_model(ScreenKind.HOME, "en_US"))
    assert toggle.text() == "Voice unavailable"


def test_no_voice_controls_without_a_voice(window: Any) -> None:
    w = window(sample_model(ScreenKind.CONFIRM), voice=None)
    assert not w.findChild(QPushButton, "btn-voice").isVisible()


def test_the_fraud_warning_is_large_and_its_continue_counts_down(window: Any, qtbot: Any) -> None:
    model = sample_model(ScreenKind.INFO, elderly=True)
    w = window(model)
    screen = w.current_screen()
    assert screen.icon.kind() == "warning"
    assert screen.icon.width() >= 170
    assert screen.card.property("warning") == "true"
    assert screen.message.text() == text("zh_CN", "step.fraud_warning.prompt")
    assert screen.message.font().pixelSize() >= screen.title.font().pixelSize() * 0.85
    button = w.findChild(QPushButton, "choice-continue")
    assert not button.isEnabled()
    assert button.text() == "请先听完提醒（4秒）"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert w.sent == []
    for left in (3, 2, 1):
        w.show_model(replace(model, data={"warning": True, "wait_s": left},
                             choices=(Choice("continue", text("zh_CN", "button.fraud_wait", seconds=left), enabled=False),)))
        assert w.findChild(QPushButton, "choice-continue") is button  # the same button, new words
        assert button.text() == f"请先听完提醒（{left}秒）"
    w.show_model(replace(model, data={"warning": True, "wait_s": 0},
                         choices=(Choice("continue", text("zh_CN", "button.fraud_understood")),)))
    assert button.isEnabled()
    assert button.text() == text("zh_CN", "button.fraud_understood")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert w.sent == [Input(InputKind.CHOOSE, "continue")]


def test_a_plain_notice_keeps_the_plain_look(window: Any) -> None:
    w = window(sample_model(ScreenKind.INFO, step="notice", data={}))
    screen = w.current_screen()
    assert screen.icon.kind() == "info"
    assert screen.card.property("warning") == "false"
