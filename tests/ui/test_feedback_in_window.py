"""Feedback (意见建议与投诉) clicked through in the real window (offscreen): a phrase ticked and unticked, the
rest written on the pinyin keyboard (too short first: refused at the field), a mobile number to call back, the
slip; the journal keeps the reference, the category and the classification, never the text or the number."""

from __future__ import annotations

import json
from typing import Any

from kiosk.engine.screens import ScreenKind

from .test_cards_accounts_flows_in_window import finish, type_pinyin

MOBILE = "13911112222"


def ticked(ui: Any, phrase: str) -> bool:
    return bool(ui.button(f"choice-{phrase}").detail.text())


def test_feedback_ticked_written_and_a_number_to_call_back(ui: Any) -> None:
    ui.wait_step("home")
    ui.click("flow-feedback")
    ui.wait_step("kind")
    ui.choose("complaint")
    ui.wait_step("category")
    ui.choose("waiting_time")
    ui.wait_step("phrases")
    for phrase, now_ticked in (("p1", True), ("p3", True), ("p3", False)):  # a second touch unticks
        ui.choose(phrase)
        ui.wait_until(lambda p=phrase, t=now_ticked: ticked(ui, p) == t)
    assert ui.button("choice-done").detail.text() == "已选 1 条"
    ui.choose("write")
    ui.wait_step("text")
    screen = ui.window.current_screen()
    assert screen.keyboard.isVisible()
    for letters, character in (("chuang", "窗"), ("kou", "口"), ("ren", "人"), ("duo", "多")):
        type_pinyin(ui, letters, character)
    ui.click("btn-submit")
    ui.wait_until(lambda: ui.model.error is not None)
    assert "至少写5个字" in ui.model.error  # 4 characters: refused at the field, the text kept to finish
    type_pinyin(ui, "le", "了")
    assert ui.button("field-feedback_text").text() == "窗口人多了"
    ui.click("btn-submit")
    ui.wait_step("contact")
    ui.choose("mobile")
    ui.wait_step("mobile")
    ui.type_on_keypad(MOBILE)
    ui.click("btn-submit")
    ui.wait_step("confirm")
    shown = {r.label: r.value for r in ui.model.rows}
    assert shown == {"意见类型": "投诉", "类别": "等候时间", "内容": "排队时间太长；窗口人多了",
                     "联系方式": "手机 139****2222"}
    ui.choose("confirm")
    ui.wait_step("result")
    done = {r.label: r.value for r in ui.model.rows}
    assert done["受理编号"].startswith("FB")
    assert done["受理为"] == "投诉（一般）· 等候时间"
    assert done["答复承诺"].startswith("2小时内联系您答复")
    host = ui.qa.host_state()
    session_id = ui.model.session_id
    finish(ui)
    assert ui.window.screen(ScreenKind.FORM).values == {}, "the text outlived the session"

    journal = ui.kiosk.services.journal
    written = json.dumps([e.detail for e in journal.entries(session_id)], ensure_ascii=False)
    written += json.dumps([r.detail for r in journal.host_requests(session_id)], ensure_ascii=False, default=str)
    for kept in (done["受理编号"], "waiting_time", "complaint"):  # the reference, category, classification
        assert kept in written
    for personal in (MOBILE, "139****2222", "窗口人多了", "排队时间太长"):
        assert personal not in written
    assert [p["op"] for p in host["postings"]] == ["feedback.submit"]
