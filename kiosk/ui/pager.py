"""Lists that hold any number of items: as many whole items as fit, and when there are more, large
previous/next page buttons with "第2页，共3页" under them. Text and boxes never shrink below their type:
an item always gets the height its words need (``heightForWidth``), and what does not fit goes to the
next page. Used for choices, the home screen's services, confirmation rows and the search results."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import QGridLayout, QSizePolicy, QWidget

from kiosk.ui.text import ui_text
from kiosk.ui.widgets import button, label

NAV_HEIGHT = 96  # the page buttons: a full touch target, in design pixels


def item_height(widget: QWidget, width: int) -> int:
    """The height ``widget`` needs at ``width``: its words wrapped, never less than its minimum. A widget
    whose height follows its width gets that height: its size hint wraps long text at a width of Qt's
    choosing (about half the line), which would give a one-line value two lines' height."""
    needed = max(widget.minimumSizeHint().height(), widget.minimumHeight())
    if widget.hasHeightForWidth():
        return max(needed, widget.heightForWidth(width))
    return max(needed, widget.sizeHint().height())


class Pager(QWidget):
    """Items placed by hand in rows of ``columns``; pages cut where the next row would not fit."""

    paged = Signal(int)  # the page now shown

    def __init__(self, columns: int = 1, name: str = "pager", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.columns = columns
        self.scale = 1.0
        self.spacing = 24
        self.lang = "zh_CN"
        self.page = 0
        self.items: list[QWidget] = []
        self.pages: list[list[list[int]]] = [[]]  # page -> rows -> item indexes
        self._row_heights: list[int] = []
        self._natural = 0
        self.area = QWidget(self)
        self.nav = QWidget(self)
        self.nav.setObjectName("PagerNav")
        self._nav_grid = QGridLayout(self.nav)
        self._nav_grid.setContentsMargins(0, 0, 0, 0)
        self._narrow: bool | None = None
        self.prev = button("", "btn-page-prev", "page", self.nav)
        self.next = button("", "btn-page-next", "page", self.nav)
        self.where = label("", "PageLabel", self.nav, wrap=False)
        self.where.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prev.clicked.connect(lambda: self.show_page(self.page - 1))
        self.next.clicked.connect(lambda: self.show_page(self.page + 1))
        self.nav.hide()
        self._pending = False
        self._hints: tuple[QSize, QSize] | None = None

    # --- content ---------------------------------------------------------------------------
    def set_items(self, items: list[QWidget], lang: str, scale: float, columns: int | None = None,
                  keep_page: bool = False) -> None:
        for old in self.items:
            if old not in items:
                old.hide()
                old.deleteLater()
        self.items = list(items)
        for item in self.items:
            item.setParent(self.area)
        self.lang, self.scale = lang, scale
        self.columns = columns or self.columns
        self.page = self.page if keep_page else 0
        self.relayout()

    def px(self, design: float) -> int:
        return max(1, round(design * self.scale))

    def page_count(self) -> int:
        return len(self.pages)

    def show_page(self, page: int) -> None:
        self.page = max(0, min(page, len(self.pages) - 1))
        self._place()
        self.paged.emit(self.page)

    def page_of(self, item: QWidget) -> int:
        index = self.items.index(item)
        return next(p for p, rows in enumerate(self.pages) if any(index in r for r in rows))

    # --- layout ----------------------------------------------------------------------------
    def relayout(self) -> None:
        """Cut the pages again (new items, a new size, a new style): soon, once sizes are known."""
        self._paginate()
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self, self._deferred)
        self.updateGeometry()

    def _deferred(self) -> None:
        self._pending = False
        self._paginate()

    def _column_width(self) -> int:
        gap = self.px(self.spacing)
        return max(1, (self.width() - gap * (self.columns - 1)) // self.columns)

    def _paginate(self) -> None:
        gap, width = self.px(self.spacing), self._column_width()
        heights = [item_height(item, width) for item in self.items]
        rows = [list(range(i, min(i + self.columns, len(heights)))) for i in range(0, len(heights), self.columns)]
        self._row_heights = [max(heights[i] for i in r) for r in rows]
        self._natural = sum(self._row_heights) + gap * max(0, len(rows) - 1)
        pages = self._cut(rows, self.height())
        if len(pages) > 1:
            pages = self._cut(rows, self.height() - self._nav_height() - gap)
        self.pages = pages or [[]]
        self.page = min(self.page, len(self.pages) - 1)
        self._place()
        hints = (self.minimumSizeHint(), self.sizeHint())
        if hints != self._hints:  # the parent layout asks again: its cached sizes were for other rows
            self._hints = hints
            self.updateGeometry()

    def _cut(self, rows: list[list[int]], room: int) -> list[list[list[int]]]:
        gap = self.px(self.spacing)
        pages: list[list[list[int]]] = []
        used = room + 1
        for number, r in enumerate(rows):
            need = self._row_heights[number]
            if pages and pages[-1] and used + gap + need <= room:
                pages[-1].append(r)
                used += gap + need
            else:
                pages.append([r])
                used = need
        return pages

    def _place(self) -> None:
        gap, width = self.px(self.spacing), self._column_width()
        shown = {i for r in self.pages[self.page] for i in r}
        row_of = {i: n for n, r in enumerate(self._rows()) for i in r}
        y = 0
        for row in self.pages[self.page]:
            height = self._row_heights[row_of[row[0]]]
            for column, index in enumerate(row):
                self.items[index].setGeometry(column * (width + gap), y, width, height)
            y += height + gap
        for index, item in enumerate(self.items):
            item.setVisible(index in shown)
        many = len(self.pages) > 1
        nav_height = self._nav_height() if many else 0
        self.area.setGeometry(0, 0, self.width(), max(0, self.height() - (nav_height + gap if many else 0)))
        self.nav.setVisible(many)
        if many:
            self._nav_grid.setSpacing(self.px(12 if self._narrow else 24))
            self.nav.setGeometry(0, self.height() - nav_height, self.width(), nav_height)
            self.where.setText(ui_text(self.lang, "ui.page", page=self.page + 1, count=len(self.pages)))
            self.prev.setEnabled(self.page > 0)
            self.next.setEnabled(self.page < len(self.pages) - 1)
            for b in (self.prev, self.next):
                b.setMinimumWidth(self.px(150 if self._narrow else 260))

    def _nav_height(self) -> int:
        """The page buttons' row; in a narrow list "page x of y" goes on a line above them."""
        self.where.ensurePolished()
        self.prev.setText(ui_text(self.lang, "ui.page.prev"))
        self.next.setText(ui_text(self.lang, "ui.page.next"))
        narrow = self.width() < self.prev.sizeHint().width() + self.next.sizeHint().width() \
            + self.where.sizeHint().width() + self.px(96)
        if narrow:  # the arrows alone, "page x of y" above them
            self.prev.setText(ui_text(self.lang, "ui.page.up"))
            self.next.setText(ui_text(self.lang, "ui.page.down"))
        self.prev.setAccessibleName(ui_text(self.lang, "ui.page.prev"))
        self.next.setAccessibleName(ui_text(self.lang, "ui.page.next"))
        if narrow != self._narrow or self._nav_grid.count() == 0:
            self._narrow = narrow
            for w in (self.prev, self.where, self.next):
                self._nav_grid.removeWidget(w)
            if narrow:
                self._nav_grid.addWidget(self.where, 0, 0, 1, 2)
                self._nav_grid.addWidget(self.prev, 1, 0)
                self._nav_grid.addWidget(self.next, 1, 1)
            else:
                self._nav_grid.addWidget(self.prev, 0, 0)
                self._nav_grid.addWidget(self.where, 0, 1)
                self._nav_grid.addWidget(self.next, 0, 2)
                self._nav_grid.setColumnStretch(1, 1)
            self._nav_grid.setColumnStretch(1, 0 if narrow else 1)
        self.prev.ensurePolished()
        touch = max(self.px(NAV_HEIGHT), self.prev.sizeHint().height(), self.next.sizeHint().height())
        return touch + (self.where.sizeHint().height() + self.px(12) if narrow else 0)

    def _rows(self) -> list[list[int]]:
        return [list(range(i, min(i + self.columns, len(self.items)))) for i in range(0, len(self.items), self.columns)]

    # --- Qt --------------------------------------------------------------------------------
    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name: all of it when there is room
        return QSize(self.px(400), max(self._natural, self.minimumSizeHint().height()))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - one item (as its hint has it) and the page buttons
        first = max((item.sizeHint().height() for item in self.items[:self.columns]), default=0)
        nav = self._nav_height() + self.px(self.spacing) if len(self._row_heights) > 1 else 0
        return QSize(self.px(200), first + nav)

    def resizeEvent(self, event: object) -> None:  # noqa: N802
        self._paginate()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - a new style sheet: new type sizes
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            self.relayout()
        super().changeEvent(event)



def reveal(root: QWidget, name: str) -> bool:
    """Turn the pager that holds the item named ``name`` (a choice, a service) to its page, as a customer
    paging to it would; False when no pager under ``root`` holds it."""
    for pager in root.findChildren(Pager):
        item = next((w for w in pager.items if w.objectName() == name
                     or any(c.objectName() == name for c in w.findChildren(QWidget))), None)
        if item is not None:
            pager.show_page(pager.page_of(item))
            return True
    return False
