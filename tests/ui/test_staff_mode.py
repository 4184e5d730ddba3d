"""Staff mode in the kiosk window: the hidden gesture (and that tapping around never opens it), sign-in on
the on-screen keyboard, approving, a help request, maintenance, the journal, idle sign-out."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton

from kiosk.engine.screens import ScreenKind
from kiosk.engine.staff import DeskState

PASSWORDS = {"S1001": "zhou1001", "M2001": "zheng2001"}


def staff(ui: Any) -> Any:
    return ui.running.staff


def mode(ui: Any) -> Any:
    return staff(ui).mode


def open_staff_mode(ui: Any) -> None:
    QTest.keyClick(ui.window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    ui.wait_until(lambda: mode(ui).isVisible())


def type_on_staff_keyboard(ui: Any, text: str) -> None:
    for char in text:
        if char.isupper():
            ui.click("skey-shift", mode(ui))
            ui.click(f"skey-{char.lower()}", mode(ui))
            ui.click("skey-shift", mode(ui))
        else:
            ui.click(f"skey-{char}", mode(ui))


def sign_in(ui: Any, number: str) -> None:
    ui.click("sfield-number", mode(ui))
    type_on_staff_keyboard(ui, number)
    ui.click("sfield-password", mode(ui))
    type_on_staff_keyboard(ui, PASSWORDS[number])
    ui.click("staff-sign-in", mode(ui))
    ui.wait_until(lambda: staff(ui).desk.state is not DeskState.SIGNING_IN)
    assert staff(ui).desk.member is not None
    assert staff(ui).desk.member.number == number
    ui.wait_until(lambda: mode(ui).current().name == "home")


def customer_on(ui: Any, step: str) -> None:
    """The customer's screen underneath shows ``step`` (the words check of ``wait_step`` is for the customer's
    screen alone, so it is not used while staff mode covers it)."""
    ui.wait_until(lambda: ui.model.step == step and not ui.model.busy)


def corner(ui: Any) -> QPoint:
    return QPoint(ui.window.width() - 8, 8)


# -- getting in ----------------------------------------------------------------------------------


def test_ctrl_alt_s_opens_the_sign_in_and_escape_closes_it(ui: Any) -> None:
    ui.wait_step("home")
    assert not mode(ui).isVisible()
    open_staff_mode(ui)
    assert mode(ui).current().name == "signin"
    assert mode(ui).geometry() == ui.window.rect()
    QTest.keyClick(ui.window, Qt.Key.Key_Escape)
    assert not mode(ui).isVisible()
    assert not staff(ui).desk.present


def test_a_three_second_press_on_the_top_right_corner_opens_staff_mode(ui: Any, qtbot: Any) -> None:
    ui.wait_step("home")
    gesture = staff(ui).gesture
    QTest.mousePress(ui.window, Qt.MouseButton.LeftButton, pos=corner(ui))
    qtbot.wait(1000)
    QTest.mouseRelease(ui.window, Qt.MouseButton.LeftButton, pos=corner(ui))  # let go too early
    assert not mode(ui).isVisible()
    assert not gesture._timer.isActive()
    QTest.mousePress(ui.window, Qt.MouseButton.LeftButton, pos=QPoint(ui.window.width() // 2, 8))
    assert not gesture._timer.isActive()  # a press anywhere else starts nothing
    QTest.mouseRelease(ui.window, Qt.MouseButton.LeftButton, pos=QPoint(ui.window.width() // 2, 8))
    QTest.mousePress(ui.window, Qt.MouseButton.LeftButton, pos=corner(ui))
    qtbot.wait(2500)
    assert not mode(ui).isVisible()
    qtbot.waitUntil(lambda: mode(ui).isVisible(), timeout=2000)
    QTest.mouseRelease(ui.window, Qt.MouseButton.LeftButton, pos=corner(ui))
    assert mode(ui).current().name == "signin"
    ui.click("staff-close", mode(ui))
    assert not mode(ui).isVisible()


def test_a_customer_tapping_around_never_reaches_a_staff_screen(ui: Any) -> None:
    ui.wait_step("home")
    window = ui.window
    for point in (QPoint(4, 4), corner(ui), QPoint(4, window.height() - 4), QPoint(window.width() - 4,
                                                                                    window.height() - 4)):
        QTest.mouseClick(window, Qt.MouseButton.LeftButton, pos=point)  # a short tap, even on the corner
    for key in (Qt.Key.Key_S, Qt.Key.Key_Escape, Qt.Key.Key_1, Qt.Key.Key_Return):
        QTest.keyClick(window, key)
    QTest.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    names = sorted({b.objectName() for b in window.findChildren(QPushButton) if b.isVisible()})
    for name in names:  # every button on the home screen, and every button of the flow each one starts
        ui.wait_step("home") if ui.engine.session is None else None
        shown = [b for b in window.findChildren(QPushButton, name) if b.isVisible() and b.isEnabled()]
        if not shown:
            continue
        QTest.mouseClick(shown[0], Qt.MouseButton.LeftButton)
        QApplication.processEvents()
        for b in [b for b in window.findChildren(QPushButton) if b.isVisible() and b.isEnabled()
                  and b.objectName() not in ("btn-cancel",)]:
            QTest.mouseClick(b, Qt.MouseButton.LeftButton)
            QApplication.processEvents()
            assert not mode(ui).isVisible()
            break
        if ui.engine.session is not None:
            ui.click("btn-cancel") if ui.button("btn-cancel").isVisible() else None
            ui.finish_session()
        assert not mode(ui).isVisible()
    assert not staff(ui).desk.present
    assert all(not w.isVisible() for w in mode(ui).findChildren(QPushButton))


# -- supervisors ---------------------------------------------------------------------------------


def test_a_supervisor_signs_in_on_the_keyboard_and_approves(open_ui: Any) -> None:
    ui = open_ui({"limits.kiosk_payment_limit_fen": 100000})
    ui.wait_step("home")
    ui.click("flow-si_payment")
    ui.wait_step("consent")
    ui.choose("agree")
    ui.wait_step("read_id")
    ui.qa.place_id_card("zhang_wei")
    ui.wait_step("bill")
    ui.choose("all")
    ui.wait_step("card")
    ui.qa.insert_bank_card("zhang_wei_1")
    ui.wait_step("limit_approval")
    open_staff_mode(ui)
    sign_in(ui, "S1001")
    tile = ui.button("staff-tile-approval", mode(ui))
    assert tile.isEnabled()
    assert "金额超过本机限额" in tile.text()
    ui.click("staff-tile-approval", mode(ui))
    rows = mode(ui).screens["approval"].rows
    assert "110105********1234" in [rows.grid.itemAt(i).widget().text() for i in range(rows.grid.count())]
    ui.click("staff-reason-checked", mode(ui))
    ui.click("staff-approve", mode(ui))
    customer_on(ui, "fraud_warning")
    assert mode(ui).isVisible()  # the customer's screen moves on underneath
    ui.click("staff-close", mode(ui))
    assert not mode(ui).isVisible()
    assert staff(ui).desk.member is None
    ui.click("btn-cancel")
    assert ui.finish_session(take_bank_card=True) == "cancelled"
    names = [e.name for e in ui.kiosk.services.journal.entries_on(ui.kiosk.services.clock.now().date(), "staff")]
    assert names == ["sign_in", "approval", "sign_out"]


def test_keys_typed_in_staff_mode_never_reach_the_customer_screen(ui: Any) -> None:
    ui.qa.show_camera("person:chen_jing")
    ui.click("flow-account_opening")
    ui.wait_step("consent")
    ui.choose("agree")
    ui.wait_step("read_id")
    ui.qa.place_id_card("chen_jing")
    ui.wait_step("face_consent")
    ui.choose("agree")
    ui.wait_step("mobile")
    ui.type_on_keypad("138")
    form = ui.window.current_screen()
    open_staff_mode(ui)
    QTest.keyClicks(ui.window, "S1")
    QTest.keyClicks(form, "99")
    assert form.values["mobile"] == "138"
    assert mode(ui).screens["signin"].values["number"] == "S199"
    ui.click("staff-close", mode(ui))
    assert mode(ui).screens["signin"].values["number"] == ""
    ui.click("btn-cancel")
    ui.finish_session()


def test_a_help_request_stepped_back_and_handed_back(ui: Any) -> None:
    ui.qa.show_camera("person:zhang_wei")
    ui.click("flow-loss_report")
    ui.wait_step("consent")
    ui.choose("agree")
    ui.wait_step("read_id")
    ui.qa.place_id_card("zhang_wei")
    ui.wait_step("face_consent")
    ui.choose("agree")
    ui.wait_step("card")
    ui.choose("K00000001")
    ui.wait_step("kind")
    ui.click("btn-help")
    ui.wait_until(lambda: ui.window.notice.isVisible())
    open_staff_mode(ui)
    sign_in(ui, "S1001")
    assert "银行卡挂失" in ui.button("staff-tile-help", mode(ui)).text()
    ui.click("staff-tile-help", mode(ui))
    ui.click("staff-step-back", mode(ui))
    customer_on(ui, "card")
    ui.click("staff-hand-back", mode(ui))
    assert not mode(ui).isVisible()
    ui.wait_until(lambda: not ui.window.notice.isVisible())
    ui.click("btn-cancel")
    assert ui.finish_session() == "cancelled"


# -- maintenance and records ---------------------------------------------------------------------


def test_maintenance_replenishes_cards_and_takes_the_kiosk_out_of_service(ui: Any) -> None:
    ui.wait_step("home")
    open_staff_mode(ui)
    sign_in(ui, "M2001")
    assert not ui.button("staff-tile-approval", mode(ui)).isEnabled()
    ui.click("staff-tile-maintenance", mode(ui))
    devices = mode(ui).screens["maintenance"].devices
    assert [devices.cell(r, 0) for r in range(6)] == ["身份证读卡器", "银行卡读卡器", "摄像头", "密码键盘", "凭条打印机",
                                                     "发卡模块"]
    stock = ui.kiosk.devices.dispenser.stock_count()
    ui.click("staff-cards-50", mode(ui))
    ui.click("staff-replenish", mode(ui))
    ui.wait_until(lambda: ui.kiosk.devices.dispenser.stock_count() == stock + 50)
    ui.wait_until(lambda: f"库存 {stock + 50} 张" in devices.cell(5, 2))
    ui.click("staff-nav-home", mode(ui))
    ui.click("staff-out-of-service", mode(ui))
    ui.wait_until(lambda: ui.model.kind is ScreenKind.OUT_OF_SERVICE)
    ui.click("staff-close", mode(ui))
    assert "请到1号柜台办理" in ui.window.current_screen().prompt.text()
    open_staff_mode(ui)
    sign_in(ui, "M2001")
    ui.click("staff-out-of-service", mode(ui))
    ui.wait_until(lambda: ui.model.kind is ScreenKind.HOME)
    ui.click("staff-sign-out", mode(ui))
    assert mode(ui).current().name == "signin"
    last = ui.kiosk.services.journal.entries_on(ui.kiosk.services.clock.now().date(), "staff")[-1]
    assert (last.name, last.detail) == ("sign_out", {"staff": "M2001", "reason": "manual"})
    ui.click("staff-close", mode(ui))


def test_the_journal_filters_and_exports_the_reconciliation(ui: Any) -> None:
    ui.click("flow-si_payment")
    ui.wait_step("consent")
    ui.click("btn-cancel")
    ui.finish_session()
    open_staff_mode(ui)
    sign_in(ui, "S1001")
    ui.click("staff-tile-journal", mode(ui))
    records = mode(ui).screens["records"]
    assert records.sessions.cell(0, 1) == "社保缴费"
    assert records.sessions.cell(0, 2) == "已取消"
    QApplication.processEvents()  # chips added to a shown layout are shown by a queued call
    offered = [b.objectName() for b in mode(ui).findChildren(QPushButton)
               if b.objectName().startswith("staff-flow-") and b.isVisible()]
    assert offered == ["staff-flow-all", "staff-flow-si_payment"]  # all, then the flows the day had
    ui.click("staff-flow-si_payment", mode(ui))
    assert records.sessions.cell(0, 1) == "社保缴费"
    ui.click("staff-outcome-completed", mode(ui))
    assert records.sessions.cell(0, 0) == "无记录"
    ui.click("staff-export-recon", mode(ui))
    folder = ui.kiosk.data_dir / "reconciliation"
    ui.wait_until(lambda: folder.exists() and any(folder.iterdir()))
    assert records.recon.cell(0, 0) == "社保缴费"
    assert records.recon.cell(0, 1) == "1"
    ui.click("staff-close", mode(ui))


def test_staff_are_signed_out_and_staff_mode_closes_after_two_minutes(ui: Any) -> None:
    ui.wait_step("home")
    open_staff_mode(ui)
    sign_in(ui, "S1001")
    ui.kiosk.services.clock.advance(121)
    ui.engine.tick()
    assert not mode(ui).isVisible()
    assert staff(ui).desk.member is None
    open_staff_mode(ui)
    ui.kiosk.services.clock.advance(121)  # nobody signs in: staff mode goes away by itself
    ui.engine.tick()
    assert not mode(ui).isVisible()
