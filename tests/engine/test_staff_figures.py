"""The day's figures on the staff desk: the plan's main measures as rows, in the desk's language, nothing personal."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from kiosk.app.staffdesk import build_staff_desk
from kiosk.engine.screens import Input, InputKind
from kiosk.engine.staff import StaffDenied, StaffDesk

from .staff_helpers import settle, sign_in, walk

PAY = [{"expect": "consent", "choose": "agree"}, {"expect": "bill", "choose": "all"},
       {"expect": "fraud_warning", "continue": True}, {"expect": "confirm", "choose": "confirm"},
       {"expect": "pin", "pinpad": "147258#"}, {"expect": "result", "continue": True},
       {"expect": "receipt", "take_receipt": True, "continue": True}]


@pytest.fixture
def desk(kiosk: Any) -> StaffDesk:
    return build_staff_desk(kiosk)


def today(desk: StaffDesk) -> date:
    return desk.services.clock.now().date()


def _day(driver: Any, kiosk: Any) -> None:
    """A payment in 50 s, answered "satisfied"; a payment abandoned at its first screen after 20 s."""
    walk(driver, "si_payment", PAY[:3], idcard="zhang_wei", bank_card="zhang_wei_1")
    kiosk.services.clock.advance(50)
    for number, step in enumerate(PAY[3:], 4):
        walk_step(driver, number, step)
    driver.finish()
    kiosk.engine.send(Input(InputKind.CHOOSE, "satisfied"))
    walk(driver, "si_payment", [{"expect": "consent"}], idcard="zhang_wei")
    kiosk.services.clock.advance(20)
    walk_step(driver, 2, {"expect": "consent", "cancel": True})
    driver.finish()


def walk_step(driver: Any, number: int, step: dict[str, Any]) -> None:
    from kiosk.app.scenario import Action

    driver.perform(number, Action.model_validate(step))


def test_the_days_figures_as_rows(desk: StaffDesk, driver: Any, kiosk: Any) -> None:
    _day(driver, kiosk)
    sign_in(desk, "S1001")
    rows = {r.label: r.value for r in desk.records.figures(today(desk))}
    assert rows == {
        "客户笔数": "2",
        "办结（自助办结率）": "1（50.0%）",
        "放弃（取消 / 超时）": "1（1 / 0）",
        "放弃最多的步骤": "社保缴费 · 请阅读并同意 1",
        "办理时长 中位 / P90": "0:50 / 0:50",
        "满意率（作答 / 询问）": "100.0%（1 / 1）",
        "无需工作人员办结": "100.0%（1）",
        "替代柜面业务": "1 笔，节省客户 29 分钟",
    }
    assert desk.records.figures(date(2026, 1, 1))[0].value == "0"


def test_in_english_and_without_a_day(kiosk: Any, driver: Any) -> None:
    desk = build_staff_desk(kiosk, lang="en_US")
    sign_in(desk, "M2001")  # maintenance staff read the journal too
    rows = {r.label: r.value for r in desk.records.figures(today(desk))}
    assert rows["Sessions"] == "0"
    assert rows["Completed (self-service rate)"] == "0 (n/a)"
    assert rows["Handling time, median / p90"] == "n/a / n/a"
    assert rows["Most often abandoned at"] == "none"
    assert "Loans decided automatically" not in rows  # no loan application that day


def test_signed_out_staff_see_no_figures(desk: StaffDesk) -> None:
    with pytest.raises(StaffDenied):
        desk.records.figures(today(desk))
    settle(desk.engine, lambda: True)
