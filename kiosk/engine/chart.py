"""Compiles a Flow into a python-statemachine StateChart.

The flow author lists steps; this module adds what every flow must have:
``next`` along the steps (skipping those whose condition is false), ``goto_<step>`` for declared
branches, ``back`` where a step allows it, ``staff_back`` (a supervisor steps a stuck customer back to
the previous screen a person answers), ``cancel``/``timeout`` from every state to the safe exit,
``device_fault``/``host_fault``/``fail`` from every step to the failure screen, and ``finish``
from the safe exit to the final state. The library's error-hiding defaults are turned off: an
exception in a callback propagates, and an event with no transition raises.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from statemachine import State, StateChart
from statemachine.exceptions import TransitionNotAllowed

from kiosk.engine.flow import Flow
from kiosk.engine.states import (
    DONE,
    ENDING,
    FAILED,
    FAULT_EVENTS,
    NOT_REVISITED,
    STOP_EVENTS,
    validate,
)

__all__ = ["DONE", "ENDING", "FAILED", "TransitionNotAllowed", "compile_chart", "condition_name", "validate"]


def condition_name(step_id: str) -> str:
    return f"active_{step_id}"


class _StrictChart(StateChart):
    catch_errors_as_events = False
    allow_event_without_transition = False
    enable_self_transition_entries = False


def _forward(states: dict[str, State], flow: Flow, index: int) -> Any:
    """``next`` from step ``index``: the first later step whose condition holds, else the safe exit."""
    source = states[flow.steps[index].id]
    transitions = None
    for later in flow.steps[index + 1 :]:
        cond = condition_name(later.id) if later.when else None
        t = source.to(states[later.id], cond=cond) if cond else source.to(states[later.id])
        transitions = t if transitions is None else transitions | t
        if cond is None:
            return transitions
    t = source.to(states[ENDING])
    return t if transitions is None else transitions | t


def _backward(states: dict[str, State], flow: Flow, index: int) -> Any:
    """``back`` from step ``index``: the nearest earlier step that was shown."""
    source = states[flow.steps[index].id]
    transitions = None
    for earlier in reversed(flow.steps[:index]):
        cond = condition_name(earlier.id) if earlier.when else None
        t = source.to(states[earlier.id], cond=cond) if cond else source.to(states[earlier.id])
        transitions = t if transitions is None else transitions | t
        if cond is None:
            break
    return transitions


def _staff_backward(states: dict[str, State], flow: Flow, index: int) -> Any:
    """``staff_back`` from step ``index``: the nearest earlier shown step that a person answers."""
    source = states[flow.steps[index].id]
    transitions = None
    for earlier in reversed(flow.steps[:index]):
        if earlier.kind in NOT_REVISITED:
            continue
        cond = condition_name(earlier.id) if earlier.when else None
        t = source.to(states[earlier.id], cond=cond) if cond else source.to(states[earlier.id])
        transitions = t if transitions is None else transitions | t
        if cond is None:
            break
    return transitions


def _join(items: list[Any]) -> Any:
    joined = items[0]
    for item in items[1:]:
        joined = joined | item
    return joined


@cache
def compile_chart(flow: Flow) -> type[StateChart]:
    validate(flow)
    states: dict[str, State] = {}
    for i, step in enumerate(flow.steps):
        states[step.id] = State(step.id, initial=(i == 0))
    states[FAILED] = State(FAILED)
    states[ENDING] = State(ENDING)
    states[DONE] = State(DONE, final=True)
    steps = [states[step.id] for step in flow.steps]

    events: dict[str, Any] = {}
    events["next"] = _join([_forward(states, flow, i) for i in range(len(flow.steps))])
    backs = [_backward(states, flow, i) for i, step in enumerate(flow.steps) if step.back and i > 0]
    if backs:
        events["back"] = _join(backs)
    staff_backs = [t for t in (_staff_backward(states, flow, i) for i in range(1, len(flow.steps))) if t is not None]
    if staff_backs:
        events["staff_back"] = _join(staff_backs)
    targets = sorted({t for step in flow.steps for t in step.branches})
    for target in targets:
        events[f"goto_{target}"] = _join(
            [states[step.id].to(states[target]) for step in flow.steps if target in step.branches]
        )
    for name in STOP_EVENTS:
        events[name] = _join([state.to(states[ENDING]) for state in [*steps, states[FAILED]]])
    for name in FAULT_EVENTS:
        events[name] = _join([state.to(states[FAILED]) for state in steps])
    events["close"] = states[FAILED].to(states[ENDING])
    events["finish"] = states[ENDING].to(states[DONE])

    attrs: dict[str, Any] = {**states, **events}
    name = "".join(part.title() for part in flow.id.split("_")) + "Chart"
    return type(name, (_StrictChart,), attrs)
