"""The invariants a kiosk's data folder must hold after any run, crash and recovery (Jepsen's "bank" check).

Read straight from the files, as an auditor would: the journal (``journal.sqlite``), the host simulator's books
(``host-simulator.sqlite``), and every other file the kiosk wrote (logs, spools, device state, queues).

1. ``one_posting_per_key``: the host posted at most once under each idempotency key (every book that keeps the
   key, not only the ledger's index).
2. ``ledger_matches_journal``: every transaction the journal completed is posted at the host with the same amount;
   every one it declined is not; every reversed one is not posted or is reversed (it nets to zero); and every
   posting the host made for this kiosk's transactions is one the journal completed, reversed or holds as suspect.
3. ``all_terminal``: no transaction is left in a non-terminal state, no reversal waits in the queue.
4. ``chain_valid``: the journal's hash chain verifies (``kiosk journal verify``).
5. ``cards_once``: every card issued or retained has exactly one journal record.
6. ``no_personal_data``: no full ID number, card number, PIN or PIN block in any file but the host's books.
"""

from __future__ import annotations

import json
import re
import sqlite3
import sys
from array import array
from collections import Counter
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.engine.recovery import RETAINED_ON_RECOVERY
from kiosk.journal.records import TxnState

JOURNAL = "journal.sqlite"
HOST_BOOKS = "host-simulator.sqlite"
REVERSE_OP = "postings.reverse"
MOVES_TABLES = frozenset({"posting_moves"})  # a posting's balance movements: one row per account it moved
SETTLED = {TxnState.COMPLETED.value, TxnState.REVERSED.value, TxnState.SUSPECT.value}


@dataclass(frozen=True)
class Violation:
    invariant: str
    detail: str


