"""The device state store: atomic JSON per device, empty on a missing or corrupt file, masked card numbers."""

from __future__ import annotations

import json
import logging
from datetime import datetime

from devices.api import LastOperation, OperationStage, PresentStatus
from devices.durable import DurableState, LastOperationStore
from kiosk.core.clock import ManualClock

PAN = "6228480402564890018"


def test_a_saved_state_is_read_back_by_a_new_store(tmp_path):
    DurableState(tmp_path, "dispenser").save({"last_operation": {"stage": "at_gate"}})
    assert DurableState(tmp_path, "dispenser").load() == {"last_operation": {"stage": "at_gate"}}
    assert [p.name for p in tmp_path.iterdir()] == ["dispenser.json"]  # no temporary file left behind


def test_a_torn_temporary_file_is_ignored_and_removed(tmp_path, caplog):
    store = DurableState(tmp_path, "printer")
    store.save({"job": "R1"})
    torn = tmp_path / ".printer.json.4242.1.tmp"
    torn.write_text('{"job": "R2", "sta')  # the process died while writing the next state
    with caplog.at_level(logging.WARNING):
        assert DurableState(tmp_path, "printer").load() == {"job": "R1"}
    assert not torn.exists()
    assert "unfinished state write" in caplog.text


def test_a_corrupt_state_file_reads_as_empty_with_a_warning(tmp_path, caplog):
    (tmp_path / "smartcard.json").write_text("{not json")
    with caplog.at_level(logging.WARNING):
        assert DurableState(tmp_path, "smartcard").load() == {}
    assert "corrupt device state" in caplog.text


def test_a_state_that_is_not_an_object_reads_as_empty(tmp_path, caplog):
    (tmp_path / "smartcard.json").write_text("[1, 2]")
    with caplog.at_level(logging.WARNING):
        assert DurableState(tmp_path, "smartcard").load() == {}
    assert "not an object" in caplog.text


def test_a_missing_state_reads_as_empty(tmp_path):
    assert DurableState(tmp_path / "devices", "dispenser").load() == {}


def test_without_a_folder_the_state_lives_in_memory(tmp_path):
    store = DurableState(None, "dispenser")
    store.save({"a": 1})
    assert store.load() == {"a": 1}
    assert store.path is None
    assert list(tmp_path.iterdir()) == []


def test_a_full_card_number_is_never_written(tmp_path):
    clock = ManualClock()
    LastOperationStore(tmp_path, "dispenser", clock).record("dispense", OperationStage.PICKED, card_masked=PAN)
    DurableState(tmp_path, "other").save({"pan": PAN, "note": f"card {PAN}"})
    text = "".join(p.read_text() for p in tmp_path.iterdir())
    assert PAN not in text
    assert "622848*********0018" in text


def test_the_last_operation_survives_a_new_store(tmp_path):
    clock = ManualClock(datetime(2026, 3, 2, 9, 30))
    first = LastOperationStore(tmp_path, "dispenser", clock)
    saved = first.record("dispense", OperationStage.AT_GATE, card_masked="622848*********0018")
    again = LastOperationStore(tmp_path, "dispenser", clock).last()
    assert again == saved
    assert again is not None
    assert (again.present_status, again.holds_card) == (PresentStatus.PRESENTED, True)


def test_a_job_still_started_when_read_is_saved_as_interrupted(tmp_path):
    clock = ManualClock()
    LastOperationStore(tmp_path, "printer", clock).record("print", OperationStage.STARTED, job_id="R1", pages=1)
    last = LastOperationStore(tmp_path, "printer", clock).last()
    assert last is not None
    assert (last.stage, last.job_id, last.reason) == (OperationStage.INTERRUPTED, "R1", "restarted")
    on_disk = json.loads((tmp_path / "printer.json").read_text())["last_operation"]
    assert on_disk["stage"] == "interrupted"


def test_an_unreadable_last_operation_reads_as_none(tmp_path, caplog):
    (tmp_path / "printer.json").write_text('{"last_operation": {"stage": "flying"}}')
    with caplog.at_level(logging.WARNING):
        assert LastOperationStore(tmp_path, "printer", ManualClock()).last() is None
    assert "unreadable last operation" in caplog.text


def test_present_status_follows_xfs4iot():
    def status(stage: OperationStage) -> PresentStatus:
        return LastOperation("d", "op", stage, datetime(2026, 1, 1)).present_status

    assert status(OperationStage.AT_GATE) is PresentStatus.PRESENTED
    assert status(OperationStage.EJECTED) is PresentStatus.PRESENTED
    assert status(OperationStage.TAKEN) is PresentStatus.NOT_PRESENTED
    assert status(OperationStage.CAPTURED) is PresentStatus.NOT_PRESENTED
    assert status(OperationStage.CARD_INSIDE) is PresentStatus.NOT_PRESENTED
    assert status(OperationStage.INTERRUPTED) is PresentStatus.UNKNOWN
