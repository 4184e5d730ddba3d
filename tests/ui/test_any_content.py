"""Screens that hold any content (issue 12): every screen kind, both modes, with 1, 6, 12 and 30 rows or
choices (generated models): no text box smaller than its text, nothing clipped or overlapping, the paging
buttons full touch targets, every row or choice reachable by paging; the home with 29 services reaches
each by its category's pages, by the elderly short menu's "more" and by the pinyin search."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from kiosk.engine.screens import Choice, Row, ScreenKind, ScreenModel
from kiosk.ui.preview import preview_window, sample_home, sample_model
from kiosk.ui.samples import SAMPLE_SERVICES

from . import a11y

MODES = {"standard": False, "elderly": True}
COUNTS = (1, 6, 12, 30)
ROW_KINDS = (ScreenKind.CONFIRM, ScreenKind.RESULT, ScreenKind.WAITING_STAFF)


@pytest.fixture
def window(qtbot: Any) -> Iterator[Any]:
    made: list[Any] = []

    def open_(model: ScreenModel, size: tuple[int, int] = (1920, 1080)) -> Any:
        w = preview_window(model, size)
        made.append(w)
        w.show()
        qtbot.waitExposed(w)
        settle()
        return w

    yield open_
    for w in made:
        w.close()
        w.deleteLater()


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def rows(count: int, lang: str) -> tuple[Row, ...]:
    label = "项目" if lang == "zh_CN" else "Item"
    return tuple(Row(f"{label} {i}", f"城乡居民养老保险 2026-{i:02d} 1,128.00元 · 账户 6222 **** **** {i:04d}")
                 for i in range(1, count + 1))


def choices(count: int) -> tuple[Choice, ...]:
    return tuple(Choice(f"c{i}", f"城乡居民养老保险 2026-{i:02d}", f"{i},128.00元") for i in range(count))


def model_with(kind: ScreenKind, count: int, lang: str, elderly: bool) -> ScreenModel:
    if kind is ScreenKind.HOME:
        return sample_home(lang, count, elderly=elderly)
    if kind is ScreenKind.CHOICE:
        return sample_model(kind, lang, elderly=elderly, choices=choices(count))
    if kind in ROW_KINDS:
        return sample_model(kind, lang, elderly=elderly, rows=rows(count, lang))
    return sample_model(kind, lang, elderly=elderly)


def visible(w: Any, prefix: str) -> list[QPushButton]:
    settle()
    return [b for b in w.current_screen().findChildren(QPushButton)
            if b.isVisible() and b.objectName().startswith(prefix)]


def click(qtbot: Any, b: QPushButton) -> None:
    qtbot.mouseClick(b, Qt.MouseButton.LeftButton)
    settle()


def page_buttons(w: Any) -> list[QPushButton]:
    return [b for b in w.current_screen().findChildren(QPushButton)
            if b.isVisible() and b.objectName() in ("btn-page-prev", "btn-page-next", "btn-doc-prev", "btn-doc-next")]


@pytest.mark.parametrize("count", COUNTS)
@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("kind", list(ScreenKind))
def test_no_text_box_smaller_than_its_text(window: Any, kind: ScreenKind, mode: str, count: int) -> None:
    if count != 1 and kind not in (ScreenKind.HOME, ScreenKind.CHOICE, *ROW_KINDS):
        pytest.skip("this kind shows no list of rows or choices")
    w = window(model_with(kind, count, "zh_CN", MODES[mode]))
    assert a11y.squeezed(w) == []
    assert a11y.cut_off(w) == []
    assert a11y.problems(w, MODES[mode]) == []
    least = round(96 * w.scale)
    for b in page_buttons(w):
        assert b.width() >= least
        assert b.height() >= least


@pytest.mark.parametrize("lang", ["zh_CN", "en_US"])
@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("kind", [ScreenKind.CHOICE, *ROW_KINDS])
def test_every_row_and_choice_is_reached_by_paging(window: Any, qtbot: Any, kind: ScreenKind, mode: str,
                                                   lang: str) -> None:
    w = window(model_with(kind, 30, lang, MODES[mode]))
    seen: set[str] = set()
    pages = 0
    while True:
        pages += 1
        if kind is ScreenKind.CHOICE:
            seen |= {b.objectName() for b in visible(w, "choice-")}
        else:
            seen |= {lab.text() for lab in w.current_screen().findChildren(QLabel, "RowValue") if lab.isVisible()}
        assert a11y.squeezed(w) == []
        assert a11y.problems(w, MODES[mode]) == []
        where = [lab for lab in w.current_screen().findChildren(QLabel, "PageLabel") if lab.isVisible()]
        assert len(where) == 1
        assert where[0].text() == (f"第{pages}页，共" if lang == "zh_CN" else f"Page {pages} of ") + \
            where[0].text().split("共" if lang == "zh_CN" else " of ")[1]
        (nxt,) = [b for b in page_buttons(w) if b.objectName() == "btn-page-next"]
        if not nxt.isEnabled():
            break
        click(qtbot, nxt)
    assert len(seen) == 30
    assert pages > 1


def test_a_squeezed_label_is_reported(window: Any) -> None:
    w = window(sample_model(ScreenKind.CONFIRM))
    value = [lab for lab in w.current_screen().findChildren(QLabel, "RowValue") if lab.isVisible()][0]
    value.setFixedHeight(value.fontMetrics().height() - 8)
    settle()
    assert any("px box for" in p for p in a11y.squeezed(w))


def test_a_long_row_value_on_one_line_gets_one_lines_height(window: Any) -> None:
    """Qt's size hint of a wrapping label breaks long text at about half the line: the row would be drawn
    two lines high with its one line of text in the middle."""
    value = "CNY 96.81 (365 days at 0.95%, 35 at 0.05%) to 955880*********0001"
    model = ScreenModel(kind=ScreenKind.CONFIRM, step="confirm", title="Confirm",
                        rows=(Row("Interest", value), Row("Credited", "CNY 10,096.81")))
    w = window(model)
    labels = {lab.text(): lab for lab in w.current_screen().findChildren(QLabel, "RowValue") if lab.isVisible()}
    assert labels[value].height() == labels["CNY 10,096.81"].height()


# --- the home with 29 services ---------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["zh_CN", "en_US"])
def test_every_service_is_reached_by_its_category_pages(window: Any, qtbot: Any, lang: str) -> None:
    model = sample_home(lang)
    w = window(model)
    first = [b.objectName() for b in visible(w, "flow-")]
    assert first == [f"flow-{c.id}" for c in model.choices[:len(first)]]  # most used first
    reached: set[str] = set()
    for category, ids in model.data["categories"].items():
        rail = w.current_screen().rail
        tile = next(b for b in rail.items if b.objectName() == f"cat-{category}")
        rail.show_page(rail.page_of(tile))
        click(qtbot, tile)
        while True:
            shown = [b.objectName().removeprefix("flow-") for b in visible(w, "flow-")]
            assert set(shown) <= set(ids)
            reached |= set(shown)
            assert a11y.squeezed(w) == []
            assert a11y.problems(w, False) == []
            nxt = w.current_screen().services.next
            if not nxt.isVisible() or not nxt.isEnabled():
                break
            click(qtbot, nxt)
    assert reached == {s.id for s in SAMPLE_SERVICES}


def test_the_elderly_short_menu_reaches_every_service_by_more(window: Any, qtbot: Any) -> None:
    model = sample_home(elderly=True)
    w = window(model)
    order: list[str] = []
    while True:
        shown = [b.objectName().removeprefix("flow-") for b in visible(w, "flow-")]
        assert len(shown) <= 6
        order += shown
        assert a11y.squeezed(w) == []
        more = visible(w, "btn-more")
        if not more:
            break
        click(qtbot, more[0])
    assert order == [c.id for c in model.choices]  # most used first, all 29


@pytest.mark.parametrize(("typed", "found"), [("GS", {"loss_report", "loss_release", "mobile_change"}),
                                               ("SBJF", {"si_payment"}), ("RLC", {"loss_report"})])
def test_the_pinyin_search_finds_by_initials(window: Any, qtbot: Any, typed: str, found: set[str]) -> None:
    w = window(sample_home())
    click(qtbot, visible(w, "btn-search")[0])
    for letter in typed:
        click(qtbot, visible(w, f"letter-{letter}")[0])
    assert {b.objectName().removeprefix("flow-") for b in visible(w, "flow-")} == found
    assert a11y.squeezed(w) == []
    assert a11y.problems(w, False) == []
    click(qtbot, visible(w, "letter-delete")[0])
    click(qtbot, visible(w, "btn-search-clear")[0])
    assert visible(w, "flow-") == []


def test_every_service_is_found_by_its_initials(window: Any, qtbot: Any) -> None:
    model = sample_home()
    w = window(model)
    click(qtbot, visible(w, "btn-search")[0])
    screen = w.current_screen()
    for choice in model.choices:
        screen._search.query = model.data["search"][choice.id][0]
        screen.render(model)
        settle()
        pager = screen._search.results
        item = next(b for b in pager.items if b.objectName() == f"flow-{choice.id}")
        pager.show_page(pager.page_of(item))
        settle()
        assert item.isVisible()
