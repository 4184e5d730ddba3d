"""The home screen: the catalogue, the search by initials, and the prominent entry to elderly mode (长辈模式).

Standard mode: a rail on the left ("most used", then one tile per category with how many services it
has) and, beside it, the page it opens: its services, most used first, paging when they do not fit.
"拼音查找" (top right) opens the search: an on-screen letter keyboard, the typed initials, and the
services whose pinyin (or English) initials hold them ("GS" finds 银行卡挂失 and 解除挂失).
Elderly mode shows a short menu: the six most used services, then a "more" tile that shows the next
six, and so on, with a tile back to the first six; no categories, nothing else.
Card first: with a bank card inserted on the home screen (the model's ``bank_card``), only the services
that start from the card, and "取回银行卡" (Take the card back), which ejects it.
The flows' own lines (the model's ``lines``, e.g. "当前等候 12 人") are the footer's (kiosk/ui/chrome.py): a
new one changes nothing here, not even the page shown.

The order is the model's (most used first: the engine orders by each flow's ``popularity``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.core.pinyin import matches
from kiosk.engine.home import TAKE_CARD
from kiosk.engine.screens import Choice, Input, InputKind, ScreenKind, ScreenModel
from kiosk.ui.pager import Pager
from kiosk.ui.screens.base import Screen
from kiosk.ui.screens.choice import ChoiceButton, fill_grid
from kiosk.ui.switch import SwitchMark
from kiosk.ui.text import ui_text
from kiosk.ui.theme import palette_for
from kiosk.ui.widgets import button, clear_layout, label, set_flag

ELDERLY_MENU = 6  # services per page of the elderly home menu
POPULAR = 6  # services on the standard home's "most used" page
POPULAR_SECTION = "popular"
SEARCH_SECTION = "search"
LETTERS = [chr(c) for c in range(ord("A"), ord("Z") + 1)]
LETTER_COLUMNS = 7


class HomeScreen(Screen):
    kind = ScreenKind.HOME
    action_choices = False

    def build(self) -> None:
        outer = self.layout()
        assert isinstance(outer, QVBoxLayout)
        for widget in (self.title, self.prompt):  # the title and prompt share a row with search and elderly mode
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
        self._standard = QWidget()  # standard mode: rail | page
        split = QHBoxLayout(self._standard)
        split.setContentsMargins(0, 0, 0, 0)
        self.rail = Pager(1, "HomeRail")
        self.rail.spacing = 8
        self.services = Pager(2, "HomeServices")
        self.services.spacing = 16
        self._search = SearchPanel(self)
        split.addWidget(self.rail, 0)
        split.addWidget(self.services, 1)
        split.addWidget(self._search, 1)
        self._split = split
        self._grid = QGridLayout()  # elderly mode: the short menu
        self.body.addWidget(self._standard, 1)
        self.body.addLayout(self._grid)
        self.body.addStretch(0)
        self._shown: Any = None
        self.page = 0  # elderly menu page
        self.section = POPULAR_SECTION

    # --- state -----------------------------------------------------------------------------
    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - a customer started: the next one starts afresh
        self.section, self.page = POPULAR_SECTION, 0
        self._search.query = ""
        self._shown = None
        super().hideEvent(event)

    def open_section(self, section: str) -> None:
        self.section = section
        self._shown = None
        if self.model is not None:
            self.render(self.model)

    def reveal(self, flow_id: str) -> bool:
        """Show the page that holds a service's tile, as a customer would reach it: its category and the
        category's page in standard mode, the short menu's page in elderly mode. False when it is not there."""
        model = self.model
        if model is None or flow_id not in {c.id for c in model.choices}:
            return False
        if model.elderly:
            self._show_page(next(i for i, c in enumerate(model.choices) if c.id == flow_id) // ELDERLY_MENU)
            return True
        section = next((cat for cat, flows in self.categories(model).items() if flow_id in flows), POPULAR_SECTION)
        self.open_section(section)
        tile = next((b for b in self.services.items if b.objectName() == f"flow-{flow_id}"), None)
        if tile is not None:
            self.services.show_page(self.services.page_of(tile))
        return tile is not None

    def render_body(self, model: ScreenModel) -> None:
        data = {k: v for k, v in model.data.items() if k != "lines"}  # a new wait (the footer's) keeps the page
        key = (model.choices, repr(data), model.lang, model.elderly, self.scale, self.page,
               self.section, self._search.query)
        if key == self._shown:
            return
        if self._shown is not None and self._shown[:5] != key[:5]:
            self.page, self.section = 0, POPULAR_SECTION  # another catalogue, language or mode: from the start
            key = (*key[:5], 0, POPULAR_SECTION, self._search.query)
        self._shown = key
        clear_layout(self._grid)
        carded = bool(model.data.get("bank_card"))
        self._standard.setVisible(not model.elderly and not carded)
        if carded:
            self._render_card_menu(model)
        elif model.elderly:
            self._render_short_menu(model)
        else:
            self._render_standard(model)
        self._render_entry(model)

    # --- standard mode ---------------------------------------------------------------------
    def categories(self, model: ScreenModel) -> dict[str, list[str]]:
        by_id = {c.id for c in model.choices}
        found = dict(model.data.get("categories") or {"": [c.id for c in model.choices]})
        return {cat: [f for f in flows if f in by_id] for cat, flows in found.items()}

    def _render_standard(self, model: ScreenModel) -> None:
        titles = model.data.get("category_titles", {})
        categories = self.categories(model)
        if self.section not in (POPULAR_SECTION, SEARCH_SECTION, *categories):
            self.section = POPULAR_SECTION
        rail: list[QWidget] = [self._rail_button("btn-popular", ui_text(model.lang, "ui.home.popular"),
                                                 POPULAR_SECTION)]
        for cat, flows in categories.items():
            count = ui_text(model.lang, "ui.home.category_count", count=len(flows))
            rail.append(self._rail_button(f"cat-{cat}", titles.get(cat, ""), cat, count))
        self._split.setSpacing(self.px(36))
        self.rail.set_items(rail, model.lang, self.scale)
        for b in rail:
            b.ensurePolished()
        self.rail.setFixedWidth(max(self.px(400), *(b.sizeHint().width() for b in rail)))
        searching = self.section == SEARCH_SECTION
        self.services.setVisible(not searching)
        self._search.setVisible(searching)
        if searching:
            self.services.set_items([], model.lang, self.scale)
            self._search.render(model, self)
            return
        by_id = {c.id: c for c in model.choices}
        if self.section == POPULAR_SECTION:
            shown = list(model.choices[:POPULAR])
            hidden: tuple[str, ...] = ()
        else:
            shown = [by_id[f] for f in categories[self.section]]
            hidden = (titles.get(self.section, ""),)
        self.services.set_items([self.flow_tile(c, *hidden) for c in shown], model.lang, self.scale, columns=2)

    def _rail_button(self, name: str, text: str, section: str, count: str = "") -> QPushButton:
        b = RailButton(text, count, name)
        set_flag(b, "selected", "true" if section == self.section else "false")
        b.clicked.connect(lambda _=False: self.open_section(section))
        return b

    # --- elderly mode ----------------------------------------------------------------------
    def _render_short_menu(self, model: ScreenModel) -> None:
        titles = set(model.data.get("category_titles", {}).values())
        choices = list(model.choices)
        pages = max(1, -(-len(choices) // ELDERLY_MENU))
        self.page = min(self.page, pages - 1)
        shown = choices[self.page * ELDERLY_MENU:(self.page + 1) * ELDERLY_MENU]
        tiles: list[QPushButton] = []
        for c in shown:
            b = self.flow_tile(c, *titles)
            b.setProperty("tile", "true")
            tiles.append(b)
        left = len(choices) - (self.page + 1) * ELDERLY_MENU
        if left > 0:
            tiles.append(self._page_tile("btn-more", ui_text(model.lang, "ui.home.more"),
                                         ui_text(model.lang, "ui.home.more_detail", count=left), self.page + 1))
        if self.page > 0:
            tiles.append(self._page_tile("btn-first", ui_text(model.lang, "ui.home.first"), "", 0))
        self._grid.setSpacing(self.px(28))
        fill_grid(self._grid, tiles, 3 if len(tiles) <= 6 else 4)

    # --- card first ----------------------------------------------------------------------
    def _render_card_menu(self, model: ScreenModel) -> None:
        titles = set(model.data.get("category_titles", {}).values())
        tiles: list[QPushButton] = []
        for c in model.choices:
            b = self.flow_tile(c, *titles)
            b.setProperty("tile", "true")
            tiles.append(b)
        take_back = model.data.get("take_back")
        if take_back:
            b = ChoiceButton(Choice(TAKE_CARD, str(take_back)), "btn-take-card")
            b.setProperty("tile", "true")
            b.clicked.connect(lambda _=False: self.send(Input(InputKind.CHOOSE, TAKE_CARD)))
            tiles.append(b)
        self._grid.setSpacing(self.px(28))
        fill_grid(self._grid, tiles, 2 if len(tiles) <= 4 else 3)

    def flow_tile(self, choice: Choice, *hidden_details: str) -> ChoiceButton:
        b = ChoiceButton(choice, f"flow-{choice.id}")
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

    # --- top right: search and elderly mode --------------------------------------------------
    def _render_entry(self, model: ScreenModel) -> None:
        """Search (standard mode) and elderly mode's entry (and exit): large, top right, a switch with words."""
        clear_layout(self._entry)
        self._entry.setSpacing(self.px(24))
        if not model.elderly:
            search = button(ui_text(model.lang, "ui.home.search"), "btn-search", "rail")
            set_flag(search, "selected", "true" if self.section == SEARCH_SECTION else "false")
            search.clicked.connect(lambda _=False: self.open_section(SEARCH_SECTION))
            self._entry.addWidget(search, 0, Qt.AlignmentFlag.AlignVCenter)
        on = model.elderly
        detail = ui_text(model.lang, "ui.elderly.leave" if on else "ui.elderly.detail")
        b = SwitchTile(Choice("elderly", ui_text(model.lang, "button.elderly"), detail), "btn-elderly")
        palette = palette_for(on)
        b.set_switch(on, palette.brand, palette.card, self.px(44), self.px(24))
        b.clicked.connect(lambda _=False: self.send(Input(InputKind.ELDERLY, "off" if on else "on")))
        self._entry.addWidget(b)


