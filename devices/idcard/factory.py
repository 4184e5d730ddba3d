"""Builds the ID card reader a configuration names. The composition root (kiosk.app.compose) calls
:func:`build_idcard`; nothing else chooses between real and simulated.

* ``"sim"``: the protocol-level simulator on a pseudo-terminal, and the real
  :class:`SerialIdCardReader` on it (so the adapter that drives real hardware is what runs). The
  photo comes from the simulator's decoder unless another is given.
* ``"behavioural"``: the in-process behavioural simulator (no frames, no pseudo-terminal).
* ``"serial"``: :class:`SerialIdCardReader` on ``port`` (a reader on real hardware). A missing or
  unplugged port does not stop the kiosk: the reader reports NOT_READY ``no_port`` in one line.

The second value returned is what QA's hands and fault buttons act on (``place``, ``remove``,
``current``, ``inject``, ``clear_faults``, ``reset``), None for real hardware. Close it after the
reader: ``reader.close(); qa_controls.close()`` (for ``"behavioural"`` both are the same object).
"""

from __future__ import annotations

from typing import Protocol

from devices.api import ErrorCode
from devices.backends import unknown_backend
from devices.idcard.api import IdCard, IdCardReader
from devices.idcard.pty_sim import PtyIdCardSimulator
from devices.idcard.serial_reader import POLL_INTERVAL, REPLY_TIMEOUT, SerialIdCardReader
from devices.idcard.sim import SimIdCardReader
from devices.idcard.wlt import PhotoDecoder
from kiosk.core.clock import Clock

SIM_REPLY_TIMEOUT = 1.0  # the simulator answers in milliseconds; a fault waits this long, not 3 s


class IdCardQAControls(Protocol):
    FAULTS: dict[str, ErrorCode]

    def place(self, card: IdCard) -> None: ...
    def remove(self) -> None: ...
    def current(self) -> IdCard | None: ...
    def inject(self, reason: str, times: int = 1) -> None: ...
    def clear_faults(self) -> None: ...
    def reset(self) -> None: ...
    def close(self) -> None: ...


def build_idcard(backend: str, clock: Clock, port: str | None = None, decoder: PhotoDecoder | None = None, *,
                 reply_timeout: float | None = None, poll_interval: float = POLL_INTERVAL,
                 reject_invalid_id_number: bool = False) -> tuple[IdCardReader, IdCardQAControls | None]:
    """(reader, qa_controls) for ``backend``; ValueError for an unknown backend or a serial one without a port."""
    if backend == "behavioural":
        sim = SimIdCardReader(clock)
        return sim, sim
    if backend == "sim":
        pty = PtyIdCardSimulator()
        try:
            reader = SerialIdCardReader(
                pty.port_path, clock, reply_timeout or SIM_REPLY_TIMEOUT, decoder or pty.photo_decoder(),
                poll_interval=poll_interval, reject_invalid_id_number=reject_invalid_id_number)
        except BaseException:
            pty.close()
            raise
        return reader, pty
    if backend == "serial":
        if not port:
            raise ValueError("the ID card reader backend 'serial' needs a port (e.g. /dev/ttyUSB0)")
        reader = SerialIdCardReader(port, clock, reply_timeout or REPLY_TIMEOUT, decoder,
                                    poll_interval=poll_interval, reject_invalid_id_number=reject_invalid_id_number)
        return reader, None
    raise unknown_backend("idcard", backend)
