"""The journal's hash chain: every entry carries SHA-256 over the previous entry's hash and itself.

An entry's hash covers the kiosk id the file is bound to, its sequence number and every stored column
(session, time, kind, name, the detail text exactly as stored). The first entry chains from a genesis
hash derived from the kiosk id. Sessions and host requests are rows that change; each change also
appends a ``row`` entry holding a digest of the row as written, so :func:`verify` can tell a row
edited behind the journal's back. Transactions are checked against their ``txn`` entries (the last one
names the state).

:func:`verify` reads a journal (a file, opened read-only, or an open :class:`Journal`) and names the
first broken record: an altered entry, a missing one, another kiosk's id, a row changed behind the chain,
or append-only triggers dropped. A chain without a secret proves nothing against someone who rewrites
the whole file and recomputes every hash: keep the chain head printed by ``kiosk journal verify``
elsewhere (the day's reconciliation) to anchor it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Mapping
from contextlib import closing
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.core.masking import scrub
from kiosk.journal.records import JournalError

if TYPE_CHECKING:
    from kiosk.journal.journal import Journal

UNBOUND = "unbound"  # the kiosk id of a journal opened without one
ROW_KIND = "row"  # EntryKind.ROW
CHAINED_ROWS = {"sessions": ("id", "session"), "host_requests": ("idempotency_key", "host request")}
REQUIRED_TRIGGERS = (
    "entries_no_update", "entries_no_delete", "sessions_no_delete", "host_requests_no_delete",
    "sessions_closed_once", "transactions_no_delete", "transactions_forward_only", "transactions_fixed",
    "reversal_queue_no_delete", "reversal_queue_settled_once",
)


@dataclass(frozen=True)
class Head:
    """The last entry's sequence number and hash (0 and the genesis hash in an empty journal)."""

    seq: int
    hash: str


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    entries_checked: int
    first_broken_seq: int | None  # the entry at fault (None when the fault is not one entry's)
    reason: str | None
    head: str | None = None  # the last entry's hash
    kiosk_id: str | None = None

    def summary(self) -> str:
        """One line: ``journal OK: N entries, chain head H`` or ``journal BROKEN at entry #S: reason``."""
        if self.ok:
            return f"journal OK: {self.entries_checked} entries, chain head {(self.head or '')[:16]}"
        where = f" at entry #{self.first_broken_seq}" if self.first_broken_seq is not None else ""
        return f"journal BROKEN{where}: {self.reason}"


def genesis(kiosk_id: str) -> str:
    return hashlib.sha256(b"kiosk journal genesis\x00" + kiosk_id.encode("utf-8")).hexdigest()


def canonical(kiosk_id: str, seq: int, session_id: Any, at: Any, kind: Any, name: Any, detail: Any) -> bytes:
    """The bytes an entry's hash covers: a compact JSON array of the stored values (bytes shown as repr)."""
    values = [kiosk_id, seq, session_id, at, kind, name, detail]
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"), default=repr).encode("utf-8")


def entry_hash(previous: str, kiosk_id: str, seq: int, session_id: Any, at: Any, kind: Any, name: Any,
               detail: Any) -> str:
    body = canonical(kiosk_id, seq, session_id, at, kind, name, detail)
    return hashlib.sha256(previous.encode("ascii") + b"\n" + body).hexdigest()


def row_digest(table: str, row: Mapping[str, Any]) -> str:
    """SHA-256 of a row's non-null columns (a column added later, null in old rows, changes nothing)."""
    values = sorted((k, v) for k, v in row.items() if v is not None)
    body = json.dumps([table, values], ensure_ascii=False, separators=(",", ":"), default=repr)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def row_entry(table: str, row: Mapping[str, Any], state: str) -> tuple[str, str]:
    """The name and detail text of the ``row`` entry for ``row`` as written (ids and a digest: nothing personal)."""
    key_column, label = CHAINED_ROWS[table]
    detail = {"table": table, "id": row[key_column], "state": state, "digest": row_digest(table, row)}
    return f"{label.replace(' ', '_')}.{state}", json.dumps(detail, ensure_ascii=False, sort_keys=True)


def read_head(conn: sqlite3.Connection, kiosk_id: str) -> Head:
    row = conn.execute("SELECT seq, hash FROM entries ORDER BY seq DESC LIMIT 1").fetchone()
    return Head(0, genesis(kiosk_id)) if row is None else Head(int(row[0]), str(row[1]))


