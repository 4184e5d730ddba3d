"""Measuring a rendered kiosk window: visible texts, type sizes, line spacing, touch targets and contrast
(WCAG 2.x), and whether a text comes from a catalog. Used by the accessibility, language and flow tests;
docs/accessibility.md describes the rules."""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QAbstractButton, QFrame, QLabel, QWidget

from kiosk.core import i18n
from kiosk.engine.screens import ScreenModel
from kiosk.ui.keypad import display
from kiosk.ui.theme import scale_for

# The numbers of issue 6, at 1920x1080 (they scale with the window like everything else).
BODY_PX = {False: 24, True: 32}  # elderly mode -> smallest body text
TITLE_PX = {False: 36, True: 48}
LINE_SPACING = 1.3  # line pitch / type size
TOUCH_PX = 96  # every enabled button, width and height, both modes
CONTRAST = {False: 4.5, True: 7.0}
TITLES = frozenset({"ScreenTitle"})


def shown_texts(window: QWidget) -> Iterator[tuple[QWidget, str]]:
    """Every visible label and button with words on it."""
    for w in window.findChildren(QWidget):
        if isinstance(w, (QLabel, QAbstractButton)) and w.isVisible() and w.text().strip():
            yield w, w.text()


# --- contrast ------------------------------------------------------------------------------------
def luminance(colour: QColor) -> float:
    """WCAG 2.x relative luminance of an sRGB colour."""
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    return 0.2126 * linear(colour.red()) + 0.7152 * linear(colour.green()) + 0.0722 * linear(colour.blue())


def contrast(a: QColor, b: QColor) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def colour_group(w: QWidget) -> QPalette.ColorGroup:
    if not w.isEnabled():
        return QPalette.ColorGroup.Disabled
    return QPalette.ColorGroup.Active if w.window().isActiveWindow() else QPalette.ColorGroup.Inactive


def _paints_background(w: QWidget) -> bool:
    return isinstance(w, (QAbstractButton, QFrame)) or w.testAttribute(Qt.WidgetAttribute.WA_StyledBackground) \
        or w.autoFillBackground()


def background(w: QWidget) -> tuple[QColor, QWidget]:
    """The colour behind ``w``'s text: the nearest widget (``w`` itself or an ancestor) whose palette the
    style sheet gave an opaque background, composited over what is behind it when translucent."""
    group = colour_group(w)
    layers: list[QColor] = []
    node: QWidget | None = w
    while node is not None:
        palette, role = node.palette(), node.backgroundRole()
        if _paints_background(node) and palette.isBrushSet(group, role):
            colour = palette.color(group, role)
            if colour.alpha() == 255:
                return _composite(colour, layers), node
            if colour.alpha() > 0:
                layers.append(colour)
        node = node.parentWidget()
    raise AssertionError(f"{w.objectName() or type(w).__name__}: no background found")


def _composite(base: QColor, layers: list[QColor]) -> QColor:
    out = QColor(base)
    for layer in reversed(layers):
        a = layer.alphaF()
        out = QColor(round(layer.red() * a + out.red() * (1 - a)), round(layer.green() * a + out.green() * (1 - a)),
                     round(layer.blue() * a + out.blue() * (1 - a)))
    return out


def foreground(w: QWidget) -> QColor:
    return w.palette().color(colour_group(w), w.foregroundRole())


