"""Logging for the kiosk process: every line masked before it reaches a file or the console.

:class:`MaskingFilter` sits on the kiosk's handlers (not on a logger: a logger's filters do not
see records propagated from child loggers), so an ID or card number in any module's message, or
in a traceback, is masked wherever it came from.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

from kiosk.core.masking import mask_text

LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(threadName)s] %(message)s"
MAX_LOG_BYTES = 5 * 1024 * 1024
LOG_BACKUPS = 10

_KIOSK_HANDLER = "kiosk"  # the name that marks the handler configure_logging installed


class MaskingFilter(logging.Filter):
    """Masks ID, card and mobile numbers (and drops track data) in the final message,
    the exception text and the stack text of every record. Never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = _masked_message(record), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_text(record.stack_info)
        return True


def _masked_message(record: logging.LogRecord) -> str:
    try:
        return mask_text(record.getMessage())
    except Exception:  # bad arguments: logging would print them raw from handleError
        return mask_text(f"unformattable log message {record.msg!r} with arguments {record.args!r}")


def configure_logging(level: int | str = logging.INFO, log_file: Path | None = None) -> logging.Handler:
    """Send the kiosk's logs, masked, to a rotating ``log_file`` or else to stderr.

    Calling it again replaces the handler it installed before (no doubled lines); it returns the
    handler now in place.
    """
    reset_logging()
    handler = _file_handler(log_file) if log_file is not None else logging.StreamHandler(sys.stderr)
    handler.set_name(_KIOSK_HANDLER)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.addFilter(MaskingFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    return handler


def _file_handler(log_file: Path) -> logging.Handler:
    log_file.parent.mkdir(parents=True, exist_ok=True)
    return logging.handlers.RotatingFileHandler(
        log_file, maxBytes=MAX_LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
    )


def reset_logging() -> None:
    """Remove and close the handler configure_logging installed, if any."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() == _KIOSK_HANDLER]:
        root.removeHandler(handler)
        handler.close()
