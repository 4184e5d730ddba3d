"""The day's figures on the staff records screen: the plan's main measures as rows, read from the journal."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel

from .test_staff_mode import mode, open_staff_mode, sign_in


def shown_rows(rows: Any) -> dict[str, str]:
    grid = rows.grid
    texts = {}
    for r in range(grid.rowCount()):
        cells = [grid.itemAtPosition(r, c) for c in (0, 1)]
        if all(cell is not None and isinstance(cell.widget(), QLabel) for cell in cells):
            texts[cells[0].widget().text()] = cells[1].widget().text()
    return texts


def test_the_days_figures_on_the_records_screen(ui: Any) -> None:
    ui.click("flow-si_payment")
    ui.wait_step("consent")
    ui.kiosk.services.clock.advance(12)
    ui.click("btn-cancel")
    ui.finish_session()
    open_staff_mode(ui)
    sign_in(ui, "S1001")
    ui.click("staff-tile-journal", mode(ui))
    figures = mode(ui).screens["records"].figures
    assert figures.isVisible()
    rows = shown_rows(figures)
    assert rows["客户笔数"] == "1"
    assert rows["办结（自助办结率）"] == "0（0.0%）"
    assert rows["放弃（取消 / 超时）"] == "1（1 / 0）"
    assert rows["放弃最多的步骤"] == "社保缴费 · 请阅读并同意 1"
    assert rows["办理时长 中位 / P90"] == "暂无 / 暂无"
    ui.click("staff-day-prev", mode(ui))  # the day before: nothing
    assert shown_rows(figures)["客户笔数"] == "0"
    ui.click("staff-close", mode(ui))
