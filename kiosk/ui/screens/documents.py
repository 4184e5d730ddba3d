"""Screens to read: information (with Continue) and agreements (a scrollable document, agree/decline)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QScrollArea, QScroller

from kiosk.engine.screens import ScreenKind, ScreenModel
from kiosk.ui.screens.base import Screen
from kiosk.ui.widgets import OutcomeIcon, label


class InfoScreen(Screen):
    """A message to read (a notice, the anti-fraud warning) with Continue."""

    kind = ScreenKind.INFO

    def build(self) -> None:
        self.icon = OutcomeIcon("info")
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.icon)
        row.addStretch(1)
        self.body.addStretch(1)
        self.body.addLayout(row)
        self.body.addStretch(2)

    def render_body(self, model: ScreenModel) -> None:
        self.icon.set_size(self.px(200))
        self.icon.set_kind("warning" if "warning" in model.step else "info")


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
