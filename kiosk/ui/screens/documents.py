"""Screens to read: information (with Continue) and agreements (a scrollable document, agree/decline)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QScrollArea, QScroller

from kiosk.engine.screens import ScreenKind, ScreenModel
from kiosk.ui.screens.base import Screen
from kiosk.ui.widgets import OutcomeIcon, label, set_flag


class InfoScreen(Screen):
    """A message to read (a notice, the anti-fraud warning) with Continue.

    The fraud warning (``data["warning"]``) is large, on a warning card with its "!" icon; in elderly
    mode its Continue stays disabled while the warning is read out, and says so with the seconds left
    (the engine's label, ``data["wait_s"]``)."""

    kind = ScreenKind.INFO

    def build(self) -> None:
        self.card = QFrame()
        self.card.setObjectName("Card")
        row = QHBoxLayout(self.card)
        self.icon = OutcomeIcon("info")
        self.message = label("", "Message")
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.message, 1)
        self.body.addWidget(self.card)
        self.body.addStretch(1)

    def render_body(self, model: ScreenModel) -> None:
        """The message is the point of this screen: shown large beside its icon, not as a prompt."""
        warning = bool(model.data.get("warning"))
        self.prompt.hide()
        self.message.setText(model.prompt)
        self.card.setVisible(bool(model.prompt))
        set_flag(self.card, "warning", "true" if warning else "false")
        set_flag(self.message, "warning", "true" if warning else "false")
        margin = self.px(40 if warning else 20)
        self.card.layout().setContentsMargins(margin, margin, margin, margin)
        self.card.layout().setSpacing(self.px(40))
        self.icon.set_size(self.px(170 if warning else 120))
        self.icon.set_kind("warning" if warning else "info")


class AgreementScreen(Screen):
    """The document scrolls by finger (kinetic scrolling) or by its wide scroll bar."""

    kind = ScreenKind.AGREEMENT

    def build(self) -> None:
        self.document = label("", "Document")
        self.document.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.scroll = QScrollArea()
        self.scroll.setObjectName("DocumentScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(self.document)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        QScroller.grabGesture(self.scroll.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        self.body.addWidget(self.scroll, 1)

    def render_body(self, model: ScreenModel) -> None:
        text = str(model.data.get("document", ""))
        if text != self.document.text():
            self.document.setText(text)
            self.scroll.verticalScrollBar().setValue(0)
