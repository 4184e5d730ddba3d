"""The face worker process: started and stopped cleanly, nothing left behind, failures reported as
FaceWorkerError, a dead worker replaced on the next call."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading

import numpy as np
import pytest

from devices.api import Cancellation
from kiosk.identity.worker import FaceWorker, FaceWorkerError

pytestmark = pytest.mark.slow


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_start_stop_leaves_no_process_thread_or_pipe():
    threads = set(threading.enumerate())
    worker = FaceWorker()
    worker.start()
    worker.start()  # a second start is a no-op
    pid = worker.pid
    assert pid is not None
    assert pid != os.getpid()
    assert worker.call("ping", timeout=5) == pid  # the first call waits for the models
    worker.stop()
    assert not worker.running
    assert worker.pid is None
    assert gone(pid)
    assert not multiprocessing.active_children()
    assert set(threading.enumerate()) == threads
    worker.stop()  # stopping twice is harmless


def test_the_worker_answers_and_survives_a_bad_request(face_worker):
    with pytest.raises(FaceWorkerError) as info:
        face_worker.call("encode", np.zeros((10, 10, 3), np.uint8), "not a box", timeout=5)
    assert info.value.reason == "error"
    with pytest.raises(FaceWorkerError, match="unknown operation"):
        face_worker.call("shutdown_the_bank", timeout=5)
    assert face_worker.call("ping", timeout=5) == face_worker.pid


def test_a_cancelled_call_gives_up_and_the_next_answer_is_not_mixed_up(face_worker):
    cancel = Cancellation()
    cancel.cancel()
    with pytest.raises(FaceWorkerError) as info:
        face_worker.call("ping", timeout=5, cancel=cancel)
    assert info.value.reason == "cancelled"
    assert face_worker.call("ping", timeout=5) == face_worker.pid


def test_a_worker_dying_mid_call_is_reported_then_replaced():
    big = np.random.default_rng(1).integers(0, 255, (2400, 3200, 3), dtype=np.uint8)  # ~1 s to search
    with FaceWorker() as worker:
        first = worker.call("ping", timeout=5)
        killer = threading.Timer(0.3, os.kill, (first, signal.SIGKILL))
        killer.start()
        with pytest.raises(FaceWorkerError) as info:
            worker.call("analyse", big, None, 1.0, 1.0, timeout=30)
        killer.join()
        assert info.value.reason == "died"
        second = worker.call("ping", timeout=5)
        assert second != first
    assert gone(second)


def test_models_keep_nothing_between_calls():
    from kiosk.identity.models import FaceModels

    models = FaceModels()
    before = dict(vars(models))
    frame = np.full((480, 640, 3), 120, np.uint8)
    models.analyse(frame, None, 1.0, 0.5)
    models.photo(b"not an image")
    assert vars(models) == before
