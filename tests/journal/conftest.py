from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from kiosk.core.clock import ManualClock
from kiosk.journal import Journal

START = datetime(2026, 11, 28, 10, 0, 0)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def journal_path(tmp_path: Path) -> Path:
    return tmp_path / "journal" / "journal.sqlite3"


@pytest.fixture
def journal(journal_path: Path, clock: ManualClock) -> Iterator[Journal]:
    with Journal(journal_path, clock) as opened:
        yield opened


def open_demo_session(journal: Journal, flow_id: str = "loss_report") -> str:
    return journal.open_session(flow_id, kiosk_id="K001", branch_id="B0101", lang="zh_CN", elderly=False)
