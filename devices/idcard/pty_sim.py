"""The ID card reader simulated at the protocol level: a SAM reader behind a pseudo-terminal.

It owns a pseudo-terminal (``os.openpty``) and answers, from its own thread, the frames the kiosk
writes to :attr:`PtyIdCardSimulator.port_path`, so the real :class:`SerialIdCardReader` runs
unchanged on it. Test cards are the same :class:`IdCard` profiles (fields and photo) as the
behavioural simulator; QA's hands are the same too: :meth:`place`, :meth:`remove`, :meth:`current`.

Placing a card while another lies on the reader is a swap: the next FIND CARD sees the field empty
once, as it would while a hand changes the cards. So a card placed again can be read again.

The chip photo: the simulator cannot make real WLT (only the licensed decoder reads it). It sends
1024 marker bytes per card (devices.idcard.wlt.simulated_wlt) and :meth:`photo_decoder` maps those
bytes back to the profile photo. A real decoder would find nothing in them.

Faults (``inject(reason, times=1)``; FAULTS maps each to the error the real adapter raises):

* ``no_card``: FIND CARD answers 80 although a card lies on the reader.
* ``sam_failure``: the next request is answered with SW3 60 (SAM self-test failed).
* ``timeout``: the next card command (find, select, read) gets no reply; SAM STATUS still answers.
* ``offline``: no request gets a reply, until ``reset()`` or ``clear_faults()`` (sticky).
* ``read_failed``: READ BASE INFO answers 41.
* ``checksum``: the READ BASE INFO reply carries a wrong CHK.
* ``truncated``: the READ BASE INFO reply stops half way.

:meth:`answer_next` scripts the SW3 of the next reply to one command, for any status QA wants.
"""

from __future__ import annotations

import os
import select
import threading
import time
import tty
from collections import deque

from devices.api import ErrorCode, FaultInjection
from devices.idcard.api import IdCard
from devices.idcard.base_info import encode_base_info, encode_text
from devices.idcard.sam import (
    Command,
    FrameError,
    FrameReader,
    RawRequest,
    Response,
    Sw3,
    build_frame,
    encode_response,
)
from devices.idcard.wlt import SimulatorPhotoDecoder, simulated_wlt

SELECT_REPLY = bytes(8)  # the card serial number field; zeros on SAM readers
FIND_REPLY = bytes(4)
WRITE_GIVE_UP = 1.0
_FRAME_ERROR_REPLIES = {"checksum": Sw3.CHECKSUM_ERROR, "bad_length": Sw3.LENGTH_ERROR}


