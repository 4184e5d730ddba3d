"""The home screen's lines of the flows' own (kiosk/engine/home_lines.py), e.g. the branch's current wait: asked
only once started (after the first paint), again every ``every_s`` on the engine's clock while the home screen
is up and never during a session, gone when the host does not answer, and never in the way of the home screen."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.engine.flow import Flow, HomeLine
from kiosk.engine.home_lines import HomeLines
from kiosk.engine.ops import HOME_LINES_CHANNEL, OpResult, Ticket
from kiosk.engine.screens import Input, InputKind
from kiosk.host.errors import HostUnavailable

WAIT_LINE = "当前等候 14 人，最长约 24 分钟"


def lines(engine: Any) -> tuple[str, ...]:
    return tuple(engine.screen.data.get("lines", ()))


def skip_the_satisfaction_question(driver: Any) -> None:
    """After a completed session the home screen asks how it went first: no line on that question."""
    assert driver.settle(lambda: driver.engine.screen.step == "satisfaction")
    assert lines(driver.engine) == ()
    driver.engine.send(Input(InputKind.CHOOSE, "skip"))


def test_nothing_is_asked_before_the_lines_are_started(driver: Any) -> None:
    engine = driver.engine
    driver.settle()
    engine.services.clock.advance(120)
    engine.tick()
    driver.settle()
    assert not engine.home.lines.started
    assert not engine.home.lines.asking
    assert lines(engine) == ()


def test_the_wait_shows_once_started_and_follows_the_host(driver: Any) -> None:
    engine = driver.engine
    engine.start_home_lines()
    assert driver.settle(lambda: lines(engine) == (WAIT_LINE,))
    assert [c.id for c in engine.screen.choices] == [c.id for c in engine.home.model().choices]
    driver.qa.host_advance(4 * 60 + 5)  # the counters call A and V's next numbers
    engine.services.clock.advance(29)
    engine.tick()
    driver.settle()
    assert lines(engine) == (WAIT_LINE,)  # not asked again before its 30 s
    engine.services.clock.advance(1)
    engine.tick()
    assert driver.settle(lambda: lines(engine) == ("当前等候 12 人，最长约 24 分钟",))
    engine.send(Input(InputKind.LANGUAGE, "en_US"))
    assert lines(engine) == ("Now waiting: 12, up to about 24 min",)


def test_a_host_that_does_not_answer_takes_the_line_away(driver: Any) -> None:
    engine = driver.engine
    engine.start_home_lines()
    assert driver.settle(lambda: lines(engine) == (WAIT_LINE,))
    driver.qa.host_fault("queue.status", "refuse", times=-1)
    engine.services.clock.advance(30)
    engine.tick()
    assert driver.settle(lambda: lines(engine) == ())
    assert engine.screen.step == "home"
    assert all(c.enabled for c in engine.screen.choices if c.id == "queue_ticket")
    driver.qa.clear_host_faults()
    engine.services.clock.advance(30)
    engine.tick()
    assert driver.settle(lambda: lines(engine) == (WAIT_LINE,))


def test_no_line_is_asked_during_a_session_and_the_next_home_asks_at_once(driver: Any) -> None:
    engine = driver.engine
    engine.start_home_lines()
    assert driver.settle(lambda: lines(engine) == (WAIT_LINE,))
    engine.send(Input(InputKind.START, "queue_ticket"))
    driver.wait_for_screen("business")
    engine.services.clock.advance(40)
    engine.tick()
    assert not engine.home.lines.asking  # a session: nothing asked for the home screen, even when due
    engine.send(Input(InputKind.CHOOSE, "cash_large"))
    driver.wait_for_screen("result")
    engine.send(Input(InputKind.CONTINUE))
    driver.wait_for_screen("receipt")
    driver.qa.take_receipt()
    engine.send(Input(InputKind.CONTINUE))
    assert driver.settle(lambda: engine.session is None)
    skip_the_satisfaction_question(driver)
    assert driver.settle(lambda: lines(engine) == ("当前等候 15 人，最长约 28 分钟",))  # asked at once at home


def test_a_session_ending_asks_again_before_the_time(driver: Any) -> None:
    engine = driver.engine
    engine.start_home_lines()
    assert driver.settle(lambda: lines(engine) == (WAIT_LINE,))
    engine.send(Input(InputKind.START, "queue_ticket"))
    driver.wait_for_screen("business")
    engine.send(Input(InputKind.CHOOSE, "corporate"))
    driver.wait_for_screen("result")
    engine.send(Input(InputKind.CANCEL))  # the number stands; the receipt is not waited for
    assert driver.settle(lambda: engine.session is None)
    skip_the_satisfaction_question(driver)
    assert driver.settle(lambda: lines(engine) == ("当前等候 15 人，最长约 36 分钟",))  # no clock moved


# --- the generic part, without a host -------------------------------------------------------------------


def flow_with(line: HomeLine, flow_id: str = "sample", popularity: int = 100) -> Flow:
    from flows.common import SERVICES

    return Flow(id=flow_id, category=SERVICES, steps=[], devices=frozenset(), home_line=line, popularity=popularity)


def answer(flow_id: str, value: Any = None, error: BaseException | None = None) -> OpResult:
    return OpResult(Ticket(HOME_LINES_CHANNEL, flow_id), "home_line.queue.status", value=value, error=error)


def test_lines_are_due_every_so_often_one_call_at_a_time() -> None:
    home = HomeLines({"sample": flow_with(HomeLine("queue.status", lambda lang, r: str(r), every_s=10))})
    assert home.to_ask(0.0) == []  # not started
    home.start(100.0)
    assert [fid for fid, _ in home.to_ask(100.0)] == ["sample"]
    assert home.to_ask(200.0) == []  # still being asked
    assert home.answered("sample", answer("sample", 3))
    assert not home.answered("sample", answer("sample", 3))  # the same answer: nothing to show anew
    assert home.to_ask(109.0) == []
    assert [fid for fid, _ in home.to_ask(110.0)] == ["sample"]
    assert home.texts("zh_CN") == ("3",)


def test_a_failed_call_or_a_failing_text_shows_nothing() -> None:
    def broken(lang: str, result: Any) -> str:
        raise KeyError("no such text")

    home = HomeLines({"a": flow_with(HomeLine("queue.status", broken), "a", 1),
                      "b": flow_with(HomeLine("queue.status", lambda lang, r: f"{lang}:{r}"), "b", 2),
                      "c": flow_with(HomeLine("queue.status", lambda lang, r: None), "c", 3)})
    home.start(0.0)
    home.to_ask(0.0)
    for fid in "abc":
        home.answered(fid, answer(fid, 7))
    assert home.texts("en_US") == ("en_US:7",)
    assert home.answered("b", answer("b", error=HostUnavailable("down", "queue.status", "k")))
    assert home.texts("en_US") == ()


@pytest.mark.parametrize("op", ["queue.take", "no.such_op"])
def test_a_home_line_asks_only_a_declared_enquiry(op: str) -> None:
    with pytest.raises(ValueError, match="not a declared host enquiry"):
        HomeLine(op, lambda lang, r: "")
