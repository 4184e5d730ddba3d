"""The command line: flows list and diagram, scenario run, journal show."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from flows import catalogue
from kiosk.app.cli import main

SCENARIOS = Path(__file__).parents[1] / "scenarios"


def test_flows_list_json(capsys) -> None:
    assert main(["flows", "list", "--json"]) == 0
    flows = {f["id"]: f for f in json.loads(capsys.readouterr().out)}
    declared = catalogue()
    assert set(flows) == set(declared)
    for flow in flows.values():
        assert {"id", "title_zh", "title_en", "category", "devices", "face_check", "staff_approval"} <= set(flow)
        assert isinstance(flow["devices"], list)
        assert isinstance(flow["face_check"], bool)
        assert flow["title_zh"] == declared[flow["id"]].title("zh_CN")
        assert flow["category"] == declared[flow["id"]].category.id
        assert flow["face_check"] is declared[flow["id"]].face_check
        assert flow["devices"] == sorted(declared[flow["id"]].devices)


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz (Debian graphviz) is not installed")
def test_flows_diagram_writes_an_image(tmp_path, capsys) -> None:
    out = tmp_path / "loss.svg"
    assert main(["flows", "diagram", "loss_report", "--out", str(out)]) == 0
    svg = out.read_text(encoding="utf-8")
    assert "<svg" in svg
    assert "formal_approval" in svg
    assert "ending" in svg


@pytest.mark.parametrize("flow", sorted(catalogue()))
def test_the_diagram_shows_the_procedure_and_all_of_it_on_request(tmp_path, flow) -> None:
    main_view, everything = tmp_path / "main.svg", tmp_path / "all.svg"
    assert main(["flows", "diagram", flow, "--out", str(main_view)]) == 0
    assert main(["flows", "diagram", flow, "--all", "--out", str(everything)]) == 0
    drawn, full = main_view.read_text(), everything.read_text()
    assert ">Next<" in drawn
    assert "From every step" in drawn
    for compiled_in in (">Cancel<", ">Timeout<", ">Device fault<"):
        assert compiled_in not in drawn
        assert compiled_in in full


def test_flows_diagram_unknown_flow(capsys) -> None:
    assert main(["flows", "diagram", "nope"]) == 2
    assert "no flow 'nope'" in capsys.readouterr().err


def scenario_config(tmp_path: Path) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(f'[kiosk]\ndata_dir = "{tmp_path / "var"}"\n[devices.smartcard]\nbackend = "sim"\n[face]\nmatcher = "sim"\n',
                    encoding="utf-8")
    return path


def test_scenario_run_json_and_exit_status(tmp_path, capsys) -> None:
    config = scenario_config(tmp_path)
    assert main(["scenario", "run", str(SCENARIOS / "si_payment" / "lost_reply.toml"), "--json",
                 "--config", str(config)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["passed"]
    assert result["outcome"] == "completed"
    assert result["host_effects"]["committed_postings"] == 1
    assert [p["op"] for p in result["host_effects"]["postings"]] == ["si.pay"]
    assert result["screens"][0] == {"step": "consent", "kind": "agreement", "inputs": [
        {"kind": "choose", "choice": "agree"}], "errors": [], "progress": [1, 8]}


def test_scenario_run_fails_when_the_expectation_fails(tmp_path, capsys) -> None:
    text = (SCENARIOS / "si_payment" / "happy_path.toml").read_text(encoding="utf-8")
    wrong = tmp_path / "wrong.toml"
    wrong.write_text(text.replace("debited_fen = 150800", "debited_fen = 1"), encoding="utf-8")
    assert main(["scenario", "run", str(wrong), "--config", str(scenario_config(tmp_path))]) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out
    assert "debited_fen 150800, expected 1" in out


def test_scenario_file_with_a_typo_is_refused(tmp_path, capsys) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\nflow = "si_payment"\n[[step]]\nchoos = "agree"\n[expect]\noutcome = "completed"\n',
                   encoding="utf-8")
    assert main(["scenario", "run", str(bad)]) == 2
    assert "step.0.choos" in capsys.readouterr().err


def test_journal_show_after_a_scenario(tmp_path, capsys) -> None:
    config = scenario_config(tmp_path)
    assert main(["scenario", "run", str(SCENARIOS / "loss_report" / "verbal_happy_path.toml"),
                 "--config", str(config)]) == 0
    capsys.readouterr()
    journal_dir = next((tmp_path / "var" / "scenarios").iterdir())
    config.write_text(f'[kiosk]\ndata_dir = "{journal_dir}"\n[devices.smartcard]\nbackend = "sim"\n[face]\nmatcher = "sim"\n',
                      encoding="utf-8")
    assert main(["journal", "show", "--json", "--flow", "loss_report", "--config", str(config)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["flow"], r["outcome"]) for r in rows] == [("loss_report", "completed")]


@pytest.mark.parametrize(("fault", "message"), [
    ('device_fault = { device = "idcard", fault = "no_crad" }',
     "step 2: device_fault.fault: 'no_crad' is not a fault of the idcard simulator; allowed: "),
    ('device_fault = { device = "scanner", fault = "jam" }',
     "step 2: device_fault.device: 'scanner' is not a simulated device; allowed: "),
    ('host_fault = { op = "si.pay", kind = "explode" }',
     "step 2: host_fault.kind: 'explode' is not allowed; allowed: refuse, delay, reset, drop_reply"),
])
def test_a_fault_the_simulators_do_not_know_is_a_bad_file_not_a_traceback(tmp_path, capsys, fault, message):
    path = tmp_path / "typo.toml"
    path.write_text(f'''name = "a typo in a fault"
flow = "loss_report"
[setup]
idcard = "zhang_wei"
[[step]]
expect = "consent"
[[step]]
{fault}
[expect]
outcome = "completed"
''', encoding="utf-8")
    assert main(["scenario", "run", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"kiosk: {path}: {message}")
    assert "Traceback" not in err
