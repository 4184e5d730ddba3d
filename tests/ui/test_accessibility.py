"""Every screen kind, rendered offscreen in both modes and both languages, against issue 6's numbers:
type sizes, line spacing, touch targets, contrast (WCAG 2.x formula), and nothing cut off.
How each is measured: tests/ui/a11y.py and docs/accessibility.md."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtGui import QColor, QFontInfo
from PySide6.QtWidgets import QApplication

from kiosk.engine.screens import ScreenKind, ScreenModel
from kiosk.ui.preview import offering_elderly, preview_window, sample_model
from kiosk.ui.theme import ELDERLY_PALETTE, FONT_FAMILY, PALETTE

from . import a11y

MODES = {"standard": False, "elderly": True}


@pytest.fixture
def window(qtbot: Any) -> Iterator[Any]:
    made: list[Any] = []

    def open_(model: ScreenModel, size: tuple[int, int] = (1920, 1080)) -> Any:
        w = preview_window(model, size)
        made.append(w)
        w.show()
        qtbot.waitExposed(w)
        QApplication.processEvents()
        return w

    yield open_
    for w in made:
        w.close()
        w.deleteLater()


@pytest.mark.parametrize("lang", ["zh_CN", "en_US"])
@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("kind", list(ScreenKind))
def test_every_screen_meets_the_numbers(window: Any, kind: ScreenKind, mode: str, lang: str) -> None:
    w = window(sample_model(kind, lang, elderly=MODES[mode]))
    assert a11y.problems(w, MODES[mode]) == []
    assert a11y.cut_off(w) == []


@pytest.mark.parametrize("lang", ["zh_CN", "en_US"])
@pytest.mark.parametrize("kind", [k for k in ScreenKind if k not in (ScreenKind.HOME, ScreenKind.OUT_OF_SERVICE)])
def test_with_the_elderly_offer_every_step_screen_still_meets_them(window: Any, kind: ScreenKind, lang: str) -> None:
    """The offer shows in standard mode only (it goes once elderly mode is on), on a session's screens."""
    w = window(offering_elderly(sample_model(kind, lang)))
    assert w.offer.isVisible()
    assert a11y.problems(w, False) == []
    assert a11y.cut_off(w) == []


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("kind", list(ScreenKind))
def test_the_numbers_scale_with_a_smaller_screen(window: Any, kind: ScreenKind, mode: str) -> None:
    w = window(sample_model(kind, "en_US", elderly=MODES[mode]), (1280, 800))
    assert a11y.problems(w, MODES[mode]) == []


@pytest.mark.parametrize("lang", ["zh_CN", "en_US"])
def test_the_longest_header_fits_in_elderly_mode(window: Any, lang: str) -> None:
    w = window(sample_model(ScreenKind.CONFIRM, lang, elderly=True, progress=(12, 12)))
    assert w.header.progress.isVisible()
    assert a11y.cut_off(w) == []


def test_the_type_is_the_font_the_line_spacing_was_measured_for(window: Any) -> None:
    w = window(sample_model(ScreenKind.INFO))
    assert {QFontInfo(widget.font()).family() for widget, _ in a11y.shown_texts(w)} == {FONT_FAMILY}


def test_elderly_mode_is_larger_and_darker_than_standard(window: Any) -> None:
    standard = {m.widget.objectName(): m for m in a11y.measure(window(sample_model(ScreenKind.CONFIRM)))}
    elderly = {m.widget.objectName(): m for m in a11y.measure(window(sample_model(ScreenKind.CONFIRM, elderly=True)))}
    for name in ("ScreenTitle", "ScreenPrompt", "RowLabel", "RowValue", "btn-help"):
        assert elderly[name].px >= standard[name].px * 1.25 - 1
        assert elderly[name].ratio >= standard[name].ratio
    assert elderly["ScreenTitle"].px >= 48
    assert elderly["ScreenPrompt"].ratio > standard["ScreenPrompt"].ratio


def test_the_contrast_formula_matches_wcag_examples() -> None:
    assert a11y.contrast(QColor("#000000"), QColor("#FFFFFF")) == pytest.approx(21.0)
    assert a11y.contrast(QColor("#777777"), QColor("#FFFFFF")) == pytest.approx(4.48, abs=0.01)
    assert a11y.contrast(QColor(PALETTE.brand), QColor("#FFFFFF")) > 7  # primary buttons pass in both modes
    assert a11y.contrast(QColor(ELDERLY_PALETTE.disabled_ink), QColor(ELDERLY_PALETTE.disabled_bg)) >= 7


def test_a_measurement_that_misses_is_reported(window: Any) -> None:
    """The checks can fail: a grey prompt and a small button are caught."""
    w = window(sample_model(ScreenKind.CONFIRM, elderly=True))
    screen = w.current_screen()
    screen.prompt.setStyleSheet("color: #8A8A8A; font-size: 20px;")
    w.footer.help.setFixedSize(80, 60)
    QApplication.processEvents()
    found = "\n".join(a11y.problems(w, True))
    assert "ScreenPrompt" in found
    assert "contrast" in found
    assert "20px type" in found
    assert "btn-help: 80x60 < 96x96" in found
