"""``kiosk devices status``: every configured device, its backend and its status, for staff and QA.

It builds the devices the configuration names, through the composition root's own table
(kiosk.app.compose.build_device), but neither the host nor the engine; asks each for its status;
prints one row per device, with what a card or paper device last did (its durable last operation,
devices/durable.py); and closes them all again (simulators' pseudo-terminals, a pcscd it
started). A device that cannot even be built is a row too (``build_failed`` with the reason), so one
broken device never hides the others. Details pass through the journal's masking.

Exit status: 0 every device ok, 1 any device not ok, 2 a configuration error (kiosk.app.cli).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO

from devices.api import LastOperation
from kiosk.core.masking import mask_text

log = logging.getLogger(__name__)

EXIT_NOT_OK = 1


@dataclass
class BuiltDevices:
    """What :func:`build_configured_devices` built: the devices by name, what could not be built, and
    what to close after them."""

    backends: dict[str, str] = field(default_factory=dict)  # every configured device -> its backend
    devices: dict[str, Any] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)  # device -> why it could not be built
    closers: list[Callable[[], Any]] = field(default_factory=list)

    def close(self) -> None:
        for name, device in self.devices.items():
            _quietly(f"closing {name}", device.close)
        for closer in reversed(self.closers):
            _quietly("closing a simulator", closer)


DeviceBuild = Callable[[Path | None], BuiltDevices]  # config file (None: the default) -> devices


@dataclass(frozen=True)
class DeviceRow:
    device: str
    backend: str
    state: str
    fault: str | None
    detail: str
    counters: dict[str, int]
    last_operation: dict[str, Any] | None = None  # what a card or paper device last did (LastOperation.to_json)

    @property
    def ok(self) -> bool:
        return self.state == "ok"


def add_status_command(devices_subparsers: Any, build: DeviceBuild) -> None:
    """Add ``status`` under ``kiosk devices``; ``build`` is usually :func:`build_configured_devices`."""
    status = devices_subparsers.add_parser("status", help="every configured device and its status")
    status.add_argument("--config", type=Path, default=None, help="configuration file (default: config/kiosk.toml)")
    status.add_argument("--json", action="store_true", help="print the rows as JSON")
    status.set_defaults(handler=lambda args: cmd_devices_status(args, build))


def cmd_devices_status(args: argparse.Namespace, build: DeviceBuild, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    built = build(args.config)
    try:
        rows = device_rows(built)
    finally:
        built.close()
    if args.json:
        out.write(json.dumps([asdict(row) for row in rows], ensure_ascii=False, indent=2) + "\n")
    else:
        out.writelines(f"{r.device:<10} {r.backend:<15} {r.state:<8} {r.fault or '-':<13} {_detail(r)}".rstrip() + "\n"
                       for r in rows)
    return 0 if all(row.ok for row in rows) else EXIT_NOT_OK


def device_rows(built: BuiltDevices) -> list[DeviceRow]:
    rows = []
    for name, backend in built.backends.items():
        if name in built.failures:
            rows.append(DeviceRow(name, backend, "offline", "build_failed", mask_text(built.failures[name]), {}))
            continue
        try:
            status = built.devices[name].status()
        except Exception as exc:  # a diagnostics command reports a broken status() instead of dying on it
            rows.append(DeviceRow(name, backend, "fault", "status_failed", _one_line(exc), {}))
            continue
        rows.append(DeviceRow(name, backend, str(status.state), status.fault, mask_text(status.detail),
                              dict(status.counters), _last_operation(built.devices[name])))
    return rows


def _last_operation(device: Any) -> dict[str, Any] | None:
    ask = getattr(device, "last_operation", None)
    last = ask() if callable(ask) else None
    return last.to_json() if isinstance(last, LastOperation) else None


def _detail(row: DeviceRow) -> str:
    if row.last_operation is None:
        return row.detail
    last = LastOperation.from_json(row.last_operation).summary()
    return f"{row.detail}; last: {last}" if row.detail else f"last: {last}"


def build_configured_devices(config_path: Path | None) -> BuiltDevices:
    """Every device in the configuration, built as the kiosk builds it (ConfigError when the file is wrong)."""
    from devices.sim_profiles import load_people
    from kiosk.app.compose import DEVICE_NAMES, BuildContext, build_device
    from kiosk.app.config import load_config
    from kiosk.core.clock import SystemClock

    config = load_config(config_path)
    (config.data_dir / "logs").mkdir(parents=True, exist_ok=True)
    ctx = BuildContext(config, SystemClock(), load_people(), config.data_dir)
    built = BuiltDevices(closers=ctx.closers)
    for name in DEVICE_NAMES:
        built.backends[name] = getattr(config.devices, name).backend
        try:
            built.devices[name] = build_device(ctx, name)
        except Exception as exc:  # one device that cannot be built must not hide the others
            built.failures[name] = _one_line(exc)
    if config.voice.enabled:  # voice guidance needs a player and a sound card: a row like a device's
        from kiosk.voice.status import AUDIO, AudioStatus

        built.backends[AUDIO] = config.voice.player
        built.devices[AUDIO] = AudioStatus(config.voice.player)
    return built


def _one_line(exc: BaseException) -> str:
    return mask_text(" ".join(str(exc).split()) or type(exc).__name__)


def _quietly(what: str, close: Callable[[], Any]) -> None:
    try:
        close()
    except Exception:  # closing is best effort here: report it, close the rest
        log.exception("kiosk devices status: %s failed", what)
