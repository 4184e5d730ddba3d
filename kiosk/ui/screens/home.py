"""The home screen: the catalogue, and the prominent entry to elderly mode (长辈模式).

Standard mode shows the services in one column per category. Elderly mode shows a short menu: at
most six services (the catalogue's order, most used first), then a "more" tile that shows the next
six, and so on, with a tile back to the first six; no categories, nothing else."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QVBoxLayout

from kiosk.engine.screens import Choice, Input, InputKind, ScreenKind, ScreenModel
from kiosk.ui.screens.base import Screen
from kiosk.ui.screens.choice import ChoiceButton, fill_grid, section_title, tile
from kiosk.ui.text import ui_text
from kiosk.ui.widgets import clear_layout

ELDERLY_MENU = 6  # services per page of the elderly home menu


class HomeScreen(Screen):
    kind = ScreenKind.HOME
    action_choices = False

    def build(self) -> None:
        outer = self.layout()
        assert isinstance(outer, QVBoxLayout)
        for widget in (self.title, self.prompt):  # the title and prompt share a row with the elderly entry
            outer.removeWidget(widget)
        words = QVBoxLayout()
        words.setSpacing(18)
        words.addWidget(self.title)
        words.addWidget(self.prompt)
        self._top = QHBoxLayout()
        self._top.addLayout(words, 1)
        self._entry = QHBoxLayout()
        self._top.addLayout(self._entry)
        outer.insertLayout(0, self._top)
        self._sections = QHBoxLayout()  # standard mode: one column per category
        self._sections.setSpacing(36)
        self._grid = QGridLayout()  # elderly mode: the short menu
        self.body.addLayout(self._sections)
        self.body.addLayout(self._grid)
        self.body.addStretch(1)
        self._shown: Any = None
        self.page = 0

    def render_body(self, model: ScreenModel) -> None:
        key = (model.choices, dict(model.data.get("category_titles", {})), model.lang, model.elderly, self.page)
        if key == self._shown:
            return
        if self._shown is not None and self._shown[:4] != key[:4]:
            self.page = 0  # another catalogue, language or mode: back to the first page
            key = (*key[:4], 0)
        self._shown = key
        clear_layout(self._sections)
        clear_layout(self._grid)
        if model.elderly:
            self._render_short_menu(model)
        else:
            self._render_categories(model)
        self._render_entry(model)

    def _render_categories(self, model: ScreenModel) -> None:
        by_id = {c.id: c for c in model.choices}
        categories: dict[str, list[str]] = dict(model.data.get("categories") or {"": list(by_id)})
        titles = model.data.get("category_titles", {})
        for category, flow_ids in categories.items():
            column = QVBoxLayout()
            column.setSpacing(self.px(20))
            column.addWidget(section_title(titles.get(category, "")))
            for flow_id in flow_ids:
                column.addWidget(self._flow_tile(by_id[flow_id], titles.get(category, "")))
            column.addStretch(1)
            self._sections.addLayout(column, 1)

    def _render_short_menu(self, model: ScreenModel) -> None:
        titles = set(model.data.get("category_titles", {}).values())
        choices = list(model.choices)
        pages = max(1, -(-len(choices) // ELDERLY_MENU))
        self.page = min(self.page, pages - 1)
        shown = choices[self.page * ELDERLY_MENU:(self.page + 1) * ELDERLY_MENU]
        tiles: list[QPushButton] = [self._flow_tile(c, *titles) for c in shown]
        left = len(choices) - (self.page + 1) * ELDERLY_MENU
        if left > 0:
            tiles.append(self._page_tile("btn-more", ui_text(model.lang, "ui.home.more"),
                                         ui_text(model.lang, "ui.home.more_detail", count=left), self.page + 1))
        if self.page > 0:
            tiles.append(self._page_tile("btn-first", ui_text(model.lang, "ui.home.first"), "", 0))
        self._grid.setSpacing(self.px(28))
        fill_grid(self._grid, tiles, 3 if len(tiles) <= 6 else 4)

    def _flow_tile(self, choice: Choice, *hidden_details: str) -> ChoiceButton:
        b = tile(choice)
        b.detail.setVisible(b.detail.text() not in ("", *hidden_details))  # no echo of the category heading
        b.clicked.connect(lambda _=False, fid=choice.id: self.send(Input(InputKind.START, fid)))
        return b

    def _page_tile(self, name: str, text: str, detail: str, page: int) -> ChoiceButton:
        b = ChoiceButton(Choice(name, text, detail), name)
        b.setProperty("tile", "true")
        b.clicked.connect(lambda _=False: self._show_page(page))
        return b

    def _show_page(self, page: int) -> None:
        self.page = page
        if self.model is not None:
            self.render(self.model)

    def _render_entry(self, model: ScreenModel) -> None:
        """Elderly mode's entry (and exit): large, top right, with what it gives."""
        clear_layout(self._entry)
        on = model.elderly
        text = ui_text(model.lang, "ui.elderly.leave" if on else "button.elderly")
        detail = "" if on else ui_text(model.lang, "ui.elderly.detail")
        b = ChoiceButton(Choice("elderly", text, detail), "btn-elderly")
        b.clicked.connect(lambda _=False: self.send(Input(InputKind.ELDERLY, "off" if on else "on")))
        self._entry.addWidget(b)
