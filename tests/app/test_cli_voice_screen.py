"""``kiosk voice screen FLOW STEP``: a sample session to the step, the speech printed, one WAV written."""

from __future__ import annotations

import wave

import pytest

from flows import catalogue
from kiosk.app.cli import main


@pytest.mark.parametrize(("argv", "expected"), [
    (["nope", "confirm"], "kiosk: voice screen: no flow 'nope'; flows: " + ", ".join(sorted(catalogue()))),
    (["si_payment", "nope"], "kiosk: voice screen: flow 'si_payment' has no step 'nope' in its sample session; "
                             "steps: consent, read_id, bills, bill, card, fraud_warning, confirm, pin,"),
])
def test_an_unknown_flow_or_step_is_one_line_and_exit_2(tmp_path, capsys, argv, expected) -> None:
    assert main(["voice", "screen", *argv, "--out", str(tmp_path / "x.wav")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(expected)
    assert not (tmp_path / "x.wav").exists()


def test_the_confirm_screen_is_printed_and_written_as_the_kiosk_says_it(tmp_path, capsys) -> None:
    out = tmp_path / "confirm.wav"
    assert main(["voice", "screen", "si_payment", "confirm", "--elderly", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("[zh_CN] 请核对办理信息。")
    assert "金额，一千五百零八元整" in printed  # the amount, as money
    assert "银行卡，六 二 二 八 四 八 星号" in printed  # the card, digit by digit
    assert "第一项：确认办理" in printed
    with wave.open(str(out), "rb") as wav:
        seconds = wav.getnframes() / wav.getframerate()
    assert f"{out}: {seconds:.1f} s, voice sit/cmn" in printed
    assert seconds > 30  # elderly rate, the whole screen