def append(conn: sqlite3.Connection, kiosk_id: str, head: Head, session_id: str | None, at: str, kind: str,
           name: str, detail: str | None) -> Head:
    """Insert the entry after ``head`` (one INSERT, its sequence number given) and return the new head."""
    seq = head.seq + 1
    digest = entry_hash(head.hash, kiosk_id, seq, session_id, at, kind, name, detail)
    conn.execute("INSERT INTO entries (seq, session_id, at, kind, name, detail, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
                 (seq, session_id, at, kind, name, detail, digest))
    return Head(seq, digest)


def chain_unhashed(conn: sqlite3.Connection, kiosk_id: str) -> Head:
    """Give every entry without a hash its hash, in order (a migrated file); return the head.

    Entries already hashed are kept as they are: a journal is never re-chained over them."""
    previous = genesis(kiosk_id)
    rows = conn.execute("SELECT seq, session_id, at, kind, name, detail, hash FROM entries ORDER BY seq").fetchall()
    seq = 0
    for seq, session_id, at, kind, name, detail, stored in rows:
        if stored is None:
            stored = entry_hash(previous, kiosk_id, seq, session_id, at, kind, name, detail)
            conn.execute("UPDATE entries SET hash = ? WHERE seq = ?", (stored, seq))
        previous = stored
    return Head(seq, previous)


def rechain(conn: sqlite3.Connection, old_kiosk_id: str, new_kiosk_id: str) -> Head:
    """Move an intact chain from one kiosk id to another (an unbound journal's first binding)."""
    old_previous, new_previous, seq = genesis(old_kiosk_id), genesis(new_kiosk_id), 0
    rows = conn.execute("SELECT seq, session_id, at, kind, name, detail, hash FROM entries ORDER BY seq").fetchall()
    for seq, session_id, at, kind, name, detail, stored in rows:
        if stored != entry_hash(old_previous, old_kiosk_id, seq, session_id, at, kind, name, detail):
            raise JournalError(f"the journal's entry #{seq} was altered: it is not bound to kiosk {new_kiosk_id}")
        new_previous = entry_hash(new_previous, new_kiosk_id, seq, session_id, at, kind, name, detail)
        conn.execute("UPDATE entries SET hash = ? WHERE seq = ?", (new_previous, seq))
        old_previous = stored
    return Head(seq, new_previous)


def rows_of(conn: sqlite3.Connection, table: str) -> Iterable[dict[str, Any]]:
    cursor = conn.execute(f"SELECT * FROM {table} ORDER BY rowid")  # noqa: S608 (table from CHAINED_ROWS)
    names = [c[0] for c in cursor.description]
    return (dict(zip(names, row, strict=True)) for row in cursor)


# -- verifying ---------------------------------------------------------------------------------------


class _Broken(Exception):
    def __init__(self, seq: int | None, reason: str) -> None:
        super().__init__(reason)
        self.seq, self.reason = seq, reason


@dataclass
class _Walk:
    """What one pass over the entries learned: the head and the last entry about each mutable row."""

    checked: int = 0
    head: str = ""
    rows: dict[tuple[str, Any], tuple[int, str]] = field(default_factory=dict)  # (table, id) -> (seq, digest)
    txns: dict[Any, tuple[int, str]] = field(default_factory=dict)  # txn key (as journaled) -> (seq, state)
    amounts: dict[Any, Any] = field(default_factory=dict)  # txn key -> amount_fen of its intent


def verify(source: str | PathLike[str] | Journal, kiosk_id: str | None = None) -> VerifyReport:
    """Check a journal's chain, rows and triggers; ``kiosk_id``, when given, is the id it must be bound to."""
    if not isinstance(source, str | PathLike):
        return source.verify_chain(kiosk_id)
    uri = Path(source).resolve().as_uri() + "?mode=ro"
    try:
        with closing(sqlite3.connect(uri, uri=True, isolation_level=None)) as conn:
            return verify_connection(conn, kiosk_id)
    except sqlite3.DatabaseError as exc:  # not SQLite, or not a journal
        return VerifyReport(False, 0, None, f"not a readable journal: {exc}")


def verify_connection(conn: sqlite3.Connection, kiosk_id: str | None = None) -> VerifyReport:
    """:func:`verify` on an open connection, in one read transaction (a consistent snapshot)."""
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")
    bound, walk = None, _Walk()
    try:
        bound = _bound_kiosk(conn, kiosk_id)
        _walk(conn, bound, walk)
        _check_rows(conn, walk)
        missing = sorted(set(REQUIRED_TRIGGERS) - _triggers(conn))
        if missing:
            raise _Broken(None, f"append-only triggers missing: {', '.join(missing)}")
    except _Broken as broken:
        return VerifyReport(False, walk.checked, broken.seq, broken.reason, walk.head or None, bound)
    finally:
        if own:
            conn.execute("ROLLBACK")
    return VerifyReport(True, walk.checked, None, None, walk.head, bound)