def read_only(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    return conn


def check(data_dir: Path, *, terminal: bool = True, secrets: dict[bytes, str] | None = None,
          since: str | None = None, unknown_waits: bool = False) -> list[Violation]:
    """Every invariant over ``data_dir``; ``terminal``: after recovery and the queue's drain (else skip 3).
    ``since`` (ISO time): compare with the host only the transactions begun since (the host's books were reseeded
    then). ``unknown_waits``: after a session rather than a start, a transaction whose answer never came and that
    the host could not be asked about either (``unknown``) may wait for the next start or the idle kiosk."""
    journal_path, host_path = data_dir / JOURNAL, data_dir / HOST_BOOKS
    found: list[Violation] = []
    if not journal_path.exists():
        return [Violation("journal", f"no journal at {journal_path}")]
    with closing(read_only(journal_path)) as journal:
        txns = [dict(row) for row in journal.execute("SELECT * FROM transactions ORDER BY created_at, rowid")]
        if host_path.exists():
            with closing(read_only(host_path)) as host:
                found += one_posting_per_key(host)
                found += ledger_matches_journal(host, [t for t in txns if since is None or t["created_at"] >= since])
        elif any(t["state"] != TxnState.DECLINED.value for t in txns):
            found.append(Violation("ledger_matches_journal", f"transactions in the journal, no host books at {host_path}"))
        if terminal:
            found += all_terminal(journal, [t for t in txns if not (unknown_waits and t["state"] == "unknown")])
        found += cards_once(journal, data_dir / "devices")
    found += chain_valid(journal_path)
    found += no_personal_data(data_dir, secrets)
    return found


def one_posting_per_key(host: sqlite3.Connection) -> list[Violation]:
    found = []
    tables = [row[0] for row in host.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        if table in MOVES_TABLES:
            continue
        columns = {row[1] for row in host.execute(f"PRAGMA table_info({table})")}
        if "idempotency_key" not in columns:
            continue
        for key, count in host.execute(
                f"SELECT idempotency_key, COUNT(*) FROM {table} WHERE idempotency_key IS NOT NULL"
                " GROUP BY idempotency_key HAVING COUNT(*) > 1"):
            found.append(Violation("one_posting_per_key", f"{table}: key {key[:12]} posted {count} times"))
    return found


def host_postings(host: sqlite3.Connection) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """The host's successful postings by key, and the keys it reversed (original key -> reversal key)."""
    posted: dict[str, dict[str, Any]] = {}
    reversed_by: dict[str, str] = {}
    for row in host.execute("SELECT idempotency_key, op, http_status, reply, amount_fen FROM postings"):
        if row["http_status"] != 200:
            continue
        if row["op"] == REVERSE_OP:
            result = (json.loads(row["reply"]) or {}).get("result") or {}
            if result.get("original_key"):
                reversed_by[str(result["original_key"])] = row["idempotency_key"]
            continue
        posted[row["idempotency_key"]] = {"op": row["op"], "amount_fen": row["amount_fen"]}
    return posted, reversed_by


def ledger_matches_journal(host: sqlite3.Connection, txns: Iterable[dict[str, Any]]) -> list[Violation]:
    posted, reversed_by = host_postings(host)
    found = []
    for txn in txns:
        key, state, short = txn["key"], txn["state"], f"{txn['op']} {txn['key'][:12]}"
        at_host = posted.get(key)
        live = at_host is not None and key not in reversed_by
        if state == TxnState.COMPLETED.value:
            if at_host is None or not live:
                found.append(Violation("ledger_matches_journal",
                                       f"{short} completed in the journal, {'reversed' if at_host else 'absent'} at the host"))
            elif txn["amount_fen"] is not None and at_host["amount_fen"] is not None \
                    and txn["amount_fen"] != at_host["amount_fen"]:
                found.append(Violation("ledger_matches_journal",
                                       f"{short}: journal {txn['amount_fen']} fen, host {at_host['amount_fen']} fen"))
        elif state == TxnState.DECLINED.value and at_host is not None:
            found.append(Violation("ledger_matches_journal", f"{short} declined in the journal, posted at the host"))
        elif state == TxnState.REVERSED.value and live:
            found.append(Violation("ledger_matches_journal", f"{short} reversed in the journal, still posted at the host"))
        elif state == TxnState.REVERSED.value and key in reversed_by:
            found += _nets_to_zero(host, short, key, reversed_by[key])
        elif state == TxnState.INTENT.value and at_host is not None:
            found.append(Violation("ledger_matches_journal", f"{short} only an intent in the journal, posted at the host"))
    return found


def _nets_to_zero(host: sqlite3.Connection, short: str, key: str, reversal_key: str) -> list[Violation]:
    """A reversed posting and its reversal move every account by nothing, in sum."""
    if not host.execute("SELECT 1 FROM sqlite_master WHERE name = 'posting_moves'").fetchone():
        return []
    rows = host.execute("SELECT account_no, SUM(delta_fen) FROM posting_moves WHERE idempotency_key IN (?, ?)"
                        " GROUP BY account_no HAVING SUM(delta_fen) != 0", (key, reversal_key)).fetchall()
    return [Violation("ledger_matches_journal", f"{short} reversed, but account ...{str(acct)[-4:]} moved {net} fen")
            for acct, net in rows]


def all_terminal(journal: sqlite3.Connection, txns: Iterable[dict[str, Any]]) -> list[Violation]:
    terminal = {s.value for s in TxnState if s.terminal}
    found = [Violation("all_terminal", f"{t['op']} {t['key'][:12]} left {t['state']}")
             for t in txns if t["state"] not in terminal]
    pending = journal.execute("SELECT COUNT(*) FROM reversal_queue WHERE state = 'pending'").fetchone()[0]
    if pending:
        found.append(Violation("all_terminal", f"{pending} reversal(s) still wait in the queue"))
    open_sessions = journal.execute("SELECT COUNT(*) FROM sessions WHERE ended_at IS NULL").fetchone()[0]
    if open_sessions:
        found.append(Violation("all_terminal", f"{open_sessions} session(s) never closed"))
    return found


def cards_once(journal: sqlite3.Connection, device_dir: Path) -> list[Violation]:
    """A card a recovery retained has exactly one journal record in that recovery, and the card a device last
    retained for recovery (its durable last operation) has one."""
    found = []
    records: Counter[tuple[str, str, str, str]] = Counter()
    for (detail,) in journal.execute("SELECT detail FROM entries WHERE kind = 'device' AND name = ?",
                                     (RETAINED_ON_RECOVERY,)):
        d = json.loads(detail)
        records[(str(d.get("device")), str(d.get("card")), str(d.get("device_at")), str(d.get("recovery")))] += 1
    found += [Violation("cards_once", f"{device}: card {card} retained at {at} journaled {n} times in one recovery")
              for (device, card, at, _run), n in records.items() if n > 1]
    journaled = {key[:3] for key in records}
    for state_file in sorted(device_dir.glob("*.json")) if device_dir.is_dir() else ():
        last = (json.loads(state_file.read_text(encoding="utf-8")) or {}).get("last_operation") or {}
        if last.get("reason") == "recovery" and last.get("stage") in ("retained", "captured"):
            key = (str(last.get("device")), str(last.get("card_masked")), str(last.get("at")))
            if key not in journaled:
                found.append(Violation("cards_once", f"{key[0]} retained card {key[1]} at recovery; not journaled"))
    return found


def chain_valid(journal_path: Path) -> list[Violation]:
    try:
        from kiosk.journal.chain import verify  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return []
    report = verify(journal_path)
    if report.ok:
        return []
    return [Violation("chain_valid", f"entry #{report.first_broken_seq}: {report.reason}")]


WORD = 8  # raw needles this long or more (PIN blocks: 16 bytes) are found through the file's aligned words
TEXT_NEEDLE = re.compile(rb"[0-9A-Fa-fX]+")  # card and ID numbers, PIN blocks as hex: found inside digit runs
SHORT = 8  # a needle this short (a PIN, a password) counts only as a whole token: inside a hash it is chance


def no_personal_data(data_dir: Path, secrets: dict[bytes, str] | None = None,
                     bank_side: tuple[str, ...] = (HOST_BOOKS,)) -> list[Violation]:
    """Every file under ``data_dir`` but the bank's books (names starting with ``bank_side``) and TOML inputs."""
    needles = secrets if secrets is not None else demo_secrets()
    search = Needles(list(needles))
    found = []
    for path in sorted(data_dir.rglob("*")):
        if not path.is_file() or path.name.startswith(bank_side) or path.suffix == ".toml":
            continue
        hits = search.found_in(path.read_bytes())
        found += [Violation("no_personal_data", f"{path.relative_to(data_dir)}: {needles[n]}") for n in sorted(hits)]
    return found


class Needles:
    """The secrets, prepared once to be found in many files in one pass each, as a search for each would find
    them (a search per secret took 45 s on a 30 MB journal; the suite's sweep reads thousands of files):

    - a PIN or a password (SHORT or less) only where it stands alone: six digits inside a hash are chance;
    - card and ID numbers, PIN blocks as hex: every window of a needle's length in each run of digits and hex
      letters is looked up, so a number inside a longer one is found;
    - PIN blocks as bytes (16): wherever one stands it covers a whole WORD-aligned word of the file, so the file's
      aligned words are looked up among the needles' words and only those few candidates are searched for.
    """

    def __init__(self, needles: list[bytes]) -> None:
        short = [n for n in needles if len(n) <= SHORT]
        self.tokens = _whole_tokens(short)
        self.text = {n for n in needles if len(n) > SHORT and TEXT_NEEDLE.fullmatch(n)}
        self.lengths = sorted({len(n) for n in self.text})
        self.runs = re.compile(rb"[0-9A-Fa-fX]{%d,}" % self.lengths[0]) if self.lengths else None
        raw = [n for n in needles if len(n) > SHORT and n not in self.text]
        self.raw_short = [n for n in raw if len(n) < 2 * WORD - 1]
        self.words: dict[int, list[bytes]] = {}
        for needle in raw:
            if len(needle) >= 2 * WORD - 1:
                for k in range(WORD):
                    self.words.setdefault(int.from_bytes(needle[k:k + WORD], sys.byteorder), []).append(needle)

    def found_in(self, data: bytes) -> set[bytes]:
        hits = set(self.tokens.findall(data)) if self.tokens is not None else set()
        hits |= self._in_runs(data)
        hits |= {n for n in self.raw_short if n in data}
        hits |= {n for n in self._raw_candidates(data) if n in data}
        return hits

    def _in_runs(self, data: bytes) -> set[bytes]:
        hits = set()
        for run in set(self.runs.findall(data)) if self.runs is not None else ():
            for size in self.lengths:
                for start in range(len(run) - size + 1):
                    window = run[start:start + size]
                    if window in self.text:
                        hits.add(window)
        return hits

    def _raw_candidates(self, data: bytes) -> set[bytes]:
        candidates: set[bytes] = set()
        if not self.words:
            return candidates
        end = len(data) - len(data) % WORD
        for start in range(0, end, 1 << 20):  # a megabyte of words at a time
            chunk = array("Q", data[start:min(end, start + (1 << 20))])
            for word in self.words.keys() & set(chunk):
                candidates.update(self.words[word])
        return candidates


def _whole_tokens(short: list[bytes]) -> re.Pattern[bytes] | None:
    """A PIN or a password found only where it stands alone (not inside a longer run of letters and digits)."""
    if not short:
        return None
    alternatives = b"|".join(re.escape(n) for n in sorted(short, key=len, reverse=True))
    return re.compile(rb"(?<![0-9A-Za-z])(?:" + alternatives + rb")(?![0-9A-Za-z])")


SCENARIO_PINS = ("258369", "258360", "582936", "582937", "850312", "920718")  # PINs the scenarios set
WORKING_KEY = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")  # the demo PIN pad's test key


def demo_secrets() -> dict[bytes, str]:
    """What must never be written outside the host's books, for the demo people: ID numbers, card numbers, PINs
    and their PIN blocks, staff passwords."""
    from devices.pinpad.pinblock import encrypt_pin
    from devices.sim_profiles import load_people

    people = load_people()
    found: dict[bytes, str] = {}
    pans = {p.card.pan: p.holder_key for p in people.bank_cards.values()}
    pans.update({card.pan: "stock card" for card in people.stock})
    for key, card in people.id_cards.items():
        found[card.id_number.encode()] = f"ID number of {key}"
    for pan, owner in pans.items():
        found[pan.encode()] = f"card number of {owner}"
    pans.update({m.card.card.pan: f"staff card of {m.number}" for m in people.staff if m.card is not None})
    for member in people.staff:
        found[member.password.encode()] = f"password of {member.number}"
    pins = {str(c["pin"]) for p in people.persons.values() for c in p.get("card", []) if "pin" in c}
    pins |= set(SCENARIO_PINS)
    pins |= {m.card_pin for m in people.staff if m.card_pin}
    for pin in pins:
        found[pin.encode()] = "a PIN"
        for pan in pans:
            block = encrypt_pin(pin, pan, WORKING_KEY)
            found[block] = found[block.hex().encode()] = found[block.hex().upper().encode()] = "a PIN block"
    return found
