"""The home screen: the catalogue by category, and senior mode (长辈模式)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout

from kiosk.engine.screens import Input, InputKind, ScreenKind, ScreenModel
from kiosk.ui.screens.base import Screen
from kiosk.ui.screens.choice import elderly_button, fill_grid, section_title, tile
from kiosk.ui.text import ui_text
from kiosk.ui.widgets import clear_layout

COLUMNS = 3


class HomeScreen(Screen):
    kind = ScreenKind.HOME
    action_choices = False

    def build(self) -> None:
        self._sections = QVBoxLayout()
        self._sections.setSpacing(18)
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
            if titles.get(category):
                self._sections.addWidget(section_title(titles[category]))
            grid = QGridLayout()
            grid.setSpacing(24)
            buttons = []
            for flow_id in flow_ids:
                b = tile(by_id[flow_id])
                b.clicked.connect(lambda _=False, fid=flow_id: self.send(Input(InputKind.START, fid)))
                buttons.append(b)
            fill_grid(grid, buttons, COLUMNS)
            self._sections.addLayout(grid)
        self._render_elderly(model)

    def _render_elderly(self, model: ScreenModel) -> None:
        clear_layout(self._extra)
        b = elderly_button(ui_text(model.lang, "button.elderly"), model.elderly)
        b.clicked.connect(lambda _=False, on=not model.elderly: self.send(
            Input(InputKind.ELDERLY, "on" if on else "off")))
        self._extra.addWidget(b)
        self._extra.addStretch(1)
