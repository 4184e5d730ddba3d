"""The virtual card in vsmartcard's virtual reader: a client of the vpcd driver that pcscd loads.

vpcd listens on TCP 127.0.0.1:35963 (its first slot, the reader "Virtual PCD 00 00"; the next port
is the next slot). Every message either way is prefixed by its length (2 bytes, big endian). From
vpcd, a 1-byte message is a control code (0 power off, 1 power on, 2 reset, 4 send the ATR); any
other message is a command APDU, answered with the response APDU. Connecting the client inserts the
card; closing it removes the card (pcscd notices on its next presence poll, within about 0.4 s).
"""

from __future__ import annotations

import logging
import socket
import struct
import threading

from devices.smartcard.card_app import CardProfile, VirtualPbocCard

log = logging.getLogger(__name__)

VPCD_HOST = "127.0.0.1"
VPCD_PORT = 35963
CTRL_OFF, CTRL_ON, CTRL_RESET, CTRL_ATR = 0, 1, 2, 4


def vpcd_reader_name(port: int = VPCD_PORT) -> str:
    """The PC/SC name of the virtual reader the card on ``port`` sits in."""
    return f"Virtual PCD 00 {port - VPCD_PORT:02d}"


class VpcdError(RuntimeError):
    """vpcd is not there to take the card."""


class VpcdCard:
    """One virtual card: ``insert()`` puts it in the virtual reader, ``remove()`` takes it out."""

    def __init__(self, card: VirtualPbocCard | CardProfile, host: str = VPCD_HOST, port: int = VPCD_PORT,
                 connect_timeout: float = 2.0) -> None:
        self.card = card if isinstance(card, VirtualPbocCard) else VirtualPbocCard(card)
        self.host = host
        self.port = port
        self.connect_timeout = connect_timeout
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def inserted(self) -> bool:
        with self._lock:
            return self._sock is not None

    def insert(self) -> None:
        with self._lock:
            if self._sock is not None:
                return
            try:
                sock = socket.create_connection((self.host, self.port), timeout=self.connect_timeout)
            except OSError as exc:
                raise VpcdError(f"vpcd is not listening on {self.host}:{self.port} ({exc.strerror or exc}): "
                                "start pcscd with the vsmartcard-vpcd driver") from exc
            sock.settimeout(None)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._sock = sock
            self._thread = threading.Thread(target=self._serve, args=(sock,), name=f"vpcd-card-{self.port}",
                                            daemon=True)
            self._thread.start()

    def remove(self) -> None:
        with self._lock:
            sock, thread = self._sock, self._thread
            self._sock = self._thread = None
        if sock is None:
            return
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # vpcd closed it first
        sock.close()
        if thread is not None:
            thread.join(timeout=5)

    close = remove

    def __enter__(self) -> VpcdCard:
        self.insert()
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()

    # -- the card's side of the wire ---------------------------------------------------------------
    def _serve(self, sock: socket.socket) -> None:
        try:
            while True:
                message = _receive(sock)
                if message is None:
                    return
                reply = self._answer(message)
                if reply is not None:
                    sock.sendall(struct.pack(">H", len(reply)) + reply)
        except OSError as exc:  # removed while talking, or vpcd went away
            log.debug("virtual card on port %d: %s", self.port, exc)
        finally:
            with self._lock:
                if self._sock is sock:  # vpcd hung up: the card is out
                    self._sock = self._thread = None
                    sock.close()

    def _answer(self, message: bytes) -> bytes | None:
        if len(message) != 1:
            return self.card.process(message)
        code = message[0]
        if code == CTRL_ATR:
            return self.card.atr()
        if code == CTRL_ON:
            self.card.power_on()
        elif code == CTRL_OFF:
            self.card.power_off()
        elif code == CTRL_RESET:
            self.card.reset()
        return None


def _receive(sock: socket.socket) -> bytes | None:
    header = _exactly(sock, 2)
    if header is None:
        return None
    return _exactly(sock, struct.unpack(">H", header)[0])


def _exactly(sock: socket.socket, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            return None
        data += chunk
        _ack_now(sock)
    return data


def _ack_now(sock: socket.socket) -> None:
    """vpcd writes the length and the message in two sends; with Nagle on its side and delayed ACKs
    on ours, each message would wait 40 ms for our ACK. Linux re-arms delayed ACKs after a read."""
    quickack = getattr(socket, "TCP_QUICKACK", None)
    if quickack is not None:
        sock.setsockopt(socket.IPPROTO_TCP, quickack, 1)
