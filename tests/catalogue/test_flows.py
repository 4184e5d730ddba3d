"""What every flow in the catalogue must have, checked for each one the catalogue finds: its title and
every step's texts in both languages, host operations that are declared, predicates that exist, and
scenarios with a happy path and at least two failure paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows import catalogue
from kiosk.app.scenario import load_scenario
from kiosk.core import i18n
from kiosk.engine.flow import Flow, Step
from kiosk.engine.steps import Agreement, Form, HostCall, StaffApproval
from kiosk.host.api import OPERATIONS

LANGS = ("zh_CN", "en_US")
SCENARIOS = Path(__file__).parents[1] / "scenarios"
FLOWS = catalogue()
pytestmark = pytest.mark.parametrize("flow", FLOWS.values(), ids=list(FLOWS))


def step_texts(flow: Flow, step: Step, lang: str) -> list[str]:
    """The catalog keys a step's screen shows (the flow's own text where it has one, else the step's)."""
    specific = f"flow.{flow.id}.{step.id}.title"
    keys = [specific if i18n.has_text(lang, specific) else f"step.{step.text}.title"]
    if isinstance(step, Agreement):
        keys.append(step.document)
    if isinstance(step, StaffApproval):
        keys.append(step.reason)
    if isinstance(step, Form):
        keys += [f"field.{f.name}.{part}" for f in step.fields for part in ("label", "hint")]
    return keys


def test_title_and_every_step_text_exist_in_both_languages(flow: Flow) -> None:
    missing = [(lang, f"flow.{flow.id}.title") for lang in LANGS if not i18n.has_text(lang, f"flow.{flow.id}.title")]
    missing += [(lang, flow.category.id) for lang in LANGS if not i18n.has_text(lang, f"category.{flow.category.id}")]
    for step in flow.steps:
        for lang in LANGS:
            missing += [(lang, key) for key in step_texts(flow, step, lang) if not i18n.has_text(lang, key)]
    assert not missing


def test_a_flow_text_in_one_language_is_in_the_other(flow: Flow) -> None:
    own = {lang: {key for key in i18n.catalog(lang) if key.startswith(f"flow.{flow.id}.")} for lang in LANGS}
    assert own["zh_CN"] == own["en_US"]


def test_every_host_call_names_a_declared_operation(flow: Flow) -> None:
    calls = [step for step in flow.steps if isinstance(step, HostCall)]
    for step in calls:
        assert step.op in OPERATIONS, f"{step.id}: {step.op}"
        assert step.posting is OPERATIONS[step.op].posting
        assert set(step.refusals) <= set(OPERATIONS[step.op].refusals)
    assert flow.posting_ops <= {name for name, op in OPERATIONS.items() if op.posting}


def test_every_when_predicate_exists(flow: Flow) -> None:
    assert {step.when for step in flow.steps if step.when} <= set(flow.predicates)


def test_every_store_is_a_declared_slot(flow: Flow) -> None:
    slots = set(flow.data.__dataclass_fields__)
    assert {name for step in flow.steps for name, _kind in step.stores()} <= slots


def test_scenarios_include_a_happy_path_and_two_failure_paths(flow: Flow) -> None:
    outcomes = [load_scenario(path).expect.outcome for path in sorted((SCENARIOS / flow.id).glob("*.toml"))]
    assert outcomes.count("completed") >= 1, f"tests/scenarios/{flow.id}/ has no happy path"
    assert len(outcomes) - outcomes.count("completed") >= 2, f"tests/scenarios/{flow.id}/ has < 2 failure paths"
    assert all(load_scenario(p).flow == flow.id for p in (SCENARIOS / flow.id).glob("*.toml"))
