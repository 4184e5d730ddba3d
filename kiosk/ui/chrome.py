"""The parts around every screen: header (bank, step x of y, voice controls, language), the elderly-mode
offer, error and notice lines, footer (Back, Call staff, Cancel) and the inactivity warning overlay."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.core.i18n import LANGUAGES
from kiosk.engine.screens import Input, InputKind, ScreenModel
from kiosk.ui.screens.base import centered
from kiosk.ui.text import ui_text
from kiosk.ui.voicebar import VoiceBar
from kiosk.ui.widgets import OutcomeIcon, button, label, set_flag


class Header(QFrame):
    intent = Signal(object)

    def __init__(self, bank_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Header")
        row = QHBoxLayout(self)
        self.bank = label(bank_name, "BankName", wrap=False)
        self.progress = label("", "Progress", wrap=False)
        row.addWidget(self.bank)
        row.addStretch(1)
        row.addWidget(self.progress)
        row.addStretch(1)
        self.voice = VoiceBar()
        row.addWidget(self.voice)
        row.addSpacing(24)
        self.languages = {}
        pair = QHBoxLayout()  # the languages: one segmented control, the chosen one filled
        pair.setSpacing(0)
        for index, lang in enumerate(LANGUAGES):
            b = button(ui_text(lang, f"ui.lang.{lang}"), f"btn-lang-{lang}", "lang")
            b.setProperty("side", "left" if index == 0 else "right")
            b.clicked.connect(lambda _=False, code=lang: self.intent.emit(Input(InputKind.LANGUAGE, code)))
            pair.addWidget(b)
            self.languages[lang] = b
        row.addLayout(pair)

    def render(self, model: ScreenModel, scale: float) -> None:
        m = round(28 * scale)
        self.layout().setContentsMargins(m * 2, m // 4, m * 2, m // 4)
        self.layout().setSpacing(m)
        if model.progress is not None:
            step, count = model.progress
            self.progress.setText(ui_text(model.lang, "progress", step=step, count=count))
        self.progress.setVisible(model.progress is not None)
        for lang, b in self.languages.items():
            set_flag(b, "selected", "true" if lang == model.lang else "false")
        self.voice.render(model, m // 2)


class OfferBanner(QFrame):
    """Once the ID card shows 60 or more (the model's ``data["offer_elderly"]``), every screen offers
    elderly mode until the customer answers: "switch" or "no thanks", both an ELDERLY input."""

    intent = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("OfferBanner")
        row = QHBoxLayout(self)
        self.icon = OutcomeIcon("info", 56)
        self.text = label("", "OfferText")
        self.accept = button("", "btn-offer-elderly-on", "primary")
        self.decline = button("", "btn-offer-elderly-off")
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.text, 1)
        row.addWidget(self.accept)
        row.addWidget(self.decline)
        self.accept.clicked.connect(lambda: self.intent.emit(Input(InputKind.ELDERLY, "on")))
        self.decline.clicked.connect(lambda: self.intent.emit(Input(InputKind.ELDERLY, "off")))
        self.hide()

    def render(self, model: ScreenModel, scale: float) -> None:
        offer = model.data.get("offer_elderly")
        if not offer:
            self.hide()
            return
        m = round(16 * scale)
        self.layout().setContentsMargins(m * 2, m // 2, m, m // 2)
        self.layout().setSpacing(m * 2)
        self.icon.set_size(round(56 * scale))
        self.text.setText(str(offer))
        self.accept.setText(ui_text(model.lang, "ui.elderly.accept"))
        self.decline.setText(ui_text(model.lang, "ui.elderly.decline"))
        self.show()


class Footer(QFrame):
    intent = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Footer")
        row = QHBoxLayout(self)
        self.back = button("", "btn-back")
        self.help = button("", "btn-help")
        self.cancel = button("", "btn-cancel", "danger")
        self.lines = label("", "FooterLine")  # the model's ``lines`` (the home screen's: e.g. the current wait)
        self.lines.hide()
        row.addWidget(self.back)
        row.addWidget(self.lines)
        row.addStretch(1)
        row.addWidget(self.help)
        row.addWidget(self.cancel)
        for b, kind in ((self.back, InputKind.BACK), (self.help, InputKind.HELP), (self.cancel, InputKind.CANCEL)):
            b.clicked.connect(lambda _=False, k=kind: self.intent.emit(Input(k)))

    def render(self, model: ScreenModel, scale: float) -> None:
        m = round(28 * scale)
        self.layout().setContentsMargins(m * 2, m * 3 // 4, m * 2, m * 3 // 4)
        self.layout().setSpacing(m)
        for b, key in ((self.back, "button.back"), (self.help, "button.help"), (self.cancel, "button.cancel")):
            b.setText(ui_text(model.lang, key))
            b.setMinimumWidth(round(260 * scale))
        self.back.setVisible(model.can_back)
        lines = "\n".join(model.data.get("lines", ()))
        self.lines.setText(lines)
        self.lines.setVisible(bool(lines))
        self.help.setVisible(model.can_help)
        self.cancel.setVisible(model.can_cancel)
        self.setVisible(model.can_back or model.can_help or model.can_cancel or bool(lines))


class TimeoutOverlay(QWidget):
    """Shown while the model's ``warning_s_left`` is set: the countdown and "I need more time"."""

    intent = Signal(object)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("Overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.card = QFrame(self)
        self.card.setObjectName("OverlayCard")
        column = QVBoxLayout(self.card)
        self.icon = OutcomeIcon("warning", 120)
        self.message = label("", "OverlayText")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.countdown = label("", "Countdown", wrap=False)
        self.extend = button("", "btn-extend", "primary")
        self.extend.clicked.connect(lambda: self.intent.emit(Input(InputKind.EXTEND)))
        column.addLayout(centered(self.icon))
        column.addWidget(self.message)
        column.addLayout(centered(self.countdown))
        column.addLayout(centered(self.extend))
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(centered(self.card))
        outer.addStretch(1)
        self.hide()

    def render(self, model: ScreenModel, scale: float) -> None:
        seconds = model.warning_s_left
        if seconds is None:
            self.hide()
            return
        m = round(48 * scale)
        self.card.layout().setContentsMargins(m * 2, m, m * 2, m)
        self.card.layout().setSpacing(m // 2)
        self.card.setFixedWidth(round(1000 * scale))
        self.icon.set_size(round(120 * scale))
        self.message.setText(ui_text(model.lang, "timeout.warning", seconds=seconds))
        self.countdown.setText(str(seconds))
        self.extend.setText(ui_text(model.lang, "button.extend"))
        self.extend.setMinimumWidth(round(440 * scale))
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()
