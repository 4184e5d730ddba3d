"""取号 clicked through in the real window (offscreen): the current wait on the home screen, the businesses with
their waits, the number on the result and the ticket; and a customer of 75 who has her ID card read for the
priority queue."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from kiosk.engine.screens import Input, InputKind

from . import a11y


def home_line(ui: Any) -> QLabel:
    """The home screen's line of the current wait, in the footer beside "call staff"."""
    label: QLabel = ui.window.footer.lines
    return label


def take_ticket(ui: Any) -> dict[str, str]:
    """From the result: the rows shown, then the ticket printed and taken, back home."""
    ui.wait_step("result")
    assert ui.window.current_screen().icon.kind() == "success"
    shown = {r.label: r.value for r in ui.model.rows}
    paging = [b for b in ui.window.current_screen().findChildren(QPushButton, "btn-page-next") if b.isVisible()]
    assert paging == []  # the wait is seen at once
    ui.choose("continue")
    ui.wait_step("receipt")
    ui.wait_until(lambda: ui.model.data.get("printed") is True)
    printed = dict(ui.model.data["receipt_lines"])
    assert (printed["号码"], printed["业务"]) == (shown["号码"], shown["业务"])  # the ticket says what the screen said
    assert shown["等候"] == f"前面 {printed['前面等候']}，{printed['预计等候']}"
    assert printed["取号时间"]
    ui.choose("continue")
    assert ui.finish_session() == "completed"
    return shown


def test_a_number_without_the_id_card_and_the_wait_on_the_home_screen(ui: Any) -> None:
    ui.wait_step("home")
    assert not home_line(ui).isVisible()  # not asked before the kiosk starts its home lines
    ui.engine.start_home_lines()
    ui.wait_until(lambda: home_line(ui).isVisible())
    assert home_line(ui).text() == "当前等候 14 人，最长约 24 分钟"
    ui.check_words()
    for elderly in (False, True):  # the footer's line meets the numbers, cut by nothing, over nothing
        ui.engine.send(Input(InputKind.ELDERLY, "on" if elderly else "off"))
        ui.wait_until(lambda e=elderly: ui.model.elderly == e and home_line(ui).isVisible())
        QApplication.processEvents()
        assert a11y.problems(ui.window, elderly) == []
        assert a11y.cut_off(ui.window) == []
        assert a11y.squeezed(ui.window) == []
    ui.click("flow-queue_ticket")
    ui.wait_step("business")
    assert not home_line(ui).isVisible()  # the home screen's only
    details = {c.id: c.detail for c in ui.model.choices}
    assert details["cash_large"] == "等候 6 人 · 约 24 分钟"
    assert details["priority"] == "刷身份证取优先号"
    ui.choose("cash_large")
    shown = take_ticket(ui)
    assert shown == {"号码": "A012（个人业务）", "业务": "大额现金存取", "等候": "前面 6 人，约 24 分钟"}
    ui.wait_until(lambda: home_line(ui).text() == "当前等候 15 人，最长约 28 分钟")  # asked again at the end
    postings = ui.qa.host_state()["postings"]
    assert [p["op"] for p in postings] == ["queue.take"]


def test_a_customer_of_75_gets_a_priority_number_with_her_id_card(ui: Any) -> None:
    ui.wait_step("home")
    ui.click("flow-queue_ticket")
    ui.wait_step("business")
    ui.choose("priority")
    ui.wait_step("id_consent")
    ui.choose("agree")
    ui.wait_step("read_id")
    ui.qa.place_id_card("li_xiuying")
    ui.wait_step("senior_business")
    details = {c.id: c.detail for c in ui.model.choices}
    assert details["cash_large"] == "优先号 · 等候 1 人 · 约 4 分钟"
    assert details["safe_box"] == "等候 2 人 · 约 20 分钟"  # no priority for the vault: its own queue
    ui.choose("cash_large")
    shown = take_ticket(ui)
    assert shown == {"号码": "V004（长辈优先）", "业务": "大额现金存取", "等候": "前面 1 人，约 4 分钟"}
