"""The staff desk without a window: sign-in and lockout, idle sign-out, roles, approvals and dual control,
help requests, out of service, and a journal entry for every staff action."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
import requests

from kiosk.app.staffdesk import build_staff_desk
from kiosk.engine.screens import Input, InputKind, ScreenKind
from kiosk.engine.staff import Action, DeskState, Role, StaffDenied, StaffDesk

from .staff_helpers import (
    CARD_PINS,
    LOSS_SETUP,
    LOSS_TO_FORMAL_APPROVAL,
    names,
    settle,
    sign_in,
    staff_entries,
    walk,
)


@pytest.fixture
def desk(kiosk: Any) -> StaffDesk:
    return build_staff_desk(kiosk)


def host_staff(kiosk: Any, number: str) -> dict[str, Any]:
    state = requests.get(f"{kiosk.host_url}/sim/state", timeout=5).json()
    return next(s for s in state["staff"] if s["number"] == number)


# -- sign-in, lockout, sign-out ------------------------------------------------------------------


def test_sign_in_with_staff_number_and_password(desk: StaffDesk, kiosk: Any) -> None:
    assert build_staff_desk(kiosk) is desk  # one desk per engine
    sign_in(desk, "S1001")
    assert desk.state is DeskState.SIGNED_IN
    assert desk.member is not None
    assert (desk.member.number, desk.member.name, desk.member.role) == ("S1001", "周敏", Role.SUPERVISOR)
    entry = staff_entries(desk)[-1]
    assert (entry.name, entry.detail) == ("sign_in", {"staff": "S1001", "method": "password", "role": "supervisor"})
    assert entry.at.startswith("2026-11-28T10:00")


def test_five_wrong_passwords_lock_the_account(desk: StaffDesk, kiosk: Any) -> None:
    for left in (4, 3, 2, 1):
        sign_in(desk, "S1002", "wrong")
        assert desk.member is None
        assert desk.notice is not None
        assert (desk.notice.key, desk.notice.params["tries_left"]) == ("staff.sign_in.tries_left", left)
    sign_in(desk, "S1002", "wrong")
    assert desk.notice is not None
    assert desk.notice.key == "staff.sign_in.locked"
    sign_in(desk, "S1002")  # the right password, but locked for 15 minutes
    assert desk.member is None
    assert desk.notice is not None
    assert desk.notice.key == "staff.sign_in.locked"
    failures = [e for e in staff_entries(desk) if e.name == "sign_in_failed"]
    assert [e.detail["code"] for e in failures] == ["staff_credentials_wrong"] * 4 + ["staff_locked"] * 2
    assert all(e.detail["staff"] == "S1002" and e.detail["method"] == "password" for e in failures)
    assert host_staff(kiosk, "S1002")["locked_until"] is not None
    requests.post(f"{kiosk.host_url}/sim/clock", json={"advance_s": 15 * 60}, timeout=5).raise_for_status()
    sign_in(desk, "S1002")
    assert desk.member is not None
    assert desk.member.number == "S1002"


def test_signed_out_after_two_minutes_without_input(desk: StaffDesk, kiosk: Any) -> None:
    clock = kiosk.services.clock
    sign_in(desk, "M2001")
    clock.advance(100)
    desk.maintenance.set_out_of_service(True)  # staff input: the two minutes start again
    clock.advance(100)
    desk.engine.tick()
    assert desk.member is not None
    clock.advance(21)
    desk.engine.tick()
    assert desk.member is None
    assert desk.state is DeskState.SIGNED_OUT
    assert desk.notice is not None
    assert desk.notice.key == "staff.signed_out.idle"
    assert staff_entries(desk)[-1].name == "sign_out"
    assert staff_entries(desk)[-1].detail == {"staff": "M2001", "reason": "idle"}
    settle(kiosk.engine, lambda: host_staff(kiosk, "M2001")["tokens_open"] == 0)


def test_a_manual_sign_out_ends_the_token_on_the_host(desk: StaffDesk, kiosk: Any) -> None:
    sign_in(desk, "S1001")
    assert host_staff(kiosk, "S1001")["tokens_open"] == 1
    desk.sign_out()
    settle(kiosk.engine, lambda: host_staff(kiosk, "S1001")["tokens_open"] == 0)
    assert names(desk)[-1] == "sign_out"


def test_sign_in_with_the_staff_card_and_its_pin(desk: StaffDesk, kiosk: Any, driver: Any) -> None:
    driver.qa.insert_bank_card("staff_M2001")
    driver.qa.take_bank_card()  # the card is taken as soon as it comes out
    desk.sign_in_with_card()
    assert desk.state is DeskState.SIGNING_IN
    settle(kiosk.engine, lambda: desk.card_stage == "pin")
    driver.qa.press_keys(CARD_PINS["M2001"])
    settle(kiosk.engine, lambda: desk.pin_digits == 6)
    driver.qa.press_keys("#")
    settle(kiosk.engine, lambda: desk.state is not DeskState.SIGNING_IN)
    assert desk.member is not None
    assert (desk.member.number, desk.member.method) == ("M2001", "card")
    assert not kiosk.devices.smartcard.has_card()
    assert staff_entries(desk)[-1].detail == {"staff": "M2001", "method": "card", "role": "maintenance"}


def test_a_wrong_staff_card_pin_is_a_wrong_try(desk: StaffDesk, kiosk: Any, driver: Any) -> None:
    driver.qa.insert_bank_card("staff_S1001")
    driver.qa.take_bank_card()
    desk.sign_in_with_card()
    settle(kiosk.engine, lambda: desk.card_stage == "pin")
    driver.qa.press_keys("000000#")
    settle(kiosk.engine, lambda: desk.state is not DeskState.SIGNING_IN)
    assert desk.member is None
    assert desk.notice is not None
    assert desk.notice.key == "staff.sign_in.tries_left"
    failed = staff_entries(desk)[-1]
    assert (failed.name, failed.detail["card"], failed.detail["code"]) == (
        "sign_in_failed", "623099******0013", "staff_credentials_wrong")


def test_the_staff_card_waits_while_the_customer_uses_the_card_reader(desk: StaffDesk, driver: Any) -> None:
    walk(driver, "si_payment", [{"expect": "consent", "choose": "agree"}, {"expect": "bill", "choose": "all"},
                                {"expect": "card"}], idcard="zhang_wei")
    desk.sign_in_with_card()
    assert desk.state is DeskState.SIGNED_OUT
    assert desk.notice is not None
    assert desk.notice.key == "staff.sign_in.card_reader_in_use"


# -- roles ---------------------------------------------------------------------------------------------


def test_maintenance_cannot_approve(desk: StaffDesk, driver: Any) -> None:
    walk(driver, "loss_report", LOSS_TO_FORMAL_APPROVAL, **LOSS_SETUP)
    sign_in(desk, "M2001")
    assert not desk.may(Action.APPROVE)
    assert desk.pending_approval() is not None
    with pytest.raises(StaffDenied, match="staff.denied.role"):
        desk.decide(True)
    assert desk.engine.state == "formal_approval"
    assert staff_entries(desk)[-1].detail == {"staff": "M2001", "action": "approve", "role": "maintenance"}


def test_supervisors_do_not_service_devices_and_maintenance_does_not_reconcile(desk: StaffDesk) -> None:
    sign_in(desk, "S1001")
    for service in (lambda: desk.maintenance.reset("printer"), lambda: desk.maintenance.load_paper(100),
                    desk.maintenance.empty_retain_bins):
        with pytest.raises(StaffDenied):
            service()
    assert desk.maintenance.statuses()  # but they see the devices' status
    sign_in(desk, "M2001")
    with pytest.raises(StaffDenied):
        desk.records.export_reconciliation(desk.services.clock.now().date())
    denied = [e.detail["action"] for e in staff_entries(desk) if e.name == "denied"]
    assert denied == ["service", "service", "service", "reconcile"]


def test_nothing_without_signing_in(desk: StaffDesk) -> None:
    with pytest.raises(StaffDenied, match="staff.denied.signed_out"):
        desk.maintenance.set_out_of_service(True)
    assert desk.engine.out_of_service is None
    assert desk.maintenance.statuses() == []


# -- approvals -------------------------------------------------------------------------------------


def test_the_supervisor_sees_a_masked_summary_and_approves(desk: StaffDesk, driver: Any, kiosk: Any) -> None:
    walk(driver, "loss_report", LOSS_TO_FORMAL_APPROVAL, **LOSS_SETUP)
    assert desk.pending_approval() is not None  # seen before signing in, but only a supervisor decides
    sign_in(desk, "S1001")
    request = desk.pending_approval()
    assert request is not None
    shown = {row.label: row.value for row in request.rows}
    assert shown["业务"] == "银行卡挂失"
    assert shown["原因"] == "正式挂失"
    assert shown["姓名"] == "张*"
    assert shown["证件号码"] == "110105********1234"
    assert "110105198503121234" not in repr(request)
    assert "张伟" not in repr(request)
    with pytest.raises(StaffDenied, match="reason_needed"):
        desk.decide(False, "  ")
    desk.decide(True)
    settle(kiosk.engine, lambda: kiosk.engine.state == "confirm")
    assert desk.pending_approval() is None
    approval = staff_entries(desk)[-1]
    assert approval.session_id == driver.session_id
    assert approval.detail == {"staff": "S1001", "flow": "loss_report", "step": "formal_approval",
                               "rule": "formal_loss", "reason": "", "stage": 1, "dual": False}


def test_a_rejection_ends_the_business_with_the_reason(desk: StaffDesk, driver: Any, kiosk: Any) -> None:
    walk(driver, "loss_report", LOSS_TO_FORMAL_APPROVAL, **LOSS_SETUP)
    sign_in(desk, "S1002")
    desk.decide(False, "bring the card agreement")
    settle(kiosk.engine, lambda: kiosk.engine.state == "failed")
    assert kiosk.engine.screen.prompt == "工作人员未批准办理：bring the card agreement"
    assert staff_entries(desk)[-1].name == "rejection"


def test_dual_control_needs_two_different_supervisors(desk: StaffDesk, driver: Any, kiosk: Any) -> None:
    settings = kiosk.services.settings
    kiosk.services.settings = replace(settings, staff=settings.staff.model_copy(update={"dual_control": ("formal_loss",)}))
    walk(driver, "loss_report", LOSS_TO_FORMAL_APPROVAL, **LOSS_SETUP)
    assert {r.value for r in kiosk.engine.screen.rows} >= {"0/2 位主管已批准"}
    sign_in(desk, "S1001")
    desk.decide(True)
    settle(kiosk.engine, lambda: not kiosk.engine.busy and desk.pending_approval().first_by == "S1001")
    assert kiosk.engine.state == "formal_approval"
    assert kiosk.engine.screen.notice == "第一位主管已批准，请等待第二位主管审批。"
    assert {r.value for r in kiosk.engine.screen.rows} >= {"1/2 位主管已批准"}
    with pytest.raises(StaffDenied, match="second_supervisor"):
        desk.decide(True)
    sign_in(desk, "S1002")
    desk.decide(True)
    settle(kiosk.engine, lambda: kiosk.engine.state == "confirm")
    approvals = requests.get(f"{kiosk.host_url}/sim/state", timeout=5).json()["approvals"]
    assert [(a["staff_number"], a["countersigns"]) for a in approvals] == [
        ("S1001", None), ("S1002", approvals[0]["approval_ref"])]
    stages = [(e.detail["staff"], e.detail.get("stage")) for e in staff_entries(desk) if e.name in ("approval", "denied")]
    assert stages == [("S1001", 1), ("S1001", None), ("S1002", 2)]


def test_an_expired_token_asks_the_supervisor_to_sign_in_again(desk: StaffDesk, driver: Any, kiosk: Any) -> None:
    walk(driver, "loss_report", LOSS_TO_FORMAL_APPROVAL, **LOSS_SETUP)
    sign_in(desk, "S1001")
    requests.post(f"{kiosk.host_url}/sim/clock", json={"advance_s": 601}, timeout=5).raise_for_status()
    desk.decide(True)
    settle(kiosk.engine, lambda: not kiosk.engine.busy and kiosk.engine.screen.error is not None)
    assert kiosk.engine.state == "formal_approval"
    assert kiosk.engine.screen.error == "工作人员登录已失效，请重新登录后审批。"


# -- help requests ---------------------------------------------------------------------------------


def _call_staff_on_kind(driver: Any) -> None:
    walk(driver, "loss_report", LOSS_TO_FORMAL_APPROVAL[:3] + [{"expect": "kind", "help": True}], **LOSS_SETUP)


def test_a_help_request_is_listed_with_its_session_and_step(desk: StaffDesk, driver: Any, kiosk: Any) -> None:
    _call_staff_on_kind(driver)
    assert kiosk.engine.screen.notice == "已呼叫工作人员，请稍候。"
    sign_in(desk, "S1001")
    (request,) = desk.help_requests()
    assert (request.session_id, request.flow_id, request.step) == (driver.session_id, "loss_report", "kind")
    assert request.requested_at == "10:00:00"
    assert {r.label: r.value for r in request.rows}["业务"] == "银行卡挂失"


def test_staff_step_the_customer_back_then_hand_back(desk: StaffDesk, driver: Any, kiosk: Any) -> None:
    _call_staff_on_kind(driver)
    sign_in(desk, "S1001")
    assert desk.step_back()
    settle(kiosk.engine, lambda: kiosk.engine.screen.step == "card" and not kiosk.engine.busy)
    desk.hand_back()
    assert desk.help_requests() == []
    assert kiosk.engine.screen.notice is None
    assert [e.name for e in staff_entries(desk)][-2:] == ["assist_back", "assist_hand_back"]
    back = next(e for e in staff_entries(desk) if e.name == "assist_back")
    assert back.detail == {"staff": "S1001", "step": "kind", "to": "card"}
    driver.perform(1, _action({"expect": "card", "choose": "K00000001"}))
    driver.perform(2, _action({"expect": "kind", "choose": "verbal"}))
    driver.perform(3, _action({"expect": "confirm"}))


def _action(step: dict[str, Any]) -> Any:
    from kiosk.app.scenario import Action as ScenarioAction

    return ScenarioAction.model_validate(step)


def test_staff_cancel_a_stuck_session_safely(desk: StaffDesk, driver: Any, kiosk: Any) -> None:
    _call_staff_on_kind(driver)
    sign_in(desk, "M2001")  # maintenance may cancel a session (to service the machine), not step it back
    with pytest.raises(StaffDenied):
        desk.step_back()
    desk.cancel_session()
    report = driver.finish()
    assert report.outcome == "cancelled"
    assert staff_entries(desk)[-1].name in ("assist_cancel", "denied")
    assert "assist_cancel" in names(desk)


def test_no_stepping_back_over_a_posting(desk: StaffDesk, driver: Any) -> None:
    walk(driver, "loss_report", LOSS_TO_FORMAL_APPROVAL[:3] + [
        {"expect": "kind", "choose": "verbal"}, {"expect": "confirm", "choose": "confirm"}, {"expect": "result"}],
        **LOSS_SETUP)
    sign_in(desk, "S1001")
    assert not desk.step_back()
    assert desk.engine.state == "result"
    assert names(desk)[-1] == "assist_back_refused"


# -- out of service --------------------------------------------------------------------------------


def test_out_of_service_says_which_counter_and_no_flow_starts(desk: StaffDesk, kiosk: Any) -> None:
    sign_in(desk, "S1001")
    desk.maintenance.set_out_of_service(True)
    screen = kiosk.engine.screen
    assert screen.kind is ScreenKind.OUT_OF_SERVICE
    assert screen.prompt == "本机暂停服务：设备维护中。请到1号柜台办理，给您带来不便，敬请谅解。"
    kiosk.engine.send(Input(InputKind.START, "si_payment"))
    assert kiosk.engine.session is None
    kiosk.engine.send(Input(InputKind.LANGUAGE, "en_US"))
    assert kiosk.engine.screen.prompt == ("This kiosk is out of service: under maintenance. Please go to counter 1. "
                                          "We are sorry for the inconvenience.")
    desk.maintenance.set_out_of_service(False)
    assert kiosk.engine.screen.kind is ScreenKind.HOME
    kiosk.engine.send(Input(InputKind.START, "si_payment"))
    assert kiosk.engine.session is not None
    assert names(desk)[-2:] == ["out_of_service", "back_in_service"]
    assert staff_entries(desk)[-2].detail == {"staff": "S1001", "counter": "1"}


def test_out_of_service_during_a_session_waits_for_it_to_end(desk: StaffDesk, driver: Any, kiosk: Any) -> None:
    walk(driver, "loss_report", LOSS_TO_FORMAL_APPROVAL[:2], **LOSS_SETUP)
    sign_in(desk, "M2001")
    desk.maintenance.set_out_of_service(True)
    assert kiosk.engine.session is not None
    assert kiosk.engine.screen.kind is not ScreenKind.OUT_OF_SERVICE
    kiosk.engine.send(Input(InputKind.CANCEL))
    driver.finish()
    assert kiosk.engine.screen.kind is ScreenKind.OUT_OF_SERVICE


@pytest.mark.parametrize("flow_id", ["account_opening", "loss_report", "si_payment"])
def test_staff_step_back_only_to_screens_a_person_answers(flow_id: str) -> None:
    from flows import catalogue
    from kiosk.engine.chart import NOT_REVISITED, compile_chart

    flow = catalogue()[flow_id]
    kinds = {step.id: step.kind for step in flow.steps}
    targets: dict[str, list[str]] = {}
    for state in compile_chart(flow).states:
        for transition in state.transitions:
            if "staff_back" in [str(e) for e in transition.events]:
                targets.setdefault(state.id, []).append(transition.target.id)
    assert set(targets) == {step.id for step in flow.steps[1:]}  # every step but the first can go back
    assert all(kinds[t] not in NOT_REVISITED for found in targets.values() for t in found)


def test_an_unknown_staff_number_is_not_journaled(desk: StaffDesk) -> None:
    sign_in(desk, "zhou1001", "S1001")  # number and password swapped
    failed = staff_entries(desk)[-1]
    assert (failed.name, failed.detail["staff"], failed.detail["code"]) == (
        "sign_in_failed", "unknown", "staff_credentials_wrong")
    assert desk.notice is not None
    assert desk.notice.key == "staff.sign_in.wrong"
