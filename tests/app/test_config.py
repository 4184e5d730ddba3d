"""Configuration: the default loads; a wrong key or value stops start-up with one line, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows import catalogue
from kiosk.app.cli import main
from kiosk.app.config import DEFAULT_CONFIG, load_config

FLOWS = catalogue()
RULES = [*dict.fromkeys(rule for flow in FLOWS.values() for rule in flow.approval_rules), "identity"]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_default_config_is_all_simulators_and_the_embedded_host() -> None:
    config = load_config()
    assert config.path == DEFAULT_CONFIG
    assert {getattr(config.devices, d).backend for d in ("idcard", "camera", "pinpad", "printer",
                                                          "dispenser")} == {"sim"}
    assert config.devices.smartcard.backend == "pcsc-sim"  # the virtual card behind the real PC/SC stack
    assert config.host.mode == "simulator"
    assert config.kiosk.language == "zh_CN"
    assert config.approvals["loss_report"].rules == ("formal_loss",)


@pytest.mark.parametrize(("text", "expected"), [
    ('[kiosk]\nlangauge = "zh_CN"\n', "kiosk.langauge: unknown key; allowed: kiosk_id, branch_id"),
    ('[kiosk]\nlanguage = "fr_FR"\n', "kiosk.language: 'fr_FR' is not allowed; allowed: 'zh_CN' or 'en_US'"),
    ('[devices.camera]\nbackend = "usb"\n', "devices.camera.backend: 'usb' is not allowed; allowed: 'sim'"),
    ('[approvals.si_payment]\nrules = ["everything"]\n', "approvals.si_payment.rules.0: 'everything' is not allowed"),
    ('[approvals.loss_report]\nrules = ["over_limit"]\n',
     "approvals.loss_report.rules.0: 'over_limit' is not allowed; allowed: 'formal_loss'"),
    ('[approvals.loss_report]\nrule = ["formal_loss"]\n', "approvals.loss_report.rule: unknown key; allowed: rules"),
    ('[approvals.loan_payment]\nrules = []\n',
     f"approvals.loan_payment: no such flow; allowed: {', '.join(sorted(FLOWS))}"),
    ('[staff]\ndual_control = ["everything"]\n',
     "staff.dual_control.0: 'everything' is not allowed; allowed: "
     + ", ".join(repr(rule) for rule in RULES[:-1]) + f" or {RULES[-1]!r}"),
    ('[devices.printer]\nbackend = "laser"\n', "devices.printer.backend: 'laser' is not allowed; allowed: 'sim', "
     "'escpos-usb', 'escpos-serial' or 'escpos-network'"),
    ('[limits]\npin_entry_attempts = 0\n', "limits.pin_entry_attempts: Input should be greater than or equal to 1"),
    ('[timeouts]\nscreen_s = 1\n', "timeouts.screen_s: Input should be greater than or equal to 10"),
    ('[printer]\n', "printer: unknown key; allowed: kiosk, host, devices"),
    ('[host]\nmode = "remote"\nurl = "http://bank"\n', "host.url: a remote host needs an https:// address"),
    ("[kiosk\n", "not valid TOML"),
    ('[devices.idcard]\nbackend = "serial"\n', "devices.idcard: backend 'serial' needs a port"),
])
def test_a_bad_config_stops_with_one_line_and_exit_2(tmp_path, capsys, text, expected) -> None:
    path = write(tmp_path, text)
    assert main(["config", "check", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert err.startswith(f"kiosk: {path}: ")
    assert expected in err


def test_a_missing_config_file_is_named(tmp_path, capsys) -> None:
    assert main(["config", "check", "--config", str(tmp_path / "nope.toml")]) == 2
    assert "nope.toml: no such file" in capsys.readouterr().err


def test_config_selects_another_file(tmp_path, capsys) -> None:
    path = write(tmp_path, '[kiosk]\nkiosk_id = "K0042"\nlanguage = "en_US"\n')
    assert main(["config", "check", "--config", str(path)]) == 0
    config = load_config(path)
    assert config.kiosk.kiosk_id == "K0042"
    assert config.kiosk.language == "en_US"
    assert config.data_dir == (tmp_path / "../var").resolve()


def test_a_flow_left_out_of_approvals_takes_every_rule_it_declares(tmp_path) -> None:
    config = load_config(write(tmp_path, '[approvals.si_payment]\nrules = []\n'))
    assert config.approval_rules(catalogue()) == {
        **{flow_id: flow.approval_rules for flow_id, flow in FLOWS.items()}, "si_payment": ()}
    assert config.approval_rules(catalogue())["loss_report"] == ("formal_loss",)


def test_the_engine_reads_the_sections_themselves(tmp_path) -> None:
    from kiosk.app.compose import engine_settings, host_limits

    config = load_config(write(tmp_path, '[limits]\nsms_attempts = 2\npin_entry_attempts = 4\n'))
    settings = engine_settings(config, strict=False)
    assert settings.timeouts is config.timeouts
    assert settings.limits is config.limits
    assert settings.staff is config.staff
    assert (host_limits(config).sms_tries, host_limits(config).pin_tries) == (2, 4)
