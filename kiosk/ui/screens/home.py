"""The home screen: the catalogue by category, and senior mode (长辈模式)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from kiosk.engine.screens import Input, InputKind, ScreenKind, ScreenModel
from kiosk.ui.screens.base import Screen
from kiosk.ui.screens.choice import elderly_button, section_title, tile
from kiosk.ui.text import ui_text
from kiosk.ui.widgets import clear_layout


class HomeScreen(Screen):
    kind = ScreenKind.HOME
    action_choices = False

    def build(self) -> None:
        self._sections = QHBoxLayout()  # one column per category
        self._sections.setSpacing(36)
        self.body.addLayout(self._sections)
        self.body.addStretch(1)
        self._extra = QHBoxLayout()
        self.body.addLayout(self._extra)
        self._shown: Any = None

    def render_body(self, model: ScreenModel) -> None:
        key = (model.choices, dict(model.data.get("category_titles", {})), model.lang, model.elderly)
        if key == self._shown:
            return
        self._shown = key
        clear_layout(self._sections)
        by_id = {c.id: c for c in model.choices}
        categories: dict[str, list[str]] = dict(model.data.get("categories") or {"": list(by_id)})
        titles = model.data.get("category_titles", {})
        for category, flow_ids in categories.items():
            column = QVBoxLayout()
            column.setSpacing(self.px(20))
            column.addWidget(section_title(titles.get(category, "")))
            for flow_id in flow_ids:
                b = tile(by_id[flow_id])
                b.detail.setVisible(b.detail.text() not in ("", titles.get(category)))  # no echo of the heading
                b.clicked.connect(lambda _=False, fid=flow_id: self.send(Input(InputKind.START, fid)))
                column.addWidget(b)
            column.addStretch(1)
            self._sections.addLayout(column, 1)
        self._render_elderly(model)

    def _render_elderly(self, model: ScreenModel) -> None:
        clear_layout(self._extra)
        b = elderly_button(ui_text(model.lang, "button.elderly"), model.elderly)
        b.clicked.connect(lambda _=False, on=not model.elderly: self.send(
            Input(InputKind.ELDERLY, "on" if on else "off")))
        self._extra.addWidget(b)
        self._extra.addStretch(1)
