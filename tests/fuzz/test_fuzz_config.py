"""Fuzzing the files people write: the kiosk's configuration and the QA scenario files.

A configuration file is loaded or stopped with one line that names the file and the key (and, for an
unknown key or value, what is allowed); a scenario file is loaded or refused with a ScenarioFailure that
names the file. Never a traceback: not for bytes that are not UTF-8, nor for arrays nested too deep."""

from __future__ import annotations

import typing
from pathlib import Path
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st
from pydantic import BaseModel

from kiosk.app.config import ConfigError, KioskConfig, dotted, load_config
from kiosk.app.scenario import Scenario, load_scenario, scenario_config
from kiosk.app.scenario_driver import ScenarioFailure
from tests.fuzz.outcome import attempt
from tests.fuzz.toml_text import toml_document, values


def sections(model: type[BaseModel], prefix: str = "") -> dict[str, type[BaseModel]]:
    """Every table of the file and its model: "" (the root), "kiosk", "devices.idcard", ..."""
    found = {prefix: model}
    for name, field in model.model_fields.items():
        for candidate in (field.annotation, *typing.get_args(field.annotation)):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                table = f"{prefix}.{name}" if prefix else name
                if name == "approvals":
                    table = "approvals.loss_report"
                found |= sections(candidate, table)
    return found


SECTIONS = sections(KioskConfig)
SCENARIO_SECTIONS = {"": Scenario, "setup": Scenario.model_fields["setup"].annotation,
                     "expect": Scenario.model_fields["expect"].annotation}


@st.composite
def one_key_changed(draw: st.DrawFn, tables: dict[str, Any]) -> tuple[str, str, Any]:
    """A table, a key in it (one the model knows or any other) and a value of any shape."""
    table = draw(st.sampled_from(sorted(tables)))
    known = [name for name in tables[table].model_fields if name != "path"]
    key = draw(st.sampled_from(known) | st.text("abcdefghijklmnopqrstuvwxyz_０１ \n.", min_size=1, max_size=10))
    return table, key, draw(values)


def write(directory: Path, text: str | bytes) -> Path:
    path = directory / "kiosk.toml"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def load_or_one_line(path: Path) -> str | None:
    _, error = attempt(lambda: load_config(path), ConfigError)
    if error is None:
        return None
    line = str(error)
    assert "\n" not in line
    assert line.startswith(f"{path}: ")
    return line


@given(one_key_changed(SECTIONS))
@example(("kiosk", "langauge", "zh_CN"))
@example(("devices.camera", "source", [1, {"a": 2}]))
@example(("timeouts", "screen_s", float("nan")))
@example(("limits", "kiosk_payment_limit_fen", 10**18))
@example(("approvals.loss_report", "rules", "formal_loss"))
@example(("voice", "voices", {"fr_FR": "x"}))
@example(("devices", "１", 1))  # a full-width digit is a key, not a list index
@example(("kiosk", "a\nb", 1))  # a key with a line break: still one line
def test_any_key_and_value_loads_or_stops_with_one_line_naming_it(tmp_path_factory, change) -> None:
    table, key, value = change
    path = write(tmp_path_factory.mktemp("config"), toml_document({table: {key: value}}))
    line = load_or_one_line(path)
    if line is None:
        return
    if "unknown key" in line:
        assert f": {dotted([*table.split('.'), key]) if table else dotted([key])}" in line
        assert "; allowed: " in line
    elif "not valid TOML" not in line:
        assert f": {dotted(table.split('.')) if table else dotted([key])}" in line  # the table or the key itself


@given(st.binary(max_size=300))
@example(b"\xff\xfe[kiosk]")  # UTF-16, not UTF-8
@example(b"a = " + b"[" * 5000)  # deeper than tomllib's recursion
@example(b"[kiosk]\nkiosk_id = \"K0001\n\"")
def test_any_bytes_load_or_stop_with_one_line(tmp_path_factory, raw: bytes) -> None:
    load_or_one_line(write(tmp_path_factory.mktemp("config"), raw))


def test_a_folder_for_a_config_file_is_one_line(tmp_path) -> None:
    assert load_or_one_line(tmp_path) == f"{tmp_path}: cannot be read: Is a directory"


# -- scenario files -------------------------------------------------------------------------------

@given(one_key_changed(SCENARIO_SECTIONS), st.booleans())
@example(("", "step", [{"submit": {"amount": 1}}]), True)
@example(("", "step", "expect"), True)
@example(("expect", "screens", [1, [2]]), True)
def test_any_scenario_loads_or_fails_naming_the_file(tmp_path_factory, change, complete: bool) -> None:
    table, key, value = change
    tables: dict[str, dict[str, Any]] = {"": {"name": "fuzz", "flow": "balance_inquiry"},
                                         "expect": {"outcome": "completed"}} if complete else {}
    tables.setdefault(table, {})[key] = value
    path = tmp_path_factory.mktemp("scenario") / "case.toml"
    path.write_text(toml_document(tables), encoding="utf-8")
    _, error = attempt(lambda: load_scenario(path), ScenarioFailure)
    assert error is None or str(error).startswith(f"{path}: ")
    assert "\n" not in str(error or "")


@given(st.binary(max_size=300))
@example(b"\xc3\x28")  # a broken UTF-8 sequence
@example(b"name = " + b"{a = " * 3000)
def test_any_scenario_bytes_load_or_fail_naming_the_file(tmp_path_factory, raw: bytes) -> None:
    path = tmp_path_factory.mktemp("scenario") / "case.toml"
    path.write_bytes(raw)
    _, error = attempt(lambda: load_scenario(path), ScenarioFailure)
    assert error is None or str(error).startswith(f"{path}: ")


@given(one_key_changed(SECTIONS))
@example(("timeouts", "screen_s", "soon"))  # a value of the wrong kind in a scenario's [config]
@example(("devices.idcard", "backend", "serial"))  # a cross-field rule
@example(("kiosk.language", "x", 1))
def test_a_scenarios_config_override_applies_or_stops_with_one_line(change) -> None:
    table, key, value = change
    dotted_key = f"{table}.{key}" if table else key
    config, error = attempt(lambda: scenario_config(None, {dotted_key: value}), ConfigError)
    if error is not None:
        assert "\n" not in str(error)
        assert str(error).startswith("scenario config: ")
    else:
        assert isinstance(config, KioskConfig)
