"""A device's durable state: one small JSON file per device in the kiosk's device state folder.

A motorised card reader, a card dispenser and a printer hold cards and paper whatever happens to the
kiosk's process. What each device last did (:class:`~devices.api.LastOperation`) is written here before
the card or paper moves on, so a kiosk restarted after a crash or a power cut can ask its devices, as
XFS4IoT's present status lets a service ask, and recover (retain a card left at the gate or inside).

Writes are atomic: a temporary file in the same folder, flushed and fsynced, renamed over the state file
with ``os.replace``, then the folder fsynced so the rename itself survives a power cut. A reader sees the
old state or the new one, never half of either; a torn temporary file left by a crash is ignored (and
removed). A missing or corrupt state file reads as empty state, with a logged warning for a corrupt one.

Beside its last operation a device keeps its physical counts (key ``counts``): the dispenser's place in
its stock and its retain bin, a card reader's capture bin, a printer's paper. They are written in the same
atomic write as the operation that changes them, before the move is reported done, so a restarted kiosk's
devices hold what the real ones would hold.

No personal data: every state passes through :func:`kiosk.core.masking.scrub` before it is written, so
a card number is only ever stored masked (first 6 and last 4 digits).
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from devices.api import LastOperation, OperationStage
from devices.dispenser.api import RetainBin, RetainedCard
from kiosk.core.clock import Clock
from kiosk.core.masking import mask_pan, scrub

log = logging.getLogger(__name__)

SUFFIX = ".json"
TEMP_SUFFIX = ".tmp"
LAST_OPERATION = "last_operation"
COUNTS = "counts"
RETAINED = "retained"  # a retain bin's cards, in its device's counts


class DurableState:
    """The durable state of one device: ``state_dir/<device>.json``. ``state_dir=None`` keeps it in
    memory only (a simulator built without a state folder, as unit tests build them)."""

    def __init__(self, state_dir: Path | str | None, device: str) -> None:
        self.device = device
        self.path = Path(state_dir) / f"{device}{SUFFIX}" if state_dir is not None else None
        self._lock = threading.Lock()
        self._memory: dict[str, Any] = {}

    def load(self) -> dict[str, Any]:
        """The state as last saved; empty when there is none or it cannot be read (a warning says why)."""
        with self._lock:
            if self.path is None:
                return json.loads(json.dumps(self._memory))
            self._remove_torn_temp_files()
            try:
                text = self.path.read_text(encoding="utf-8")
            except FileNotFoundError:
                log.info("%s: no saved device state at %s; starting empty", self.device, self.path)
                return {}
            except OSError as exc:
                log.warning("%s: cannot read device state %s (%s); starting empty", self.device, self.path, exc)
                return {}
            try:
                state = json.loads(text)
            except ValueError as exc:
                log.warning("%s: corrupt device state %s (%s); starting empty", self.device, self.path, exc)
                return {}
            if not isinstance(state, dict):
                log.warning("%s: device state %s is not an object; starting empty", self.device, self.path)
                return {}
            return state

    def save(self, state: Mapping[str, Any]) -> None:
        """Replace the state atomically (temp file, fsync, rename, fsync of the folder)."""
        clean = scrub(dict(state))
        text = json.dumps(clean, ensure_ascii=False, sort_keys=True, indent=1)
        with self._lock:
            if self.path is None:
                self._memory = json.loads(text)
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}{TEMP_SUFFIX}")
            with open(temp, "w", encoding="utf-8") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, self.path)
            _fsync_dir(self.path.parent)

    def _remove_torn_temp_files(self) -> None:
        assert self.path is not None
        for temp in self.path.parent.glob(f".{self.path.name}.*{TEMP_SUFFIX}"):
            log.warning("%s: ignoring an unfinished state write %s", self.device, temp.name)
            temp.unlink(missing_ok=True)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class LastOperationStore:
    """A device's :class:`LastOperation` and its counts, read once when the device is built and written
    (together, in one atomic write) on every change.

    A print job still ``started`` when the state is read was cut off by the kiosk's end: it reads, and is
    saved, as ``interrupted``."""

    def __init__(self, state_dir: Path | str | None, device: str, clock: Clock) -> None:
        self.device = device
        self.clock = clock
        self._state = DurableState(state_dir, device)
        self._lock = threading.Lock()
        saved = self._state.load()
        self._last = self._read(saved)
        self._counts = self._read_counts(saved)
        if self._last is not None and self._last.stage is OperationStage.STARTED:
            self.record(self._last.operation, OperationStage.INTERRUPTED, card_masked=self._last.card_masked,
                        job_id=self._last.job_id, pages=self._last.pages, reason="restarted")

    @property
    def path(self) -> Path | None:
        return self._state.path

    def last(self) -> LastOperation | None:
        with self._lock:
            return self._last

    def counts(self) -> dict[str, Any]:
        """The device's counts as last saved (a copy; empty for a fresh device or an unreadable state)."""
        with self._lock:
            return json.loads(json.dumps(self._counts))

    def count(self, key: str, default: int) -> int:
        """One saved count (paper left, pages printed); ``default`` when there is none or it is unreadable."""
        with self._lock:
            value = self._counts.get(key, default)
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        log.warning("%s: unreadable count %s=%r in %s; starting with %d", self.device, key, value, self.path,
                    default)
        return default

    def save_counts(self, **counts: Any) -> None:
        """Save new values for some of the device's counts (durably, before returning); the others stay."""
        with self._lock:
            self._save(self._last, counts)

    def record(self, operation: str, stage: OperationStage, *, card_masked: str = "", job_id: str = "",
               pages: int = 0, reason: str = "", counts: Mapping[str, Any] | None = None) -> LastOperation:
        """Save the device's new last operation (durably, before returning), with the ``counts`` it changes
        in the same write. ``card_masked``: a masked PAN; a full one is masked here rather than stored."""
        last = LastOperation(self.device, operation, stage, self.clock.now(),
                             card_masked=mask_pan(card_masked) if card_masked and "*" not in card_masked
                             else card_masked, job_id=job_id, pages=pages, reason=reason)
        with self._lock:
            self._save(last, counts or {})
        return last

    def _save(self, last: LastOperation | None, changes: Mapping[str, Any]) -> None:
        counts = {**self._counts, **changes}
        state: dict[str, Any] = {COUNTS: counts} if counts else {}
        if last is not None:
            state[LAST_OPERATION] = last.to_json()
        self._state.save(state)
        self._last, self._counts = last, json.loads(json.dumps(scrub(counts)))

    def _read_counts(self, saved: Mapping[str, Any]) -> dict[str, Any]:
        counts = saved.get(COUNTS, {})
        if not isinstance(counts, dict):
            log.warning("%s: unreadable counts in %s; starting with fresh counts", self.device, self.path)
            return {}
        return counts

    def _read(self, saved: Mapping[str, Any]) -> LastOperation | None:
        raw = saved.get(LAST_OPERATION)
        if raw is None:
            return None
        try:
            return LastOperation.from_json(raw)
        except (KeyError, ValueError, TypeError) as exc:
            log.warning("%s: unreadable last operation in %s (%s); starting empty", self.device, self.path, exc)
            return None


