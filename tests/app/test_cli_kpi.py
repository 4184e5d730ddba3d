"""``kiosk journal kpi``: the table, JSON, the HTML page and the dashboard picture; bad dates and file names in one
line with exit status 2."""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image

from kiosk.app.cli import main
from kiosk.core.clock import ManualClock
from kiosk.journal import Journal


def write_config(tmp_path: Path) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(f'[kiosk]\nkiosk_id = "K0042"\ndata_dir = "{tmp_path / "var"}"\n', encoding="utf-8")
    return path


def fill_journal(tmp_path: Path) -> None:
    """Two payments (one in 90 s, satisfied; one cancelled at its PIN), a queue ticket, a loss report with staff."""
    clock = ManualClock(datetime(2026, 11, 30, 10, 0))
    with Journal(tmp_path / "var" / "journal.sqlite", clock) as journal:
        for flow, outcome, seconds, extra in [("si_payment", "completed", 90, "satisfied"),
                                              ("si_payment", "cancelled", 40, "pin"),
                                              ("loss_report", "completed", 150, "staff"),
                                              ("utility_payment", "timeout", 70, "scan")]:
            sid = journal.open_session(flow, "K0042", "B0101", "zh_CN", False)
            clock.advance(seconds)
            if extra == "staff":
                journal.record(sid, "staff", "approved", {"staff": "S1001"})
            if outcome != "completed":
                journal.record(sid, "step", "ending", {"from": extra, "event": outcome.removesuffix("led")})
            journal.close_session(sid, outcome)
            if outcome == "completed":
                journal.record(sid, "survey", "asked", {"flow": flow})
                journal.record(sid, "survey", "satisfaction",
                               {"flow": flow, "rating": "satisfied" if extra == "satisfied" else "skipped"})
            clock.advance(600)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    fill_journal(tmp_path)
    return write_config(tmp_path)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["journal", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_the_table(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "kpi", "--from", "2026-11-30", "--to", "2026-11-30", "--config", str(config))
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "the plan's measures, sessions started 2026-11-30 to 2026-11-30"
    si = next(line for line in lines if line.startswith("si_payment"))
    assert si.split() == ["si_payment", "2", "1", "50%", "1", "0", "0", "0", "1:30", "1:30", "100%", "1/1", "100%"]
    assert "self-service completion rate: 50.0% (2 of 4)" in out
    assert "completed without staff: 50.0% (1 of 2)" in out
    assert "  si_payment              pin 1" in out
    assert "  utility_payment         scan 1" in out
    assert "counter replacement: 2 completions of counter business" in out


def test_json_with_what_the_host_and_the_counters_know(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "kpi", "--from", "2026-11-30", "--json", "--bookings", "5",
                         "--counter-transactions", "8", "--config", str(config))
    assert status == 0
    data = json.loads(out)
    assert data["period"]["total"]["sessions"] == 4
    assert data["period"]["total"]["satisfaction"] == {
        "asked": 2, "satisfied": 1, "neutral": 0, "dissatisfied": 0, "skipped": 1, "timeout": 0, "answered": 1,
        "rate": 1.0, "response_rate": 0.5, "reasons": {}}
    assert data["appointments"] == {"flow": "appointment_pickup", "sessions": 0, "completed": 0, "bookings": 5,
                                    "show_up": 0.0, "conversion": 0.0}
    assert data["counter"]["share"] == 0.2  # 2 of 2 + 8
    assert data["assumptions"]["counter_minutes"] == {"loss_report": 30.0, "si_payment": 30.0, "utility_payment": 30.0}


def test_html_is_one_page_with_its_charts(config: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_file = tmp_path / "out" / "kpi.html"
    status, out, _ = run(capsys, "kpi", "--from", "2026-11-30", "--out", str(out_file), "--config", str(config))
    assert status == 0
    assert out.startswith("the plan's measures")
    page = out_file.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert page.rstrip().endswith("</html>")
    assert page.count('src="data:image/png;base64,') == 4
    assert "<table>" in page
    assert "社保缴费 (si_payment)" in page
    assert "src=\"http" not in page
    assert "href=" not in page


def test_png_is_a_dashboard(config: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_file = tmp_path / "kpi.png"
    status, _, _ = run(capsys, "kpi", "--from", "2026-11-30", "--out", str(out_file), "--lang", "en_US",
                       "--config", str(config))
    assert status == 0
    with Image.open(io.BytesIO(out_file.read_bytes())) as image:
        assert image.format == "PNG"
        assert image.width > 1500
        assert image.height > 800


@pytest.mark.parametrize(("argv", "message"), [
    (["--from", "2026-13-01"], "kiosk: --from: '2026-13-01' is not a date (YYYY-MM-DD)"),
    (["--from", "2026-11-30", "--to", "30.11.2026"], "kiosk: --to: '30.11.2026' is not a date (YYYY-MM-DD)"),
    (["--from", "2026-11-30", "--to", "2026-11-29"], "kiosk: --to 2026-11-29 is before --from 2026-11-30"),
    (["--from", "2026-11-30", "--out", "kpi.pdf"], "kiosk: --out kpi.pdf: write .html (tables and charts) or .png (a dashboard)"),
    (["--from", "2026-11-30", "--bookings", "-1"], "kiosk: --bookings: a count, 0 or more"),
])
def test_bad_arguments_in_one_line(config: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    status, out, err = run(capsys, "kpi", *argv, "--config", str(config))
    assert (status, out, err) == (2, "", message + "\n")


def test_without_a_journal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "kpi", "--from", "2026-11-30", "--config", str(write_config(tmp_path)))
    assert status == 1
    assert err == f"kiosk: no journal at {tmp_path / 'var' / 'journal.sqlite'}\n"


def test_demo_day_refuses_a_bad_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "demo-day", "--date", "2026-02-30", "--data-dir", str(tmp_path))
    assert (status, out, err) == (2, "", "kiosk: --date: '2026-02-30' is not a date (YYYY-MM-DD)\n")
