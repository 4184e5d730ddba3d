"""One serial line to a SAM reader (pyserial, 115200 8N1): send a request, wait for one response.

The frames themselves are :mod:`devices.idcard.sam`; this is only the transport. It waits in real
time (a serial line does), up to ``reply_timeout`` seconds per reply, and raises:

* :class:`NoReply` when not a byte came back in time,
* :class:`~devices.idcard.sam.FrameError` for garbage, a bad length or checksum, a frame cut short,
  or bytes after the frame,
* :class:`LinkError` when the port cannot be opened (``no_port``) or fails under us (``port_lost``).
"""

from __future__ import annotations

import os
import termios
import time

import serial

from devices.idcard.sam import FrameError, FrameReader, Request, Response, encode_request

BAUD_RATE = 115200
READ_SLICE = 0.02  # seconds one pyserial read may block while a reply is awaited
DRAIN_QUIET = 0.05  # after a bad frame, discard input until the line has been quiet this long
DRAIN_LIMIT = 0.5


class LinkError(Exception):
    def __init__(self, reason: str, detail: str) -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}")


class NoReply(Exception):
    """Nothing came back within the reply timeout."""


class SamLink:
    def __init__(self, port: str, reply_timeout: float, baud_rate: int = BAUD_RATE) -> None:
        self.port = port
        self.reply_timeout = reply_timeout
        self.baud_rate = baud_rate
        self._serial: serial.Serial | None = None

    @property
    def is_open(self) -> bool:
        return self._serial is not None

    def open(self) -> None:
        if self._serial is not None:
            return
        try:
            self._serial = serial.Serial(
                self.port, self.baud_rate, bytesize=serial.EIGHTBITS, parity=serial.PARITY_NONE,
                stopbits=serial.STOPBITS_ONE, timeout=READ_SLICE, write_timeout=self.reply_timeout,
                exclusive=True)
        except (serial.SerialException, OSError, ValueError, termios.error) as exc:
            raise LinkError("no_port", f"cannot open the ID card reader port {self.port}: {_why(exc)}") from None

    def close(self) -> None:
        port, self._serial = self._serial, None
        if port is not None:
            port.close()

    def transact(self, request: Request) -> Response:
        port = self._serial
        if port is None:
            raise LinkError("no_port", f"the ID card reader port {self.port} is not open")
        try:
            port.reset_input_buffer()  # a late reply to an earlier request must not pass for this one's
            port.write(encode_request(request))
            return self._response(port)
        except (serial.SerialException, OSError, termios.error) as exc:
            self.close()
            raise LinkError("port_lost", f"the ID card reader port {self.port} failed: {_why(exc)}") from None

    def _response(self, port: serial.Serial) -> Response:
        reader = FrameReader("response")
        deadline = time.monotonic() + self.reply_timeout
        while time.monotonic() < deadline:
            chunk = port.read(max(1, port.in_waiting))
            if not chunk:
                continue
            try:
                responses = reader.feed_responses(chunk)
                if responses and (len(responses) > 1 or reader.pending):
                    raise FrameError("garbage", "bytes after the response frame")
            except FrameError:
                self._drain(port)
                raise
            if responses:
                return responses[0]
        reader.end()  # raises "truncated" when part of a frame came
        raise NoReply(f"no reply within {self.reply_timeout:g} s")

    @staticmethod
    def _drain(port: serial.Serial) -> None:
        """Discard the rest of a bad reply, so the next request starts on a quiet line."""
        give_up = time.monotonic() + DRAIN_LIMIT
        quiet_since = time.monotonic()
        while time.monotonic() < give_up and time.monotonic() - quiet_since < DRAIN_QUIET:
            if port.read(max(1, port.in_waiting)):
                quiet_since = time.monotonic()


def _why(exc: BaseException) -> str:
    number = getattr(exc, "errno", None)
    if isinstance(exc, termios.error) and exc.args and isinstance(exc.args[0], int):
        number = exc.args[0]
    if isinstance(number, int):
        return os.strerror(number)
    return str(exc).strip() or type(exc).__name__
