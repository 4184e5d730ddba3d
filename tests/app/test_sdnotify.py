"""The kiosk's side of systemd's notify protocol (kiosk/app/sdnotify.py, kiosk/app/gui_service.py), heard on
real AF_UNIX datagram sockets: a path, the abstract namespace, nothing when $NOTIFY_SOCKET is unset, and the
watchdog fed from the Qt event loop (a blocked loop feeds nothing)."""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.app.sdnotify import Notifier, socket_address, watchdog_period


@pytest.fixture
def listener(tmp_path: Path) -> Iterator[tuple[socket.socket, str]]:
    """A datagram socket bound to a path, as systemd's notify socket is; (socket, $NOTIFY_SOCKET)."""
    path = str(tmp_path / "notify")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(path)
        sock.settimeout(5)
        yield sock, path


def received(sock: socket.socket) -> list[str]:
    return sock.recv(4096).decode().split("\n")


def take(sock: socket.socket) -> str | None:
    """The next datagram if one has come, without waiting."""
    timeout = sock.gettimeout()
    sock.setblocking(False)
    try:
        return sock.recv(4096).decode()
    except BlockingIOError:
        return None
    finally:
        sock.settimeout(timeout)


def test_ready_watchdog_and_stopping_reach_the_socket_named_in_the_environment(listener: Any) -> None:
    sock, path = listener
    env = {"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "20000000", "LANG": "C.UTF-8"}
    notifier = Notifier.from_environment(env)
    assert env == {"LANG": "C.UTF-8"}  # what the kiosk starts does not inherit them
    assert notifier.enabled
    assert notifier.watchdog_s == 20.0
    assert notifier.feed_interval_s == 10.0
    assert notifier.ready("home screen up")
    assert received(sock) == ["READY=1", "STATUS=home screen up"]
    assert notifier.watchdog()
    assert received(sock) == ["WATCHDOG=1"]
    assert notifier.stopping()
    assert received(sock) == ["STOPPING=1"]


def test_an_abstract_socket_is_named_with_an_at_sign() -> None:
    name = f"kiosk-test-{uuid.uuid4().hex}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind("\0" + name)
        sock.settimeout(5)
        notifier = Notifier.from_environment({"NOTIFY_SOCKET": f"@{name}"})
        assert notifier.ready()
        assert received(sock) == ["READY=1"]


def test_without_notify_socket_nothing_is_sent_and_nothing_fails() -> None:
    notifier = Notifier.from_environment({"WATCHDOG_USEC": "20000000"})
    assert not notifier.enabled
    assert notifier.feed_interval_s is None  # no socket, no watchdog to feed
    assert not notifier.ready()
    assert not notifier.watchdog()


def test_a_socket_that_is_gone_is_logged_not_raised(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    notifier = Notifier.from_environment({"NOTIFY_SOCKET": str(tmp_path / "gone")})
    assert not notifier.watchdog()
    assert "WATCHDOG not sent" in caplog.text


def test_addresses_and_whose_watchdog_it_is() -> None:
    assert socket_address("/run/systemd/notify") == "/run/systemd/notify"
    assert socket_address("@abstract") == "\0abstract"
    assert socket_address("vsock:2:1234") is None
    assert socket_address("") is None
    me, parent = os.getpid(), os.getppid()
    assert watchdog_period({"WATCHDOG_USEC": "3000000"}, me, parent) == 3.0
    assert watchdog_period({"WATCHDOG_USEC": "3000000", "WATCHDOG_PID": str(me)}, me, parent) == 3.0
    assert watchdog_period({"WATCHDOG_USEC": "3000000", "WATCHDOG_PID": str(parent)}, me, parent) == 3.0  # cage
    assert watchdog_period({"WATCHDOG_USEC": "3000000", "WATCHDOG_PID": "1"}, me, parent) is None
    assert watchdog_period({"WATCHDOG_USEC": "0"}, me, parent) is None
    assert watchdog_period({}, me, parent) is None


def test_the_watchdog_is_fed_from_the_event_loop_and_a_blocked_loop_feeds_nothing(listener: Any, qtbot: Any) -> None:
    from kiosk.app.gui_service import WatchdogFeeder

    sock, path = listener
    feeder = WatchdogFeeder(Notifier.from_environment({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "100000"}))
    assert feeder.timer.interval() == 50  # half the period
    feeder.start()
    try:
        fed: list[str] = []
        qtbot.waitUntil(lambda: fed.append(take(sock) or "") or "WATCHDOG=1" in fed, timeout=5000)  # the loop runs
        while take(sock) is not None:
            pass
        time.sleep(0.3)  # the event loop is blocked (this is its thread): six periods of the feed pass
        assert take(sock) is None
        fed.clear()
        qtbot.waitUntil(lambda: fed.append(take(sock) or "") or "WATCHDOG=1" in fed, timeout=5000)  # fed again
    finally:
        feeder.stop()
        feeder.deleteLater()
    assert not feeder.active


def test_no_watchdog_no_timer(qtbot: Any) -> None:
    from kiosk.app.gui_service import WatchdogFeeder

    feeder = WatchdogFeeder(Notifier())
    feeder.start()
    assert not feeder.active
    feeder.deleteLater()
