"""The real resident ID card reader: a SAM reader on a serial port (pyserial, 115200 8N1).

A read asks the SAM for its status (is the reader there and well?), then polls FIND CARD about
once a second (``poll_interval``, real time: it is the reader's rhythm) until a card is found, the
deadline passes on the injected clock, or the caller cancels. A found card is selected and its base
info read, decoded and checked (devices.idcard.base_info), and its WLT photo handed to the
configured decoder (devices.idcard.wlt; none -> ``photo=None``).

A card that was read stays "read" until FIND CARD stops finding it: as long as it lies on the
antenna it is not read again, and the next read waits for it to leave and a card to come.

Errors (DeviceError, device ``idcard``): the port cannot be opened -> NOT_READY ``no_port``; the SAM
does not answer -> NOT_READY ``offline``; a card command gets no reply while the SAM still answers
-> TIMEOUT ``timeout``; no card before the deadline -> TIMEOUT ``no_card``; a bad frame ->
HARDWARE_ERROR ``checksum``/``truncated``/``garbage``/``bad_length``; a status byte -> its mapping in
devices.idcard.sam.SW3_ERRORS; fields that do not decode -> USER_ERROR ``card_data_invalid``. A
hardware or fraud error shows as FAULT in :meth:`status` until the next good read or :meth:`reset`.
:meth:`status` never touches the port (the UI thread asks it), it reports what the last call saw.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from devices.api import (
    CallGuard,
    Cancellation,
    DeviceError,
    DeviceEvent,
    DeviceState,
    DeviceStatus,
    ErrorCode,
    EventSink,
    ignore_events,
)
from devices.idcard.api import IdCard
from devices.idcard.base_info import BaseInfoError, decode_base_info, id_number_problem
from devices.idcard.link import LinkError, NoReply, SamLink
from devices.idcard.sam import Command, FrameError, Request, Response, SamStatusError, Sw3
from devices.idcard.wlt import NoPhotoDecoder, PhotoDecoder, PhotoUnavailable
from kiosk.core.clock import Clock
from kiosk.core.masking import mask_id_number

log = logging.getLogger(__name__)

REPLY_TIMEOUT = 3.0  # seconds for one reply; reading the chip takes about one second on real readers
POLL_INTERVAL = 1.0
WAIT_SLICE = 0.01


class SerialIdCardReader:
    def __init__(self, port: str, clock: Clock, timeout: float = REPLY_TIMEOUT,
                 decoder: PhotoDecoder | None = None, *, name: str = "idcard",
                 poll_interval: float = POLL_INTERVAL, reject_invalid_id_number: bool = False) -> None:
        """``timeout`` bounds each reply on the line; ``read(timeout=...)`` bounds the wait for a card.
        ``reject_invalid_id_number``: refuse (FRAUD_ATTEMPT ``id_number_invalid``) a card whose number
        fails GB 11643 instead of returning it for the kiosk's identity checks to refuse."""
        self.name = name
        self.port = port
        self.clock = clock
        self.poll_interval = poll_interval
        self.reject_invalid_id_number = reject_invalid_id_number
        self._decoder: PhotoDecoder = decoder or NoPhotoDecoder()
        self._link = SamLink(port, timeout)
        self._lock = threading.RLock()  # guards the state below
        self._io = threading.Lock()  # one exchange on the line at a time
        self._guard = CallGuard(self._lock)
        self._closed = False
        self._offline: tuple[str, str] | None = None  # (reason, detail) while the reader cannot be reached
        self._card_read = False  # a card was read and has not left the field since
        self._reads = 0
        self._open()

    # -- Device ------------------------------------------------------------------------------
    def status(self) -> DeviceStatus:
        with self._lock:
            counters = {"reads": self._reads}
            if self._closed:
                return DeviceStatus(self.name, DeviceState.OFFLINE, "closed", "closed", counters)
            if self._offline is not None:
                return DeviceStatus(self.name, DeviceState.OFFLINE, self._offline[0], self._offline[1], counters)
            detail = "card on the reader, already read" if self._card_read else f"port {self.port}"
            if self._guard.latched is not None:
                return DeviceStatus(self.name, DeviceState.FAULT, self._guard.latched, detail, counters)
            state = DeviceState.BUSY if self._guard.busy else DeviceState.OK
            return DeviceStatus(self.name, state, None, detail, counters)

    def reset(self) -> None:
        """Staff servicing: forget a latched fault and (re)open the port if it is closed."""
        with self._lock:
            self._guard.clear()
            if self._closed:
                return
        self._open()

    def close(self) -> None:
        with self._lock:
            self._closed = True
        with self._io:
            self._link.close()

    # -- IdCardReader ------------------------------------------------------------------------
    def read(self, timeout: float, cancel: Cancellation, on_event: EventSink = ignore_events) -> IdCard:
        with self._operation():
            self._ensure_open()
            self._probe()
            deadline = self.clock.monotonic() + max(timeout, 0.0)
            while True:
                self._check_going_on(cancel)
                if self._card_to_read():
                    on_event(DeviceEvent(self.name, "card_detected", {}))
                    return self._read_card()
                self._until_next_poll(deadline, timeout, cancel)

    # -- the steps of a read -----------------------------------------------------------------
    def _probe(self) -> None:
        """SAM STATUS: the reader is there and its security module well, or an error."""
        self._expect(Command.SAM_STATUS)

    def _card_to_read(self) -> bool:
        response = self._ask(Command.FIND_CARD)
        if response.sw3 == Sw3.FIND_FAILED:
            with self._lock:
                self._card_read = False  # the field is empty: the card that was read has left
            return False
        if not response.ok:
            raise SamStatusError(response.sw3, Command.FIND_CARD).device_error(self.name)
        with self._lock:
            return not self._card_read

    def _read_card(self) -> IdCard:
        self._expect(Command.SELECT_CARD)
        response = self._expect(Command.READ_BASE_INFO)
        try:
            info = decode_base_info(response.data)
        except BaseInfoError as exc:
            raise self._error(ErrorCode.USER_ERROR, "card_data_invalid", str(exc)) from None
        card = info.card
        problem = id_number_problem(card.id_number, card.birth_date)
        if problem is not None:
            log.warning("%s: ID number %s fails GB 11643 (%s)", self.name, mask_id_number(card.id_number), problem)
            if self.reject_invalid_id_number:
                raise self._error(ErrorCode.FRAUD_ATTEMPT, "id_number_invalid", f"GB 11643: {problem}")
        with self._lock:
            self._card_read = True
            self._reads += 1
        return dataclasses.replace(card, photo=self._photo(info.wlt))

    def _photo(self, wlt: bytes) -> bytes | None:
        try:
            return self._decoder.decode(wlt)
        except PhotoUnavailable as exc:
            log.info("%s: photo unavailable: %s", self.name, exc)
            return None

    def _until_next_poll(self, deadline: float, timeout: float, cancel: Cancellation) -> None:
        next_poll = time.monotonic() + self.poll_interval
        while True:
            self._check_going_on(cancel)
            if self.clock.monotonic() >= deadline:
                raise self._error(ErrorCode.TIMEOUT, "no_card", f"no card within {timeout:g} s")
            if time.monotonic() >= next_poll:
                return
            cancel.wait(WAIT_SLICE)

    # -- one exchange ------------------------------------------------------------------------
    def _expect(self, command: Command) -> Response:
        response = self._ask(command)
        if not response.ok:
            raise SamStatusError(response.sw3, command).device_error(self.name)
        return response

    def _ask(self, command: Command) -> Response:
        """One request and its reply. No reply to SAM STATUS means the reader is offline; no reply
        to a card command is a timeout if the SAM still answers, and offline if it does not."""
        try:
            return self._exchange(command)
        except NoReply as exc:
            if command is Command.SAM_STATUS:
                detail = f"the reader on {self.port} does not answer ({exc})"
                self._set_offline("offline", detail)
                raise self._error(ErrorCode.NOT_READY, "offline", detail) from None
            detail = f"no reply to {command.name} ({exc})"
        self._probe()
        raise self._error(ErrorCode.TIMEOUT, "timeout", detail)

    def _exchange(self, command: Command) -> Response:
        with self._io:
            if self._closed:
                raise self._error(ErrorCode.NOT_READY, "closed", "the reader was closed")
            try:
                response = self._link.transact(Request(command))
            except LinkError as exc:
                self._set_offline(exc.reason, exc.detail)
                raise self._error(ErrorCode.NOT_READY, exc.reason, exc.detail) from None
            except FrameError as exc:
                raise exc.device_error(self.name) from None
        self._set_offline(None)
        return response

    # -- state -------------------------------------------------------------------------------
    def _open(self) -> None:
        with self._io:
            try:
                self._link.open()
            except LinkError as exc:
                self._set_offline(exc.reason, exc.detail)
                log.warning("%s: %s", self.name, exc.detail)
            else:
                self._set_offline(None)

    def _ensure_open(self) -> None:
        if not self._link.is_open:
            self._open()
        with self._lock:
            if self._offline is not None and self._offline[0] == "no_port":
                raise self._error(ErrorCode.NOT_READY, *self._offline)

    def _set_offline(self, reason: str | None, detail: str = "") -> None:
        with self._lock:
            self._offline = None if reason is None else (reason, detail)

    def _check_going_on(self, cancel: Cancellation) -> None:
        if cancel.cancelled:
            raise self._error(ErrorCode.CANCELLED, "cancelled")
        if self._closed:
            raise self._error(ErrorCode.NOT_READY, "closed", "the reader was closed")

    def _error(self, code: ErrorCode, reason: str, detail: str = "") -> DeviceError:
        return DeviceError(self.name, code, reason, detail)

    @contextmanager
    def _operation(self) -> Iterator[None]:
        """One call at a time; a hardware or fraud error latches FAULT until a good read or reset()."""
        with self._lock:
            if self._closed:
                raise self._error(ErrorCode.NOT_READY, "closed", "the reader was closed")
        with self._guard.call(lambda: self._error(ErrorCode.NOT_READY, "busy", "another read is running")):
            yield
