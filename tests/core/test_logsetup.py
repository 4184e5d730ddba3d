from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.core.logsetup import MaskingFilter, configure_logging, reset_logging

ID_NUMBER = "11010519491231002X"
PAN = "6228480402564890018"
MASKED_ID = "110105********002X"
MASKED_PAN = "622848*********0018"

log = logging.getLogger("kiosk.test.logsetup")


@pytest.fixture(autouse=True)
def _restore_root_logger() -> Iterator[None]:
    root = logging.getLogger()
    level = root.level
    yield
    reset_logging()
    root.setLevel(level)


@pytest.fixture
def log_file(tmp_path: Path) -> Path:
    return tmp_path / "logs" / "kiosk.log"


def _flushed_text(path: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def test_numbers_in_messages_are_masked(log_file: Path) -> None:
    configure_logging(logging.INFO, log_file)
    log.info("read card %s for %s", PAN, ID_NUMBER)
    log.warning(f"customer {ID_NUMBER} asked again")
    text = _flushed_text(log_file)
    assert f"read card {MASKED_PAN} for {MASKED_ID}" in text
    assert f"customer {MASKED_ID} asked again" in text
    assert PAN not in text
    assert ID_NUMBER not in text


def test_numbers_in_tracebacks_are_masked(log_file: Path) -> None:
    configure_logging(logging.INFO, log_file)
    try:
        raise ValueError(f"card {PAN} refused for {ID_NUMBER}")
    except ValueError:
        log.exception("host call failed")
    text = _flushed_text(log_file)
    assert "Traceback (most recent call last)" in text
    assert f"ValueError: card {MASKED_PAN} refused for {MASKED_ID}" in text
    assert PAN not in text
    assert ID_NUMBER not in text


def test_stack_info_is_masked(log_file: Path) -> None:
    configure_logging(logging.INFO, log_file)
    log.info("where %s", PAN, stack_info=True)
    text = _flushed_text(log_file)
    assert "Stack (most recent call last)" in text
    assert PAN not in text


def test_a_message_with_bad_arguments_is_masked_too(log_file: Path) -> None:
    handler = configure_logging(logging.INFO, log_file)
    # A wrong placeholder: logging's error report would print the arguments raw. Handed to the
    # kiosk handler alone, since pytest's own capture handler raises on such a record.
    handler.handle(logging.LogRecord(log.name, logging.INFO, __file__, 1, "amount %d", (PAN,), None))
    text = _flushed_text(log_file)
    assert "unformattable log message" in text
    assert MASKED_PAN in text
    assert PAN not in text


def test_records_below_the_level_are_not_written(log_file: Path) -> None:
    configure_logging("WARNING", log_file)
    log.info("quiet")
    log.warning("loud")
    text = _flushed_text(log_file)
    assert "quiet" not in text
    assert "loud" in text


def test_configuring_twice_does_not_double_lines(log_file: Path) -> None:
    configure_logging(logging.INFO, log_file)
    configure_logging(logging.INFO, log_file)
    log.info("once")
    assert _flushed_text(log_file).count("once") == 1
    assert [h.get_name() for h in logging.getLogger().handlers].count("kiosk") == 1


def test_without_a_file_it_logs_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(logging.INFO, None)
    log.info("card %s", PAN)
    err = capsys.readouterr().err
    assert f"card {MASKED_PAN}" in err
    assert PAN not in err


def test_reset_removes_only_the_kiosk_handler(log_file: Path) -> None:
    root = logging.getLogger()
    before = list(root.handlers)
    configure_logging(logging.INFO, log_file)
    reset_logging()
    assert root.handlers == before


def test_the_filter_keeps_every_record() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "id %s", (ID_NUMBER,), None)
    assert MaskingFilter().filter(record) is True
    assert record.getMessage() == f"id {MASKED_ID}"
