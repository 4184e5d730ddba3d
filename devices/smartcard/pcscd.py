"""pcscd for the PC/SC simulator and its tests: use the one running, or start one in the foreground.

There is one pcscd per machine and one vpcd port, so whoever uses them here holds a machine-wide
lock (:data:`LOCK_PATH`) for as long as they do: two test runs on one machine take turns. A pcscd
this helper started is stopped when it is done; one that was already running is left alone.
``PcscdUnavailable`` says in one line why the PC/SC simulator cannot run here (what to install or
start); tests skip with it.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

from devices.smartcard.vpcd_card import vpcd_reader_name

LOCK_PATH = Path(tempfile.gettempdir()) / "kiosk-pcsc.lock"
DEFAULT_SOCKET = "/run/pcscd/pcscd.comm"
INSTALL_HINT = "apt install pcscd vsmartcard-vpcd"
PCSCD_PATHS = ("/usr/sbin/pcscd", "/sbin/pcscd")


class PcscdUnavailable(RuntimeError):
    """pcscd or its vpcd driver cannot be had on this machine (not installed, not root)."""


def find_pcscd() -> str | None:
    """pcscd's path (it lives in sbin, often not on a user's PATH), or None."""
    found = shutil.which("pcscd")
    return found or next((p for p in PCSCD_PATHS if os.access(p, os.X_OK)), None)


def pcscd_socket() -> str:
    return os.environ.get("PCSCLITE_CSOCK_NAME", DEFAULT_SOCKET)


def pcscd_running() -> bool:
    """True when something answers on pcscd's socket."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(1.0)
        try:
            sock.connect(pcscd_socket())
        except OSError:
            return False
    return True


def readers() -> list[str]:
    from smartcard import scard

    hr, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hr != scard.SCARD_S_SUCCESS:
        return []
    try:
        hr, names = scard.SCardListReaders(context, [])
        return list(names) if hr == scard.SCARD_S_SUCCESS else []
    finally:
        scard.SCardReleaseContext(context)


class PcscDaemon:
    """``with PcscDaemon(log_path): ...``: pcscd with the vpcd reader, for the time of the block."""

    def __init__(self, log_path: Path | None = None, *, port: int | None = None, lock_timeout: float = 120.0,
                 start_timeout: float = 10.0, lock_path: Path = LOCK_PATH) -> None:
        self.log_path = log_path
        self.lock_path = lock_path
        self.reader = vpcd_reader_name(port) if port is not None else vpcd_reader_name()
        self.lock_timeout = lock_timeout
        self.start_timeout = start_timeout
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self._lock_fd: int | None = None

    @property
    def started_here(self) -> bool:
        return self.process is not None

    def __enter__(self) -> PcscDaemon:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        self._take_lock()
        try:
            if not pcscd_running():
                self._spawn()
            if not _wait(lambda: self.reader in readers(), self.start_timeout):
                raise PcscdUnavailable(f"pcscd has no reader {self.reader!r} (readers: {readers() or 'none'}): "
                                       f"install vsmartcard-vpcd ({INSTALL_HINT})")
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # releases the lock
            self._lock_fd = None

    def _spawn(self) -> None:
        binary = find_pcscd()
        if binary is None:
            raise PcscdUnavailable(f"pcscd is not installed ({INSTALL_HINT})")
        if os.geteuid() != 0:
            raise PcscdUnavailable("pcscd is not running and only root can start it (sudo pcscd)")
        self._log = self.log_path.open("wb") if self.log_path else open(os.devnull, "wb")
        self.process = subprocess.Popen([binary, "--foreground"], stdout=self._log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL)
        if not _wait(lambda: pcscd_running() or self.process is None or self.process.poll() is not None,
                     self.start_timeout) or not pcscd_running():
            raise RuntimeError(f"pcscd did not start: {self._log_tail()}")

    def _log_tail(self) -> str:
        if self.log_path is None or not self.log_path.exists():
            return "no log"
        lines = self.log_path.read_text(errors="replace").strip().splitlines()
        return " | ".join(lines[-3:]) or "empty log"

    def _take_lock(self) -> None:
        fd = os.open(self.lock_path, os.O_RDONLY | os.O_CREAT, 0o666)
        give_up = time.monotonic() + self.lock_timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > give_up:
                    os.close(fd)
                    raise RuntimeError(f"another PC/SC user held {self.lock_path} for {self.lock_timeout:g} s") from None
                time.sleep(0.1)
        self._lock_fd = fd


def _wait(predicate: Callable[[], bool], seconds: float) -> bool:
    give_up = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > give_up:
            return False
        time.sleep(0.05)
    return True
