"""The engine's runtime behaviour on the simulators: timeouts on the injected clock, stale results,
cancel rules, wiping the session, strict mode."""

from __future__ import annotations

import pytest

from flows import catalogue
from kiosk.engine.ops import OpResult, Ticket
from kiosk.engine.screens import Input, InputKind, ScreenKind
from kiosk.engine.session import SessionData
from kiosk.host.api import SiBillsResult


def start_payment(driver) -> None:
    driver.qa.place_id_card("zhang_wei")
    driver.qa.insert_bank_card("zhang_wei_1")
    driver.qa.take_bank_card()
    driver.engine.send(Input(InputKind.START, "si_payment"))
    driver.wait_for_screen("consent")


def test_home_lists_the_catalogue_most_used_first_and_by_category(kiosk) -> None:
    screen = kiosk.engine.screen
    by_use = sorted(catalogue().values(), key=lambda f: (f.popularity, f.id))
    assert screen.kind is ScreenKind.HOME
    assert [c.id for c in screen.choices] == [f.id for f in by_use]
    categories: dict[str, list[str]] = {}
    for flow in sorted(by_use, key=lambda f: f.category.rank):
        categories.setdefault(flow.category.id, []).append(flow.id)
    assert screen.data["categories"] == categories
    assert list(screen.data["category_titles"]) == list(categories)
    assert all(c.enabled for c in screen.choices)


def test_home_gives_each_service_its_search_initials(kiosk) -> None:
    search = kiosk.engine.screen.data["search"]
    assert search["loss_report"] == ("YHKGS", "RLC")  # 银行卡挂失, Report a lost card
    assert search["si_payment"] == ("SBJF", "SIP")
    assert set(search) == set(catalogue())


def test_a_flow_whose_device_is_offline_is_not_offered(kiosk, driver) -> None:
    driver.qa.device_fault("smartcard", "offline", times=-1)
    kiosk.engine.send(Input(InputKind.LANGUAGE, "en_US"))
    choices = {c.id: c for c in kiosk.engine.screen.choices}
    for flow in catalogue().values():
        needs_card = "smartcard" in flow.devices
        assert choices[flow.id].enabled is not needs_card
        if needs_card:
            assert choices[flow.id].detail == "Unavailable: Bank card reader out of order"  # the reason on the tile


def test_inactivity_warning_then_extend_then_timeout(kiosk, driver) -> None:
    start_payment(driver)
    engine = kiosk.engine
    assert engine.screen.timeout_s == 60
    driver.advance(39)
    assert engine.screen.warning_s_left is None
    driver.advance(2)
    assert engine.screen.warning_s_left == 20  # counted down only once it has been said
    engine.send(Input(InputKind.EXTEND))
    assert engine.screen.warning_s_left is None
    assert engine.screen.step == "consent"
    driver.advance(59)  # the warning is said from 40 s, its 20 s countdown after that: more than 60 s in all
    assert engine.screen.step == "consent"
    driver.advance(12)
    driver.finish()
    assert engine.last_report.outcome == "timeout"


def test_elderly_mode_doubles_the_timeouts(kiosk, driver) -> None:
    kiosk.engine.send(Input(InputKind.ELDERLY, "on"))
    start_payment(driver)
    assert kiosk.engine.screen.timeout_s == 120
    assert kiosk.engine.screen.elderly


def test_a_result_for_another_session_is_journaled_and_dropped(kiosk, driver) -> None:
    start_payment(driver)
    engine = kiosk.engine
    before = engine.screen
    engine.inbox.put(OpResult(Ticket("another-session", "pay"), "host.si.pay", value={"payment_ref": "X"}))
    engine.pump()
    assert engine.screen.step == before.step
    assert engine.session is not None
    stale = [e for e in kiosk.services.journal.entries_on(kiosk.services.clock.now().date(), "stale")]
    assert [(e.name, e.detail["ticket_session"]) for e in stale] == [("host.si.pay", "another-session")]


def test_inputs_that_mean_nothing_here_are_ignored(kiosk, driver) -> None:
    start_payment(driver)
    kiosk.engine.send(Input(InputKind.CHOOSE, "no-such-choice"))
    kiosk.engine.send(Input(InputKind.SUBMIT, values={"mobile": "13800000000"}))
    assert kiosk.engine.screen.step == "consent"
    names = [e.name for e in kiosk.services.journal.entries(kiosk.engine.session.id) if e.kind == "input"]
    assert names.count("ignored") == 2


