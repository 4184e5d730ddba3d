"""pcscd with vsmartcard's virtual reader, for the PC/SC simulator and its tests: one per run.

* **The vpcd port is the lock.** vpcd listens on 0.0.0.0:PORT (slot 0) and PORT+1 (slot 1), so two
  kiosks that share a network (containers on one host) but not ``/tmp`` cannot share a file lock for
  it. A run takes the first pair from the configured port up that it can bind: the binding proves
  nobody holds it, and its pcscd's vpcd holds it for the run. A pcscd that loses the race to another
  one logs "Address already in use" and the run takes the next pair.
* **Its own pcscd** (as root, where a mount namespace can be had): pcscd 1.9 always listens on
  ``/run/pcscd/pcscd.comm``, so it runs in a private mount namespace with this run's directory
  bind-mounted there, a config dir of its own (``--config``) naming the port, and reader names that
  carry the port. Clients reach it through ``PCSCLITE_CSOCK_NAME``, set for this process and its
  children. libpcsclite reads that variable once per process, so the run directory is fixed per
  process and two daemons of one process come one after the other.
* **Otherwise the shared pcscd** with the system's vpcd (``/etc/reader.conf.d``), started when root and
  not running, taken in turns by the runs on this machine (a file lock).

``PcscdUnavailable`` says in one line why there is no reader (what to install, what holds the port,
who may start pcscd); tests skip with it and the kiosk shows it as the reader's status.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Collection
from pathlib import Path
from typing import IO

from devices.smartcard.vpcd_card import VPCD_PORT

LOCK_PATH = Path(tempfile.gettempdir()) / "kiosk-pcsc.lock"
DEFAULT_SOCKET = "/run/pcscd/pcscd.comm"
SOCKET_ENV = "PCSCLITE_CSOCK_NAME"
PCSCD_RUN_DIR = "/run/pcscd"  # compiled into pcscd 1.9: its socket and pid file
SYSTEM_CONFIG_DIR = Path("/etc/reader.conf.d")
VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")  # Debian's vsmartcard-vpcd
INSTALL_HINT = "apt install pcscd vsmartcard-vpcd"
PCSCD_PATHS = ("/usr/sbin/pcscd", "/sbin/pcscd")
PORT_PAIRS_TRIED = 100
PORT_IN_USE = "Address already in use"  # what vpcd logs when another process holds its port
_private_owner: list[PcscDaemon] = []  # the one private pcscd of this process (one socket per process)


class PcscdUnavailable(RuntimeError):
    """No pcscd with a vpcd reader for this run (not installed, port held, not root), in one line."""


def find_pcscd() -> str | None:
    """pcscd's path (it lives in sbin, often not on a user's PATH), or None."""
    found = shutil.which("pcscd")
    return found or next((p for p in PCSCD_PATHS if os.access(p, os.X_OK)), None)


def pcscd_socket() -> str:
    return os.environ.get(SOCKET_ENV, DEFAULT_SOCKET)


def pcscd_running(path: str | None = None) -> bool:
    """True when something answers on pcscd's socket (this process's, or ``path``)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(1.0)
        try:
            sock.connect(path or pcscd_socket())
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


def port_free(port: int) -> bool:
    """Nobody on this network namespace holds ``port`` (vpcd binds every address)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("0.0.0.0", port))
        except OSError:
            return False
    return True


def free_port_pair(start: int, avoid: Collection[int] = ()) -> int:
    """The first PORT from ``start`` up (in steps of 2) where PORT and PORT+1 are free."""
    for port in range(start, min(start + 2 * PORT_PAIRS_TRIED, 65534), 2):
        if port not in avoid and port_free(port) and port_free(port + 1):
            return port
    raise PcscdUnavailable(f"no free pair of vpcd ports in {start}-{start + 2 * PORT_PAIRS_TRIED - 1}")


def system_vpcd() -> tuple[str, int] | None:
    """(friendly name, port) of the vpcd reader in the system's pcscd config, or None."""
    for path in sorted(SYSTEM_CONFIG_DIR.glob("*")) if SYSTEM_CONFIG_DIR.is_dir() else ():
        text = path.read_text(errors="replace")
        if "ifdvpcd" not in text:
            continue
        name = re.search(r'^\s*FRIENDLYNAME\s+"?([^"\n]+)"?', text, re.M)
        port = re.search(r"^\s*DEVICENAME\s+\S*:(0x[0-9a-fA-F]+|\d+)", text, re.M)
        return (name.group(1).strip() if name else "Virtual PCD", int(port.group(1), 0) if port else VPCD_PORT)
    return None