class PtyIdCardSimulator(FaultInjection):
    FAULTS = {
        "no_card": ErrorCode.TIMEOUT,
        "read_failed": ErrorCode.USER_ERROR,
        "checksum": ErrorCode.HARDWARE_ERROR,
        "truncated": ErrorCode.HARDWARE_ERROR,
        "sam_failure": ErrorCode.HARDWARE_ERROR,
        "timeout": ErrorCode.TIMEOUT,
        "offline": ErrorCode.NOT_READY,
    }

    def __init__(self, name: str = "idcard", history: int = 64) -> None:
        self.name = name
        self._init_faults()
        self._lock = threading.RLock()
        self._card: IdCard | None = None
        self._swap = False  # a card was exchanged for another: the next FIND sees an empty field
        self._found = self._selected = False
        self._empty_finds = 0  # FIND CARDs answered with an empty field: the reader saw no card
        self._photos: dict[bytes, bytes | None] = {}
        self._scripted: dict[Command, int] = {}
        self._exchanges: deque[tuple[bytes, bytes | None]] = deque(maxlen=history)
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)  # no echo, no line editing, no XON/XOFF: a binary line
        os.set_blocking(self._master, False)
        self.port_path = os.ttyname(self._slave)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name=f"{name}-pty-sim", daemon=True)
        self._thread.start()

    # -- QA controls (the same as the behavioural simulator's) -------------------------------
    def place(self, card: IdCard) -> None:
        """Put ``card`` on the reader (a swap when another card lies there)."""
        encode_text(card)  # a card that cannot be on a chip is refused now, not at the first read
        with self._lock:
            self._swap = self._card is not None
            self._card = card
            self._found = self._selected = False
            self._photos[simulated_wlt(card.id_number, card.photo)] = card.photo

    def remove(self) -> None:
        with self._lock:
            self._card = None
            self._swap = self._found = self._selected = False

    def current(self) -> IdCard | None:
        with self._lock:
            return self._card

    def empty_finds(self) -> int:
        """How many times the reader has polled and found the field empty (QA waits on it to know a
        removal was seen before placing the next card)."""
        with self._lock:
            return self._empty_finds

    def answer_next(self, command: Command, sw3: int) -> None:
        """Answer the next ``command`` with status ``sw3`` (and no data), whatever the card."""
        with self._lock:
            self._scripted[command] = sw3

    def history(self) -> list[tuple[bytes, bytes | None]]:
        """The latest (request, reply) frames, oldest first; reply None where the reader kept silent."""
        with self._lock:
            return list(self._exchanges)

    def clear_history(self) -> None:
        with self._lock:
            self._exchanges.clear()

    def photo_decoder(self) -> SimulatorPhotoDecoder:
        return SimulatorPhotoDecoder(self._photos)

    def is_offline(self) -> bool:
        return "offline" in self.armed_faults()

    def reset(self) -> None:
        self.clear_faults()
        with self._lock:
            self._scripted.clear()

    def close(self) -> None:
        if self._stop.is_set():
            return
        self._stop.set()
        self._thread.join(timeout=2)
        os.close(self._master)
        os.close(self._slave)

    # -- the reader's side -------------------------------------------------------------------
    def _serve(self) -> None:
        reader = FrameReader("request")
        while not self._stop.is_set():
            readable, _, _ = select.select([self._master], [], [], 0.05)
            if not readable:
                continue
            try:
                data = os.read(self._master, 4096)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:  # the line is gone (closing)
                return
            try:
                requests = reader.feed_requests(data)
            except FrameError as exc:  # a reader answers what it can and drops the rest
                sw3 = _FRAME_ERROR_REPLIES.get(exc.reason)
                self._send(data, None if sw3 is None else encode_response(Response(sw3)))
                continue
            for request in requests:
                self._send(build_frame(bytes([request.cmd, request.para]) + request.data), self._answer(request))

    def _answer(self, request: RawRequest) -> bytes | None:
        """The reply frame to one request, or None for silence."""
        if self.is_offline():
            return None
        command = request.command
        if command is None:
            return encode_response(Response(Sw3.BAD_COMMAND))
        with self._lock:
            scripted = self._scripted.pop(command, None)
        if scripted is not None:
            return encode_response(Response(scripted))
        if self._take_fault("sam_failure"):
            return encode_response(Response(Sw3.SAM_SELF_TEST_FAILED))
        if command is not Command.SAM_STATUS and self._take_fault("timeout"):
            return None
        with self._lock:
            if command is Command.FIND_CARD:
                return self._find()
            if command is Command.SELECT_CARD:
                return self._select()
            if command is Command.READ_BASE_INFO:
                return self._read_base_info()
        return encode_response(Response(Sw3.OK))  # SAM STATUS

    def _find(self) -> bytes:
        found = self._card is not None and not self._swap and not self._take_fault("no_card")
        self._swap = False
        self._found, self._selected = found, False
        self._empty_finds += not found
        return encode_response(Response(Sw3.FOUND, FIND_REPLY) if found else Response(Sw3.FIND_FAILED))

    def _select(self) -> bytes:
        self._selected = self._found and self._card is not None
        return encode_response(Response(Sw3.OK, SELECT_REPLY) if self._selected else Response(Sw3.SELECT_FAILED))

    def _read_base_info(self) -> bytes:
        card = self._card
        if card is None or not self._selected or self._take_fault("read_failed"):
            return encode_response(Response(Sw3.READ_FAILED))
        frame = encode_response(Response(Sw3.OK, encode_base_info(card, simulated_wlt(card.id_number, card.photo))))
        if self._take_fault("checksum"):
            return frame[:-1] + bytes([frame[-1] ^ 0xFF])
        if self._take_fault("truncated"):
            return frame[: len(frame) // 2]
        return frame

    def _send(self, request: bytes, reply: bytes | None) -> None:
        with self._lock:
            self._exchanges.append((request, reply))
        view = memoryview(reply or b"")
        give_up = time.monotonic() + WRITE_GIVE_UP
        while view and time.monotonic() < give_up and not self._stop.is_set():
            try:
                view = view[os.write(self._master, view):]
            except BlockingIOError:
                select.select([], [self._master], [], 0.05)
            except OSError:
                return
