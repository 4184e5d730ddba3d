"""The electronic journal (SQLite): every session, step, device action and host request, masked."""

from kiosk.journal.journal import Journal
from kiosk.journal.records import (
    Entry,
    EntryKind,
    HostRequestRecord,
    HostStatus,
    JournalError,
    SessionOutcome,
    SessionRecord,
)

__all__ = [
    "Entry",
    "EntryKind",
    "HostRequestRecord",
    "HostStatus",
    "Journal",
    "JournalError",
    "SessionOutcome",
    "SessionRecord",
]