def private_namespace_possible() -> bool:
    """Root, and the kernel lets this process unshare a mount namespace (not in every container)."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    done = subprocess.run(["unshare", "--mount", "--propagation", "private", "true"], capture_output=True)
    return done.returncode == 0


class PcscDaemon:
    """``with PcscDaemon(log_path): ...``: a pcscd with a vpcd reader for the time of the block.

    ``port``: the first vpcd port to try; ``port``/``ports``/``reader_name(port)`` say what was had.
    ``private``: None decides (own pcscd when possible), False uses the shared one."""

    def __init__(self, log_path: Path | None = None, *, port: int = VPCD_PORT, lock_timeout: float = 120.0,
                 start_timeout: float = 10.0, lock_path: Path = LOCK_PATH, private: bool | None = None) -> None:
        self.log_path = log_path
        self.lock_path = lock_path
        self.first_port = port
        self.port = port
        self.friendly_name = "Virtual PCD"
        self.lock_timeout = lock_timeout
        self.start_timeout = start_timeout
        self.private = private
        self.socket = pcscd_socket()
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self._lock_fd: int | None = None
        self._saved_env: str | None = None
        self._env_set = False

    @property
    def started_here(self) -> bool:
        return self.process is not None

    @property
    def ports(self) -> tuple[int, int]:
        return (self.port, self.port + 1)

    @property
    def reader(self) -> str:
        return self.reader_name(self.port)

    def reader_name(self, port: int) -> str:
        """The PC/SC name of the slot whose card connects to ``port``."""
        return f"{self.friendly_name} 00 {port - self.port:02d}"

    def __enter__(self) -> PcscDaemon:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        if not VPCD_DRIVER.exists() and system_vpcd() is None:
            raise PcscdUnavailable(f"vsmartcard-vpcd is not installed ({INSTALL_HINT})")
        if find_pcscd() is None and not pcscd_running():
            raise PcscdUnavailable(f"pcscd is not installed ({INSTALL_HINT})")
        private = self.private if self.private is not None else private_namespace_possible()
        try:
            self._start_private() if private else self._use_shared()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        self._stop_process()
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # releases the lock
            self._lock_fd = None
        if self in _private_owner:
            _private_owner.remove(self)
        if self._env_set:
            if self._saved_env is None:
                os.environ.pop(SOCKET_ENV, None)
            else:
                os.environ[SOCKET_ENV] = self._saved_env
            self._env_set = False

    # -- its own pcscd ------------------------------------------------------------------------------
    def _start_private(self) -> None:
        if _private_owner:
            raise PcscdUnavailable(f"this process already runs pcscd on vpcd port {_private_owner[0].port}: "
                                   "stop it first (libpcsclite talks to one pcscd per process)")
        _private_owner.append(self)
        run_dir = Path(tempfile.gettempdir()) / f"kiosk-pcscd-{os.getpid()}"
        self.socket = str(run_dir / "pcscd.comm")
        self._saved_env, self._env_set = os.environ.get(SOCKET_ENV), True
        os.environ[SOCKET_ENV] = self.socket
        tried: set[int] = set()
        for _attempt in range(3):
            self.port = free_port_pair(self.first_port, tried)
            tried.add(self.port)
            self.friendly_name = f"Kiosk vpcd {self.port}"
            if self._spawn_private(run_dir):
                return
            self._stop_process()
        raise PcscdUnavailable(f"vpcd ports {', '.join(map(str, sorted(tried)))} were taken while pcscd started "
                               "(other kiosks on this network?)")

    def _spawn_private(self, run_dir: Path) -> bool:
        """Start pcscd on ``self.port``; False when another process took the port first."""
        shutil.rmtree(run_dir, ignore_errors=True)
        (run_dir / "conf").mkdir(parents=True)
        (run_dir / "conf" / "vpcd").write_text(
            f'FRIENDLYNAME "{self.friendly_name}"\nDEVICENAME /dev/null:{self.port:#x}\n'
            f"LIBPATH {VPCD_DRIVER}\nCHANNELID {self.port:#x}\n")
        os.makedirs(PCSCD_RUN_DIR, exist_ok=True)  # the mount point
        script = 'mount --bind "$1" "$2" && exec "$3" --foreground --config "$4"'
        self._popen(["unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh", str(run_dir),
                     PCSCD_RUN_DIR, find_pcscd() or "pcscd", str(run_dir / "conf")])
        if not _wait(lambda: pcscd_running(self.socket) or self._exited(), self.start_timeout):
            raise PcscdUnavailable(f"pcscd did not start within {self.start_timeout:g} s: {self._log_tail()}")
        if self._exited():
            raise PcscdUnavailable(f"pcscd stopped at start: {self._log_tail()}")
        _wait(lambda: PORT_IN_USE in self._log_text() or self.reader in readers(), 2.0)
        if PORT_IN_USE in self._log_text():
            return False
        if self.reader in readers():
            return True
        raise PcscdUnavailable(f"pcscd at {self.socket} shows no reader {self.reader!r} to this process "
                               f"(readers: {readers() or 'none'}; libpcsclite reads {SOCKET_ENV} once per "
                               f"process): {self._log_tail()}")

    # -- the shared pcscd ---------------------------------------------------------------------------
    def _use_shared(self) -> None:
        configured = system_vpcd()
        if configured is None:
            raise PcscdUnavailable(f"no vpcd reader in {SYSTEM_CONFIG_DIR} for the shared pcscd ({INSTALL_HINT})")
        self.friendly_name, self.port = configured
        self.socket = pcscd_socket()
        self._take_lock()
        if not pcscd_running():
            if os.geteuid() != 0:
                raise PcscdUnavailable("pcscd is not running and only root can start it (sudo pcscd)")
            self._popen([find_pcscd() or "pcscd", "--foreground"])
            if not _wait(lambda: pcscd_running() or self._exited(), self.start_timeout) or not pcscd_running():
                raise PcscdUnavailable(f"pcscd did not start: {self._log_tail()}")
        if not _wait(lambda: self.reader in readers(), self.start_timeout):
            raise PcscdUnavailable(self._why_no_shared_reader())

    def _why_no_shared_reader(self) -> str:
        if PORT_IN_USE in self._log_text() or not port_free(self.port):  # held, and not by this pcscd
            return (f"the shared pcscd has no reader {self.reader!r}: vpcd's port {self.port} is held by another "
                    "process (another kiosk on this network?)")
        return f"the shared pcscd at {self.socket} has no reader {self.reader!r} (readers: {readers() or 'none'})"

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
                    raise PcscdUnavailable(f"another run held the shared pcscd ({self.lock_path}) for "
                                           f"{self.lock_timeout:g} s") from None
                time.sleep(0.1)
        self._lock_fd = fd

    # -- the process --------------------------------------------------------------------------------
    def _popen(self, argv: list[str]) -> None:
        if self._log is not None:
            self._log.close()
        self._log = self._log_file().open("wb")  # pcscd's own log, read for the cause of a failure
        self.process = subprocess.Popen(argv, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def _stop_process(self) -> None:
        process, self.process = self.process, None
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)

    def _exited(self) -> bool:
        return self.process is None or self.process.poll() is not None

    def _log_file(self) -> Path:
        return self.log_path or Path(tempfile.gettempdir()) / f"kiosk-pcscd-{os.getpid()}.log"

    def _log_text(self) -> str:
        path = self._log_file()
        return path.read_text(errors="replace") if self._log is not None and path.exists() else ""

    def _log_tail(self) -> str:
        lines = self._log_text().strip().splitlines()
        return " | ".join(lines[-3:]) or "no log"


def _wait(predicate: Callable[[], bool], seconds: float) -> bool:
    """Poll ``predicate`` for up to ``seconds``: every 5 ms at first (pcscd is usually up within 10 ms, and
    the kiosk's start waits for it), backing off to every 50 ms."""
    give_up = time.monotonic() + seconds
    pause = 0.005
    while not predicate():
        if time.monotonic() > give_up:
            return False
        time.sleep(pause)
        pause = min(pause * 1.5, 0.05)
    return True