class DurableBin(RetainBin):
    """A device's retain (capture) bin whose cards, masked, are saved with the device's counts: a card goes
    in (:meth:`keep`) in the same write as the operation that moves it there, and staff emptying the bin
    is saved before the cards are handed over. An unreadable saved bin starts empty, with a warning."""

    def __init__(self, store: LastOperationStore) -> None:
        super().__init__(self._restore(store))
        self._store = store

    def keep(self, card: RetainedCard, operation: str, stage: OperationStage) -> None:
        """Record ``operation`` at ``stage`` (retained, captured) for ``card`` and put the card in the bin."""
        with self._lock:
            self._store.record(operation, stage, card_masked=card.pan_masked, reason=card.reason,
                               counts=_bin_counts([*self._cards, card]))
            self._cards.append(card)

    def add(self, card: RetainedCard) -> None:
        with self._lock:
            self._store.save_counts(**_bin_counts([*self._cards, card]))
            self._cards.append(card)

    def empty(self) -> list[RetainedCard]:
        with self._lock:
            self._store.save_counts(**_bin_counts([]))
            cards, self._cards = self._cards, []
            return cards

    @staticmethod
    def _restore(store: LastOperationStore) -> list[RetainedCard]:
        raw = store.counts().get(RETAINED, [])
        try:
            return [RetainedCard.from_json(card) for card in raw]
        except (KeyError, ValueError, TypeError) as exc:
            log.warning("%s: unreadable retain bin in %s (%s); starting empty", store.device, store.path, exc)
            return []


def _bin_counts(cards: list[RetainedCard]) -> dict[str, Any]:
    return {RETAINED: [card.to_json() for card in cards]}
