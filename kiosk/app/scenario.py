"""Headless QA scenarios: one flow on the simulators from a TOML file, with a JSON result.

The file format is in the README ("Scenario files"). The runner builds a kiosk with a manual
clock, sets the simulators up, starts the flow, performs each step's actions in order (waiting for
the expected screen first), and checks the expected outcome and host effects.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kiosk.app.compose import build_kiosk
from kiosk.app.config import ConfigError, KioskConfig, describe, dotted, load_config
from kiosk.app.qa import HOST_FAULTS, SimulatorControls
from kiosk.app.scenario_driver import Driver, ScenarioFailure
from kiosk.core.clock import ManualClock
from kiosk.core.toml_files import TomlFileError, read_toml


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class DeviceFault(_Model):
    device: str
    fault: str
    times: int = 1


class HostFault(_Model):
    op: str = "*"
    kind: str
    times: int = 1
    delay_s: float = 0.0


class CameraShow(_Model):
    """Something held up to the camera: a slip with ``code`` as a barcode or QR code, or a picture file."""

    code: str | None = None
    symbology: str = "code128"  # or "qrcode"
    damaged: bool = False  # a stain across the code: it does not read
    picture: str | None = None  # an image file (absolute, relative to the working directory or to assets/sim)


class DocumentShow(_Model):
    """Something laid under the document camera: a demo company's business licence (its key in people.toml),
    a picture file, or a slip with a code (a QR code that is no licence's)."""

    licence: str | None = None
    picture: str | None = None  # an image file (absolute, relative to the working directory or to assets/sim)
    code: str | None = None
    symbology: str = "qrcode"
    damaged: bool = False  # the licence's QR code (or the code) stained: it does not read


class Approval(_Model):
    staff: str
    decision: str = "approve"
    reason: str = ""


class Action(_Model):
    expect: str | None = None  # wait until this screen shows and is ready for the customer
    during: str | None = None  # wait until this screen shows, even while a device or the host is working
    expect_error: bool | None = None
    camera: str | None = None
    show_camera: CameraShow | None = None
    show_document: DocumentShow | None = None  # laid on the document camera's platen
    remove_document: bool | None = None  # taken off the platen
    place_id: str | None = None
    remove_id: bool | None = None
    insert_card: str | None = None
    take_card: bool | None = None
    take_new_card: bool | None = None
    take_receipt: bool | None = None
    take_document: bool | None = None  # take the A4 document from the document printer's tray
    device_fault: DeviceFault | None = None
    host_fault: HostFault | None = None
    pinpad: str | None = None
    choose: str | None = None
    submit: dict[str, str] | None = None
    continue_: bool | None = Field(None, alias="continue")
    back: bool | None = None
    cancel: bool | None = None
    help: bool | None = None
    extend: bool | None = None
    language: str | None = None
    approve: Approval | None = None
    advance: float | None = None
    host_advance: float | None = None  # seconds on the host simulator's clock only
    wait_idle: bool | None = None


class Setup(_Model):
    idcard: str | None = None
    bank_card: str | None = None
    camera: str = "nobody"
    takes: bool = True  # the customer takes returned and new cards as soon as they come out
    lang: str | None = None
    elderly: bool = False


class Expectation(_Model):
    outcome: str
    message: str | None = None  # catalog key of the failure shown
    screens: list[str] = []  # these screens appear, in this order (others may come between)
    not_screens: list[str] = []
    errors_on: list[str] = []  # screens that showed the customer an error message at least once
    postings: int | None = None  # committed host postings made by this session
    debited_fen: int | None = None
    retained_cards: int | None = None
    receipt_printed: bool | None = None
    document_printed: bool | None = None  # an A4 document was printed (and taken, when the steps take it)
    spool_documents: int | None = None  # A4 documents left in the spool folder at the end
    stale_results: int | None = None
    # screen -> texts it showed: each is part of its title, prompt, a row (label or value), notice or error
    shown: dict[str, list[str]] = {}
    receipt: list[str] = []  # texts on the last receipt printed: each part of its title or a line's label or value
    journal: list[str] = []  # the session's journal entries as "kind:name", in this order (others may come between)


class Scenario(_Model):
    name: str
    flow: str
    description: str = ""
    setup: Setup = Setup()
    config: dict[str, Any] = {}
    step: list[Action] = []
    expect: Expectation


def load_scenario(path: Path | str) -> Scenario:
    path = Path(path)
    try:
        return Scenario.model_validate(read_toml(path))
    except TomlFileError as exc:
        raise ScenarioFailure(f"{path}: {exc}") from None
    except ValidationError as exc:
        err = exc.errors()[0]
        raise ScenarioFailure(f"{path}: {dotted(err['loc'])}: {err['msg']}") from None


class BadScenario(ScenarioFailure):
    """The file asks for something the simulators do not have: exit status 2, like a malformed file."""


def fault_problem(scenario: Scenario, sim_controls: dict[str, Any]) -> str | None:
    """One line naming the first step whose fault the simulators do not know, with the allowed values."""
    for number, action in enumerate(scenario.step, 1):
        if action.host_fault is not None and action.host_fault.kind not in HOST_FAULTS:
            return (f"step {number}: host_fault.kind: {action.host_fault.kind!r} is not allowed; "
                    f"allowed: {', '.join(HOST_FAULTS)}")
        fault = action.device_fault
        if fault is None:
            continue
        if fault.device not in sim_controls:
            return (f"step {number}: device_fault.device: {fault.device!r} is not a simulated device; "
                    f"allowed: {', '.join(sorted(sim_controls))}")
        known = sorted(getattr(sim_controls[fault.device], "FAULTS", {}))
        if fault.fault not in known:
            return (f"step {number}: device_fault.fault: {fault.fault!r} is not a fault of the {fault.device} "
                    f"simulator; allowed: {', '.join(known)}")
    return None


def scenario_config(base: Path | None, overrides: dict[str, Any]) -> KioskConfig:
    """The kiosk config with the scenario's ``[config]`` overrides (dotted keys) applied."""
    config = load_config(base)
    raw = config.model_dump(exclude={"path"})
    for key, value in overrides.items():
        target = raw
        *parents, last = key.split(".")
        for part in parents:
            if not isinstance(target.get(part), dict):
                raise ConfigError(f"scenario config: {dotted(key.split('.'))}: no such section")
            target = target[part]
        if last not in target:
            raise ConfigError(f"scenario config: {dotted(key.split('.'))}: unknown key; allowed: {', '.join(target)}")
        target[last] = value
    try:
        return KioskConfig.model_validate({**raw, "path": config.path})
    except ValidationError as exc:  # a value of the wrong kind: the same one line as the file's own
        raise ConfigError(describe("scenario config", exc)) from None


def run_scenario(scenario: Scenario, *, config_path: Path | None = None, data_dir: Path | None = None,
                 overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """``overrides`` (dotted config keys) apply under the scenario's own ``[config]``."""
    config = scenario_config(config_path, {**(overrides or {}), **scenario.config})
    data_dir = data_dir or config.data_dir / "scenarios" / uuid.uuid4().hex[:12]
    kiosk = build_kiosk(config, clock=ManualClock(), strict=True, data_dir=data_dir)
    try:
        problem = fault_problem(scenario, kiosk.sim_controls)
    except BaseException:
        kiosk.close()
        raise
    if problem is not None:
        kiosk.close()
        raise BadScenario(problem)
    try:
        driver = Driver(kiosk, SimulatorControls(kiosk))
        driver.setup(scenario.setup, scenario.flow)
        for number, action in enumerate(scenario.step, 1):
            driver.perform(number, action)
        report = driver.finish()
        result = driver.result(scenario.name, scenario.flow, report)
        result["failures"] = driver.check(scenario.expect, result)
    except ScenarioFailure as exc:
        result = driver.partial(scenario.name, scenario.flow, str(exc))
    finally:
        kiosk.close()
    result["passed"] = not result["failures"]
    result["data_dir"] = str(data_dir)
    return result