class SwitchTile(ChoiceButton):
    """A tile with its state as a drawn switch at its right (the words say the state and what a touch does)."""

    def __init__(self, choice: Choice, name: str) -> None:
        super().__init__(choice, name)
        self.switch = SwitchMark(self)
        self._margin = 28

    def set_switch(self, on: bool, ink: str, fill: str, height: int, margin: int) -> None:
        self.switch.set_state(on, ink, fill, height)
        self._margin = margin
        self.layout().setContentsMargins(28, 14, margin * 2 + self.switch.width(), 14)
        self._place()

    def _place(self) -> None:
        self.switch.move(self.width() - self.switch.width() - self._margin, (self.height() - self.switch.height()) // 2)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._place()


class RailButton(QPushButton):
    """A category on the rail: its title, and how many services it has, on one line."""

    def __init__(self, text: str, count: str, name: str) -> None:
        super().__init__()
        proto = button("", name, "rail")
        self.setObjectName(name)
        self.setProperty("role", "rail")
        self.setFocusPolicy(proto.focusPolicy())
        self.setCursor(proto.cursor())
        proto.deleteLater()
        self.setText(text)
        self.count = label(count, "RailCount", self, wrap=False)
        self.count.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.count.setVisible(bool(count))
        self.setAccessibleName(f"{text} {count}".strip())

    def resizeEvent(self, event: Any) -> None:  # noqa: N802
        hint = self.count.sizeHint()
        margin = max(8, self.height() // 5)
        self.count.setGeometry(self.width() - hint.width() - margin, (self.height() - hint.height()) // 2,
                               hint.width(), hint.height())
        super().resizeEvent(event)

    def sizeHint(self) -> Any:  # noqa: N802 - room for the count beside the title
        hint = super().sizeHint()
        if self.count.isVisibleTo(self) or self.count.text():
            hint.setWidth(hint.width() + self.count.sizeHint().width() + 24)
        return hint


class SearchPanel(QWidget):
    """What the customer typed, "全部清除", the letter keyboard with its one "删除" key, and the services
    whose initials hold what was typed (paged)."""

    def __init__(self, home: HomeScreen) -> None:
        super().__init__()
        self.setObjectName("SearchPanel")
        self.home = home
        self.query = ""
        self.model: ScreenModel | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        left = QVBoxLayout()
        typed = QHBoxLayout()
        self.box = button("", "SearchBox", "field")  # what was typed, drawn as the active field
        self.box.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        set_flag(self.box, "active", "true")
        self.clear = button("", "btn-search-clear")
        self.clear.clicked.connect(lambda: self.type_letter("clear"))
        typed.addWidget(self.box, 1)
        typed.addWidget(self.clear)
        left.addLayout(typed)
        self.keys = QGridLayout()
        self.letters: dict[str, QPushButton] = {}
        for index, name in enumerate([*LETTERS, "delete"]):
            b = button(name, f"letter-{name}", "letter")
            b.clicked.connect(lambda _=False, k=name: self.type_letter(k))
            self.keys.addWidget(b, index // LETTER_COLUMNS, index % LETTER_COLUMNS,
                                1, 2 if name == "delete" else 1)
            self.letters[name] = b
        left.addLayout(self.keys)
        left.addStretch(1)
        row.addLayout(left, 0)
        right = QVBoxLayout()
        self.status = label("", "SearchHint")
        self.results = Pager(1, "SearchResults")
        self.results.spacing = 16
        right.addWidget(self.status)
        right.addWidget(self.results, 1)
        row.addLayout(right, 1)
        self._row = row
        self._left, self._right = left, right

    def type_letter(self, key: str) -> None:
        if key == "clear":
            self.query = ""
        elif key == "delete":
            self.query = self.query[:-1]
        elif len(self.query) < 8:
            self.query += key
        if self.home.model is not None:
            self.home.render(self.home.model)

    def render(self, model: ScreenModel, home: HomeScreen) -> None:
        px = home.px
        self._row.setSpacing(px(36))
        self._left.setSpacing(px(16))
        self.keys.setSpacing(px(10))
        self.box.setText(self.query)
        self.clear.setText(ui_text(model.lang, "button.clear_all"))
        self.letters["delete"].setText(ui_text(model.lang, "button.delete"))
        self.clear.setEnabled(bool(self.query))
        self.letters["delete"].setEnabled(bool(self.query))
        search = model.data.get("search", {})
        found = [c for c in model.choices if matches(self.query, tuple(search.get(c.id, ())))]
        if not self.query:
            self.status.setText(ui_text(model.lang, "ui.home.search_hint"))
        elif not found:
            self.status.setText(ui_text(model.lang, "ui.home.search_none", query=self.query))
        self.status.setVisible(not found)  # the results take the room when there are some
        titles = tuple(model.data.get("category_titles", {}).values())  # the titles only: room for more results
        self.results.set_items([home.flow_tile(c, *titles) for c in found], model.lang, home.scale)