def sample_point(w: QWidget, scale: float) -> QPoint:
    """A point of ``w`` (window coordinates) where no text is drawn: a label's top-left corner, a button's
    padding just inside its border."""
    local = QPoint(round(3 * scale) + 4, w.height() // 2) if isinstance(w, QAbstractButton) else QPoint(1, 1)
    return w.mapTo(w.window(), local)


# --- type --------------------------------------------------------------------------------------
def line_pitch(w: QWidget) -> float:
    """Distance between two wrapped lines of ``w``'s text, as Qt lays out a word-wrapped label, over its
    type size."""
    fm = w.fontMetrics()
    box = QRect(0, 0, 4000, 4000)
    flags = int(Qt.TextFlag.TextWordWrap)
    two, one = fm.boundingRect(box, flags, "字\n字").height(), fm.boundingRect(box, flags, "字").height()
    return (two - one) / w.font().pixelSize()


@dataclass
class Measure:
    widget: QWidget
    text: str
    px: int
    pitch: float
    fg: QColor
    bg: QColor
    ratio: float


def measure(window: QWidget) -> list[Measure]:
    out = []
    for w, text in shown_texts(window):
        bg, _ = background(w)
        fg = foreground(w)
        out.append(Measure(w, text, w.font().pixelSize(), line_pitch(w), fg, bg, contrast(fg, bg)))
    return out


def problems(window: QWidget, elderly: bool) -> list[str]:
    """Everything on ``window`` that misses the numbers (empty when all is well)."""
    scale = scale_for(window.width(), window.height())
    image = window.grab().toImage()
    found = []
    for m in measure(window):
        name = f"{m.widget.objectName() or type(m.widget).__name__} {m.text[:24]!r}"
        least = (TITLE_PX if m.widget.objectName() in TITLES else BODY_PX)[elderly] * scale
        if m.px < round(least):
            found.append(f"{name}: {m.px}px type < {least:.0f}px")
        if m.pitch < LINE_SPACING:
            found.append(f"{name}: line spacing {m.pitch:.2f} < {LINE_SPACING}")
        if m.ratio < CONTRAST[elderly]:
            found.append(f"{name}: contrast {m.ratio:.2f} < {CONTRAST[elderly]} ({m.fg.name()} on {m.bg.name()})")
        seen = image.pixelColor(sample_point(m.widget, scale))
        if max(abs(seen.red() - m.bg.red()), abs(seen.green() - m.bg.green()), abs(seen.blue() - m.bg.blue())) > 3:
            found.append(f"{name}: background from the palette {m.bg.name()}, on screen {seen.name()}")
    least = round(TOUCH_PX * scale)
    for b in window.findChildren(QAbstractButton):
        if b.isVisible() and b.isEnabled() and (b.width() < least or b.height() < least):
            found.append(f"{b.objectName()}: {b.width()}x{b.height()} < {least}x{least}")
    return found


def cut_off(window: QWidget) -> list[str]:
    """Visible texts that do not fit: outside the window, a label or button narrower (or a wrapped label
    shorter) than its words."""
    found = []
    frame = window.rect()
    for w, text in shown_texts(window):
        box = QRect(w.mapTo(window, QPoint(0, 0)), w.size())
        if not frame.contains(box):
            found.append(f"{w.objectName()} {text[:24]!r} at {box} outside {frame}")
        if isinstance(w, QLabel) and not w.wordWrap() and w.width() < w.sizeHint().width():
            found.append(f"{w.objectName()} {text[:24]!r}: {w.width()}px wide for {w.sizeHint().width()}px of text")
        if isinstance(w, QLabel) and w.wordWrap() and w.height() + 2 < w.heightForWidth(w.width()):
            found.append(f"{w.objectName()} {text[:24]!r}: {w.height()}px for {w.heightForWidth(w.width())}px of text")
        if isinstance(w, QAbstractButton) and w.width() < w.sizeHint().width():
            found.append(f"{w.objectName()} {text[:24]!r}: {w.width()}px wide for {w.sizeHint().width()}px of words")
    return found


def squeezed(window: QWidget) -> list[str]:
    """Text boxes smaller than their text, cut by what holds them, or lying over another text: a label
    lower than its font's line height; a label or button not inside its parent's rectangle (clipped); two
    visible texts, neither inside the other, whose rectangles overlap."""
    found = []
    boxes: list[tuple[QWidget, str, QRect]] = []
    for w, text in shown_texts(window):
        name = f"{w.objectName() or type(w).__name__} {text[:24]!r}"
        line = w.fontMetrics().height()
        if isinstance(w, QLabel) and w.height() + 1 < line:
            found.append(f"{name}: {w.height()}px box for {line}px of type")
        node: QWidget = w
        while node.parentWidget() is not None and node is not window:
            parent = node.parentWidget()
            inside = QRect(node.mapTo(parent, QPoint(0, 0)), node.size())
            if not parent.rect().adjusted(-1, -1, 1, 1).contains(inside):
                found.append(f"{name}: {inside} cut by {parent.objectName() or type(parent).__name__} {parent.rect()}")
                break
            node = parent
        boxes.append((w, name, QRect(w.mapTo(window, QPoint(0, 0)), w.size()).adjusted(1, 1, -1, -1)))
    for i, (a, name_a, box_a) in enumerate(boxes):
        for b, name_b, box_b in boxes[i + 1:]:
            if a.isAncestorOf(b) or b.isAncestorOf(a):
                continue
            if box_a.intersects(box_b):
                found.append(f"{name_a} {box_a} overlaps {name_b} {box_b}")
    return found


# --- words -------------------------------------------------------------------------------------
@cache
def catalog_patterns(lang: str) -> tuple[frozenset[str], tuple[re.Pattern[str], ...]]:
    """The catalog's fixed texts, and its templates as patterns (a ``{placeholder}`` matches any text)."""
    fixed, patterns = set(), []
    for template in i18n.catalog(lang).values():
        parts = list(string.Formatter().parse(template))
        if all(field is None for _, field, _, _ in parts):
            fixed.add(template)
            continue
        # A template with no words of its own ('{unit} {amount}') would pass any two words: there each value is
        # one token of data (a currency code, an amount), not free text.
        wordless = not any(ch.isalpha() for literal, _, _, _ in parts for ch in literal)
        value = r"(\S+)" if wordless else "(.+?)"
        regex = "".join(re.escape(literal) + ("" if field is None else value) for literal, field, _, _ in parts)
        patterns.append(re.compile(regex, re.DOTALL))
    return frozenset(fixed), tuple(patterns)


def from_catalog(lang: str, text: str) -> bool:
    fixed, patterns = catalog_patterns(lang)
    return text in fixed or any(p.fullmatch(text) for p in patterns)


def model_data(model: ScreenModel, typed: dict[str, str] | None = None) -> set[str]:
    """What a screen may show that is data, not words: choices (accounts, bills, cards: from the host),
    row values (names, amounts, masked numbers, references) and what the customer typed."""
    data = {c.label for c in model.choices} | {c.detail for c in model.choices} | {r.value for r in model.rows}
    for f in model.fields:
        value = (typed or {}).get(f.name, f.value)
        data.add(display(value, f.input))
    return {d for d in data if d}


NUMBER = re.compile(r"[\d\s.,:]+")  # digits on keys and countdowns are numbers, in any language


def foreign_texts(window: QWidget, model: ScreenModel, bank_name: str, typed: dict[str, str] | None = None) -> list[str]:
    """Shown texts that are neither catalog text (in the model's language) nor data of the model."""
    data = model_data(model, typed) | {bank_name}
    return [f"{w.objectName()}: {text!r}" for w, text in shown_texts(window)
            if text not in data and not NUMBER.fullmatch(text) and not from_catalog(model.lang, text)
            and not w.property("keycap")]  # a keyboard's letters, typed pinyin and its word list's candidates
