"""The face worker: face_recognition in a process of its own, and the client the kiosk talks to it with.

Why a process: importing face_recognition costs about 2 s and 150 MB, and dlib holds the GIL while it
detects and encodes, so in the kiosk's process it would stall the camera preview. The worker is
started (spawn: no fork of a process that runs Qt) by the composition root after the first screen,
or on the first call. Requests go over a pipe one at a time; each carries what it needs (a frame, a
crop, a photo) and the worker keeps nothing between requests, so nothing of a customer outlives the
call that used it.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from multiprocessing.connection import Connection
from typing import Any

from devices.api import Cancellation

OPERATIONS = frozenset({"photo", "analyse", "encode", "ping"})
POLL_S = 0.02
READY_TIMEOUT_S = 60.0


class FaceWorkerError(RuntimeError):
    """The worker could not answer: ``reason`` is cancelled, timeout, died, failed (could not load the
    models) or error (the request raised; ``detail`` says what)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        super().__init__(f"face worker: {reason}" + (f": {detail}" if detail else ""))


def serve(conn: Connection, embedder: str = "mobilefacenet") -> None:
    """The worker process: load the models, then answer requests until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is for the kiosk, which stops the worker
    try:
        from kiosk.identity.models import FaceModels

        models = FaceModels(embedder)
    except Exception as exc:  # reported to the kiosk, which falls back to staff
        conn.send((0, "failed", f"{type(exc).__name__}: {exc}"))
        return
    conn.send((0, "ready", os.getpid()))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        conn.send(_answer(models, *message))
        del message  # the frame or photo goes now, not when the next one arrives


def _answer(models: Any, seq: int, operation: str, args: tuple[Any, ...]) -> tuple[int, str, Any]:
    if operation not in OPERATIONS:
        return seq, "error", f"unknown operation {operation!r}"
    if operation == "ping":
        return seq, "ok", os.getpid()
    try:
        return seq, "ok", getattr(models, operation)(*args)
    except Exception as exc:  # a bad request must not end the worker
        return seq, "error", f"{type(exc).__name__}: {exc}"


class FaceWorker:
    """Client of one worker process. Calls are serialised; ``stop()`` may come from any thread."""

    def __init__(self, start_method: str = "spawn", ready_timeout: float = READY_TIMEOUT_S,
                 embedder: str = "mobilefacenet") -> None:
        self._context: Any = multiprocessing.get_context(start_method)
        self._embedder = embedder
        self._ready_timeout = ready_timeout
        self._call_lock = threading.Lock()
        self._state_lock = threading.Lock()
        self._process: Any = None
        self._conn: Connection | None = None
        self._ready = False
        self._seq = 0

    # -- life --------------------------------------------------------------------------------
    def start(self) -> None:
        """Start the process if it is not running; returns at once (the models load meanwhile)."""
        with self._state_lock:
            if self._process is not None and self._process.is_alive():
                return
            self._discard()
            parent, child = self._context.Pipe()
            process = self._context.Process(target=serve, args=(child, self._embedder), name="kiosk-face-worker", daemon=True)
            process.start()
            child.close()
            self._process, self._conn, self._ready, self._seq = process, parent, False, 0

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the process and wait for it; it is killed if it does not end in ``timeout``."""
        with self._state_lock:
            process, conn = self._process, self._conn
            if process is None:
                return
            if not self._ready:  # still loading its models (or never asked): nothing to finish, no wait
                process.terminate()
            try:
                if conn is not None and process.is_alive():
                    conn.send(None)
            except (OSError, ValueError):
                pass
            process.join(timeout)
            if process.is_alive():
                process.kill()
                process.join(timeout)
            self._discard()

    def _abandon(self) -> None:
        """The worker broke off: make sure it is gone, so the next call starts a new one."""
        with self._state_lock:
            if self._process is not None and self._process.is_alive():
                self._process.kill()
                self._process.join(5.0)
            self._discard()

    def _discard(self) -> None:
        if self._conn is not None:
            self._conn.close()
        if self._process is not None and not self._process.is_alive():
            self._process.close()
        self._process, self._conn, self._ready = None, None, False

    @property
    def pid(self) -> int | None:
        process = self._process
        return None if process is None else process.pid

    @property
    def running(self) -> bool:
        process = self._process
        return process is not None and process.is_alive()

    def __enter__(self) -> FaceWorker:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- calls -------------------------------------------------------------------------------
    def wait_ready(self, timeout: float | None = None, cancel: Cancellation | None = None) -> None:
        """Start the worker if needed and wait until its models are loaded."""
        with self._call_lock:
            self._ensure_ready(time.monotonic() + (timeout or self._ready_timeout), cancel)

    def call(self, operation: str, *args: Any, timeout: float, cancel: Cancellation | None = None) -> Any:
        """Run ``operation`` in the worker and return its answer; waits at most ``timeout`` seconds
        (plus the model loading on the first call) and gives up when ``cancel`` is set."""
        with self._call_lock:
            self._ensure_ready(time.monotonic() + self._ready_timeout, cancel)
            conn = self._connection()
            self._seq += 1
            seq = self._seq
            try:
                conn.send((seq, operation, args))
            except (OSError, ValueError) as exc:
                raise FaceWorkerError("died", str(exc)) from None
            deadline = time.monotonic() + timeout
            while True:
                answer_seq, status, value = self._receive(deadline, cancel)
                if answer_seq != seq:
                    continue  # the answer to a call that was given up on
                if status == "ok":
                    return value
                raise FaceWorkerError("error", str(value))

    def _ensure_ready(self, deadline: float, cancel: Cancellation | None) -> None:
        if self._ready and self.running:
            return
        if not self.running:
            self.start()
        _, status, value = self._receive(deadline, cancel)
        if status != "ready":
            self.stop()
            raise FaceWorkerError("failed", str(value))
        self._ready = True

    def _connection(self) -> Connection:
        conn = self._conn
        if conn is None:
            raise FaceWorkerError("died", "stopped")
        return conn

    def _receive(self, deadline: float, cancel: Cancellation | None) -> tuple[int, str, Any]:
        conn = self._connection()
        while True:
            if cancel is not None and cancel.cancelled:
                raise FaceWorkerError("cancelled")
            try:
                if conn.poll(POLL_S):
                    answer: tuple[int, str, Any] = conn.recv()
                    return answer
            except (EOFError, OSError) as exc:
                self._abandon()
                raise FaceWorkerError("died", str(exc) or "the worker ended") from None
            if not self.running:
                self._abandon()
                raise FaceWorkerError("died", "the worker ended")
            if time.monotonic() >= deadline:
                raise FaceWorkerError("timeout")
