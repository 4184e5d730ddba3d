"""Nothing unmasked reaches the disk: not the database file, not its write-ahead log."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.core.clock import ManualClock
from kiosk.journal import EntryKind, Journal

from .conftest import START, open_demo_session

ID_NUMBER = "11010519491231002X"
PAN = "6228480402564890018"
PIN_BLOCK = bytes.fromhex("0412AC89ABCDEF12")
TRACK2 = PAN + "=49121010000012345678"
NAME = "张三丰"

SECRETS = [ID_NUMBER.encode(), PAN.encode(), PIN_BLOCK, PIN_BLOCK.hex().encode(), PIN_BLOCK.hex().upper().encode(),
           b"49121010000012345678", "三丰".encode()]


def _write_personal_data(journal: Journal) -> str:
    session_id = open_demo_session(journal)
    detail = {"id_number": ID_NUMBER, "pan": PAN, "pin_block": PIN_BLOCK, "pin_block_hex": PIN_BLOCK.hex(),
              "track2": TRACK2, "name": NAME, "note": f"customer {ID_NUMBER} paid with {PAN}"}
    journal.record(session_id, EntryKind.INPUT, f"read ID {ID_NUMBER}", detail)
    journal.host_request_started("key-1", session_id, "cards.report_loss", posting=False, detail=detail)
    journal.host_request_finished("key-1", "committed", {"echo": detail})
    journal.close_session(session_id, "failed", reason=f"card {PAN} of {ID_NUMBER} refused")
    return session_id


def _disk_bytes(path: Path) -> bytes:
    files = [path, path.with_name(path.name + "-wal")]
    return b"".join(f.read_bytes() for f in files if f.exists())


def test_the_files_on_disk_hold_no_secret(journal_path: Path, clock: ManualClock) -> None:
    journal = Journal(journal_path, clock)
    _write_personal_data(journal)
    wal = journal_path.with_name(journal_path.name + "-wal")
    assert wal.exists()
    assert wal.stat().st_size > 0  # the entries are in the write-ahead log now
    on_disk_before_close = _disk_bytes(journal_path)
    journal.close()  # checkpoints the WAL into the main file
    for blob in (on_disk_before_close, _disk_bytes(journal_path)):
        assert b"110105********002X" in blob  # the masked forms are what is kept
        for secret in SECRETS:
            assert secret not in blob, secret


def test_what_is_read_back_is_masked(journal: Journal) -> None:
    session_id = _write_personal_data(journal)
    [entry] = journal.entries(session_id)
    assert entry.name == "read ID 110105********002X"
    assert entry.detail is not None
    assert entry.detail["pin_block"] == "[withheld]"
    assert entry.detail["track2"] == "[withheld]"
    assert entry.detail["name"] == "张**"
    assert entry.detail["pan"] == "622848*********0018"
    session = journal.session(session_id)
    assert session is not None
    assert session.reason == "card 622848*********0018 of 110105********002X refused"


@pytest.mark.parametrize("detail", [["a list"], "text"])
def test_a_detail_must_be_a_mapping(journal: Journal, detail: object) -> None:
    with pytest.raises(TypeError):
        journal.record(None, EntryKind.NOTE, "x", detail)  # type: ignore[arg-type]


def test_values_json_cannot_hold_are_stored_as_masked_text(journal: Journal) -> None:
    class Holder:
        def __str__(self) -> str:
            return f"holder of {PAN}"

    seq = journal.record(None, EntryKind.NOTE, "odd", {"obj": Holder()})
    [entry] = [e for e in journal.entries_on(START.date()) if e.seq == seq]
    assert entry.detail == {"obj": "holder of 622848*********0018"}

