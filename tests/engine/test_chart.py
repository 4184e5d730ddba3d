"""The structure of every compiled flow: always cancellable, always times out to a safe end,
faults from every step, and the library's error-hiding defaults switched off."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from statemachine.exceptions import InvalidDefinition, TransitionNotAllowed

from flows import catalogue
from flows.common import SERVICES
from kiosk.engine.chart import DONE, ENDING, FAILED, compile_chart, condition_name
from kiosk.engine.flow import Flow
from kiosk.engine.steps import Info

FLOWS = catalogue()


def listener(flow: Flow, value: bool = True) -> SimpleNamespace:
    return SimpleNamespace(**{condition_name(s.id): (lambda v=value: v) for s in flow.steps if s.when})


def chart_at(flow: Flow, state: str, value: bool = True):
    return compile_chart(flow)(start_value=state, listeners=[listener(flow, value)])


def all_states(flow: Flow) -> list[str]:
    return [s.id for s in flow.steps] + [FAILED]


@pytest.mark.parametrize("flow_id", sorted(FLOWS))
@pytest.mark.parametrize("event", ["cancel", "timeout"])
def test_every_state_can_stop_safely(flow_id: str, event: str) -> None:
    flow = FLOWS[flow_id]
    for state in all_states(flow):
        chart = chart_at(flow, state)
        chart.send(event)
        assert chart.configuration_values == {ENDING}, f"{flow_id}: {event} from {state}"
        chart.send("finish")
        assert chart.is_terminated


@pytest.mark.parametrize("flow_id", sorted(FLOWS))
@pytest.mark.parametrize("event", ["device_fault", "host_fault", "fail"])
def test_every_step_has_a_fault_path(flow_id: str, event: str) -> None:
    flow = FLOWS[flow_id]
    for step in flow.steps:
        chart = chart_at(flow, step.id)
        chart.send(event)
        assert chart.configuration_values == {FAILED}
        chart.send("close")
        assert chart.configuration_values == {ENDING}


@pytest.mark.parametrize("flow_id", sorted(FLOWS))
@pytest.mark.parametrize("conditions", [True, False])
def test_next_always_reaches_the_end(flow_id: str, conditions: bool) -> None:
    """Walking ``next`` from the first step reaches the safe exit, whichever way the conditions go."""
    flow = FLOWS[flow_id]
    chart = chart_at(flow, flow.steps[0].id, conditions)
    visited = []
    while chart.configuration_values != {ENDING}:
        visited.append(next(iter(chart.configuration_values)))
        chart.send("next")
        assert len(visited) <= len(flow.steps)
    skipped = {s.id for s in flow.steps if s.when} - set(visited)
    assert not skipped if conditions else skipped == {s.id for s in flow.steps if s.when}


@pytest.mark.parametrize("flow_id", sorted(FLOWS))
def test_an_event_without_a_transition_raises(flow_id: str) -> None:
    flow = FLOWS[flow_id]
    chart = chart_at(flow, flow.steps[0].id)
    with pytest.raises(TransitionNotAllowed):
        chart.send("finish")  # only the safe exit may finish
    with pytest.raises(TransitionNotAllowed):
        chart.send("no_such_event")


def test_an_exception_in_a_condition_propagates() -> None:
    flow = FLOWS["si_payment"]

    def broken() -> bool:
        raise RuntimeError("bug in a predicate")

    bridge = listener(flow)
    setattr(bridge, condition_name("limit_approval"), broken)
    chart = compile_chart(flow)(start_value="card", listeners=[bridge])
    with pytest.raises(RuntimeError, match="bug in a predicate"):
        chart.send("next")
    assert chart.configuration_values == {"card"}


@pytest.mark.parametrize("flow_id", sorted(f for f, flow in FLOWS.items() if any(s.when for s in flow.steps)))
def test_a_missing_condition_is_refused_at_start(flow_id: str) -> None:
    flow = FLOWS[flow_id]
    with pytest.raises(InvalidDefinition):
        compile_chart(flow)()


@pytest.mark.parametrize("flow_id", sorted(FLOWS))
def test_final_state_has_no_way_out(flow_id: str) -> None:
    flow = FLOWS[flow_id]
    chart = chart_at(flow, ENDING)
    chart.send("finish")
    assert chart.configuration_values == {DONE}
    assert chart.is_terminated


def test_flow_definitions_are_checked() -> None:
    dup = Flow(id="dup", category=SERVICES, devices=frozenset(), steps=[Info("a"), Info("a")])
    with pytest.raises(ValueError, match="repeat"):
        compile_chart(dup)
    reserved = Flow(id="reserved", category=SERVICES, devices=frozenset(), steps=[Info("ending")])
    with pytest.raises(ValueError, match="reserved"):
        compile_chart(reserved)
    unknown = Flow(id="unknown", category=SERVICES, devices=frozenset(), steps=[Info("a", when="nope")])
    with pytest.raises(ValueError, match="unknown predicate"):
        compile_chart(unknown)