def test_language_switch_mid_session_re_renders(kiosk, driver) -> None:
    start_payment(driver)
    zh_title = kiosk.engine.screen.title
    kiosk.engine.send(Input(InputKind.LANGUAGE, "en_US"))
    assert kiosk.engine.screen.title != zh_title
    assert kiosk.engine.screen.lang == "en_US"


def test_help_request_is_journaled_and_shown(kiosk, driver) -> None:
    start_payment(driver)
    kiosk.engine.send(Input(InputKind.HELP))
    assert kiosk.engine.screen.notice
    staff = [e for e in kiosk.services.journal.entries(kiosk.engine.session.id) if e.kind == "staff"]
    assert [e.name for e in staff] == ["help_requested"]


def test_session_data_is_wiped_at_the_end(kiosk, driver) -> None:
    start_payment(driver)
    session = kiosk.engine.session
    driver.engine.send(Input(InputKind.CHOOSE, "agree"))
    driver.wait_for_screen("bill")
    assert session.slots.id_card is not None
    assert session.found(SiBillsResult) is not None
    kiosk.engine.send(Input(InputKind.CANCEL))
    driver.finish()
    assert session.slots == SessionData()
    assert vars(session.flow_data) == vars(session.flow.data())  # nothing the visit gathered is left
    assert session.found(SiBillsResult) is None
    assert kiosk.engine.session is None
    assert kiosk.engine.screen.kind is ScreenKind.HOME


def test_freed_memory_goes_back_when_a_session_ends(kiosk, driver, monkeypatch) -> None:
    from kiosk.core import memory

    given: list[bool] = []
    monkeypatch.setattr(memory, "give_back", lambda: given.append(True) or True)
    start_payment(driver)
    assert given == []
    kiosk.engine.send(Input(InputKind.CANCEL))
    driver.finish()
    assert given == [True]


def test_progress_counts_steps(kiosk, driver) -> None:
    start_payment(driver)
    step, total = kiosk.engine.screen.progress
    assert step == 1
    assert total >= 8


def test_strict_mode_raises_a_bug_in_a_step(kiosk, driver, monkeypatch) -> None:
    start_payment(driver)
    step = kiosk.engine.session.flow.step("read_id")

    def broken(s, result):
        raise RuntimeError("bug in a step")

    monkeypatch.setattr(step, "on_result", broken)
    kiosk.engine.send(Input(InputKind.CHOOSE, "agree"))
    with pytest.raises(RuntimeError, match="bug in a step"):
        driver.settle(lambda: False, timeout=2)


def test_cancel_is_refused_while_a_card_moves(kiosk, driver) -> None:
    """A critical operation defers cancel: the screen says cancel is not possible now."""
    start_payment(driver)
    engine = kiosk.engine
    engine.send(Input(InputKind.CHOOSE, "agree"))
    driver.wait_for_screen("bill")
    engine.send(Input(InputKind.CHOOSE, "all"))
    driver.wait_for_screen("fraud_warning")
    engine.send(Input(InputKind.CONTINUE))
    driver.wait_for_screen("confirm")
    driver.qa.host_fault("si.pay", "delay", 1, 0.5)
    engine.send(Input(InputKind.CHOOSE, "confirm"))
    driver.wait_for_screen("pin")
    driver.qa.press_keys("147258#")
    driver.wait_for_screen("pay", ready=False)
    assert engine.screen.busy
    assert not engine.screen.can_cancel
    engine.send(Input(InputKind.CANCEL))
    driver.wait_for_screen("result")
    assert engine.session.outcome == "completed"


def test_call_staff_at_the_home_screen_is_journaled_and_shown(kiosk) -> None:
    kiosk.engine.send(Input(InputKind.HELP))
    assert kiosk.engine.screen.notice
    calls = kiosk.services.journal.entries_on(kiosk.services.clock.now().date(), "staff")
    assert [(e.name, e.detail) for e in calls] == [("help_requested", {"where": "home"})]
