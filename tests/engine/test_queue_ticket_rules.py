"""取号's rules the scenarios cannot set up: queues the branch's staff closed (greyed on the list, refused when
closed meanwhile, every one closed), and the priority tile while the ID card reader is down."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from devices.api import DeviceState, DeviceStatus
from kiosk.engine.screens import Input, InputKind


def close_queues(driver: Any, where: str) -> None:
    """What the branch's queue system does when staff stop a queue's numbers."""
    assert driver.kiosk.host_url  # the simulator is up and its bank seeded
    conn = sqlite3.connect(driver.kiosk.host_process.db_path, timeout=10, isolation_level=None)
    try:
        conn.execute(f"UPDATE queue_queues SET open = 0 WHERE {where}")  # noqa: S608 - the tests' own clause
    finally:
        conn.close()


def start(driver: Any) -> dict[str, Any]:
    driver.engine.send(Input(InputKind.START, "queue_ticket"))
    driver.wait_for_screen("business")
    return {c.id: c for c in driver.engine.screen.choices}


def test_a_closed_queue_is_greyed_and_cannot_be_chosen(driver: Any) -> None:
    close_queues(driver, "prefix = 'C'")
    choices = start(driver)
    assert (choices["safe_box"].enabled, choices["safe_box"].detail) == (False, "暂停取号")
    driver.engine.send(Input(InputKind.CHOOSE, "safe_box"))
    assert driver.engine.screen.step == "business"
    assert driver.engine.screen.error == "该项目暂不可选，请重新选择。"
    driver.engine.send(Input(InputKind.CANCEL))
    driver.settle(lambda: driver.engine.session is None)
    assert driver.engine.last_report.outcome == "cancelled"


def test_a_queue_closed_while_the_customer_chose_refuses_with_its_name(driver: Any) -> None:
    start(driver)
    close_queues(driver, "prefix = 'D'")
    driver.engine.send(Input(InputKind.CHOOSE, "corporate"))
    driver.wait_for_screen("failed")
    assert driver.engine.screen.prompt == "对公业务暂停取号，请咨询大堂工作人员。"
    driver.engine.send(Input(InputKind.CONTINUE))
    driver.settle(lambda: driver.engine.session is None)
    report = driver.engine.last_report
    assert (report.outcome, report.reason) == ("failed", "flow.queue_ticket.queue_closed")


def test_every_queue_closed_ends_with_where_to_ask(driver: Any) -> None:
    close_queues(driver, "1 = 1")
    driver.engine.send(Input(InputKind.START, "queue_ticket"))
    driver.wait_for_screen("failed")
    assert driver.engine.screen.prompt == "各项业务暂停取号，请咨询大堂工作人员。"


def test_the_priority_tile_is_greyed_while_the_id_card_reader_is_down(driver: Any,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    reader = driver.kiosk.devices.idcard
    monkeypatch.setattr(reader, "status", lambda: DeviceStatus("idcard", DeviceState.OFFLINE, "offline", "offline", {}))
    choices = start(driver)
    assert not choices["priority"].enabled
    assert choices["priority"].detail == "身份证阅读器暂停使用，请直接选择业务取号"
    assert choices["cash_large"].enabled  # a number without the ID card is still taken
