"""Screens to read: information (with Continue) and agreements (a scrollable document, agree/decline)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QScrollArea, QScroller

from kiosk.engine.screens import ScreenKind, ScreenModel
from kiosk.ui.screens.base import Screen
from kiosk.ui.text import ui_text
from kiosk.ui.widgets import OutcomeIcon, button, label, set_flag


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
    """The document scrolls by finger (kinetic scrolling), by its wide scroll bar, or a page at a time with
    the large previous/next page buttons under it, which say "第2页，共3页"."""

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
        nav = QHBoxLayout()
        self.prev = button("", "btn-doc-prev", "page")
        self.next = button("", "btn-doc-next", "page")
        self.where = label("", "PageLabel", wrap=False)
        self.where.setAlignment(Qt.AlignmentFlag.AlignCenter)
        nav.addWidget(self.prev)
        nav.addWidget(self.where, 1)
        nav.addWidget(self.next)
        self.body.addLayout(nav)
        bar = self.scroll.verticalScrollBar()
        self.prev.clicked.connect(lambda: self._turn(-1))
        self.next.clicked.connect(lambda: self._turn(1))
        bar.valueChanged.connect(self._show_where)
        bar.rangeChanged.connect(self._show_where)

    def render_body(self, model: ScreenModel) -> None:
        text = str(model.data.get("document", ""))
        if text != self.document.text():
            self.document.setText(text)
            self.scroll.verticalScrollBar().setValue(0)
        self.prev.setText(ui_text(model.lang, "ui.doc.prev"))
        self.next.setText(ui_text(model.lang, "ui.doc.next"))
        self._show_where()

    def pages(self) -> tuple[int, int]:
        """(page shown, pages): a page is what the window shows, less one line kept from the last one."""
        bar = self.scroll.verticalScrollBar()
        step = max(1, self._page_step())
        count = 1 + -(-bar.maximum() // step) if bar.maximum() > 0 else 1
        page = 1 + -(-bar.value() // step) if bar.value() < bar.maximum() else count
        return min(page, count), count

    def _page_step(self) -> int:
        return self.scroll.viewport().height() - self.document.fontMetrics().lineSpacing()

    def _turn(self, direction: int) -> None:
        bar = self.scroll.verticalScrollBar()
        page, _count = self.pages()
        bar.setValue(max(0, min(bar.maximum(), (page - 1 + direction) * self._page_step())))

    def _show_where(self, *_: object) -> None:
        page, count = self.pages()
        lang = self.model.lang if self.model is not None else "zh_CN"
        self.where.setText(ui_text(lang, "ui.page", page=page, count=count))
        for w in (self.prev, self.next, self.where):
            w.setVisible(count > 1)
        self.prev.setEnabled(page > 1)
        self.next.setEnabled(page < count)