def _bound_kiosk(conn: sqlite3.Connection, expected: str | None) -> str:
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "journal_meta" not in tables:
        raise _Broken(None, "the journal has no chain yet (schema v1): open it with the kiosk once to migrate it")
    meta = dict(conn.execute("SELECT key, value FROM journal_meta").fetchall())
    bound = meta.get("kiosk_id")
    if bound is None:
        raise _Broken(None, "wrong kiosk id: the journal is bound to no kiosk")
    if meta.get("genesis") != genesis(bound):
        raise _Broken(None, f"wrong kiosk id: the chain did not start for kiosk {bound} (its id was changed)")
    if expected is not None and bound != expected:
        raise _Broken(None, f"wrong kiosk id: the journal belongs to kiosk {bound}, not {expected}")
    return str(bound)


def _walk(conn: sqlite3.Connection, kiosk_id: str, walk: _Walk) -> None:
    previous, expected = genesis(kiosk_id), 1
    cursor = conn.execute("SELECT seq, session_id, at, kind, name, detail, hash FROM entries ORDER BY seq")
    for seq, session_id, at, kind, name, detail, stored in cursor:
        if seq != expected:
            raise _Broken(expected, f"gap in sequence: entry #{expected} is missing (deleted)")
        if stored != entry_hash(previous, kiosk_id, seq, session_id, at, kind, name, detail):
            raise _Broken(seq, f"hash mismatch: entry #{seq} was altered" if stored else f"entry #{seq} has no hash")
        previous, expected = stored, seq + 1
        walk.checked, walk.head = seq, stored
        _note(walk, seq, kind, name, detail)
    last = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'entries'").fetchone()
    if last is not None and int(last[0]) >= expected:
        raise _Broken(expected, f"gap in sequence: entries #{expected} to #{last[0]} are missing (deleted)")
    walk.head = walk.head or previous


def _note(walk: _Walk, seq: int, kind: str, name: str, detail: str | None) -> None:
    """Remember what an entry says about a mutable row (its hash matched: the detail is as written)."""
    if kind not in (ROW_KIND, "txn") or detail is None:
        return
    about = json.loads(detail)
    if kind == ROW_KIND:
        walk.rows[(about.get("table"), about.get("id"))] = (seq, about.get("digest"))
    elif "key" in about:
        walk.txns[about["key"]] = (seq, name)
        if name == "intent":
            walk.amounts[about["key"]] = about.get("amount_fen")


def _check_rows(conn: sqlite3.Connection, walk: _Walk) -> None:
    """Each session, host request and transaction against the last entry about it; the earliest fault wins."""
    faults: list[tuple[float, str]] = []
    for table, (key_column, label) in CHAINED_ROWS.items():
        seen = set()
        for row in rows_of(conn, table):
            key = row[key_column]
            seen.add(key)
            entry = walk.rows.get((table, key))
            if entry is None:
                faults.append((float("inf"), f"{label} {key} is not in the chain (written behind the journal's back)"))
            elif entry[1] != row_digest(table, row):
                faults.append((entry[0], f"{label} {key} changed behind the chain (it no longer matches entry "
                                         f"#{entry[0]})"))
        faults += [(seq, f"{label} {key} was deleted") for (t, key), (seq, _) in walk.rows.items()
                   if t == table and key not in seen]
    faults += _transaction_faults(conn, walk)
    if faults:
        seq, reason = min(faults, key=lambda fault: fault[0])
        raise _Broken(None if seq == float("inf") else int(seq), reason)


def _transaction_faults(conn: sqlite3.Connection, walk: _Walk) -> list[tuple[float, str]]:
    faults: list[tuple[float, str]] = []
    txns, amounts, seen = walk.txns, walk.amounts, set()
    for row in rows_of(conn, "transactions"):
        journaled = scrub({"key": row["key"]})["key"]  # txn entries hold the key as masked
        seen.add(journaled)
        entry = txns.get(journaled)
        if entry is None:
            faults.append((float("inf"), f"transaction {row['key']} is not in the chain"))
        elif entry[1] != row["state"] or amounts.get(journaled) != row["amount_fen"]:
            what = "state" if entry[1] != row["state"] else "amount"
            faults.append((entry[0], f"transaction {row['key']} changed behind the chain (its {what} no longer "
                                     f"matches entry #{entry[0]})"))
    return faults + [(seq, f"transaction {key} was deleted") for key, (seq, _) in txns.items() if key not in seen]


def _triggers(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
