"""The kiosk's host, started first: the embedded host simulator's process is spawned before anything
heavy is imported or built, and waited for only once the kiosk needs its address (or a remote host is
named). Light on purpose: the HTTP client and the simulator's own modules are not imported here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from devices.sim_profiles import default_people_path
from kiosk.app.config import KioskConfig
from kiosk.host.sim.context import HostLimits
from kiosk.host.sim.process import HostSimulatorProcess

if TYPE_CHECKING:
    from kiosk.host.client import HostClient


def host_limits(config: KioskConfig) -> HostLimits:
    """The kiosk's limits that the host simulator enforces (a real host has its own)."""
    return HostLimits(sms_tries=config.limits.sms_attempts, pin_tries=config.limits.pin_entry_attempts)


@dataclass
class HostLaunch:
    """A host on its way up: the simulator's process (spawned, maybe not serving yet), or None for a
    remote host. Whoever holds it either takes the client with :meth:`client` or calls :meth:`stop`."""

    config: KioskConfig
    process: HostSimulatorProcess | None

    def client(self) -> HostClient:
        """The host's client, at once: for the simulator, the client waits for its address on its first call
        (or its warm-up after the first paint), so nothing before the home screen waits for the host."""
        from kiosk.host.client import HostClient

        h = self.config.host
        if self.process is None:
            cert = (h.client_cert, h.client_key) if h.client_cert else None
            return HostClient(h.url, self.config.kiosk.kiosk_id, h.connect_timeout_s, h.read_timeout_s, h.retries,
                              verify=h.ca_bundle or True, client_cert=cert)
        return HostClient(self.process.wait_ready, self.config.kiosk.kiosk_id, h.connect_timeout_s, h.read_timeout_s, h.retries)

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()


def launch_host(config: KioskConfig, data_dir: Path, people_path: Path | None = None) -> HostLaunch:
    """Spawn the host simulator (host.mode = simulator) and return at once."""
    if config.host.mode == "remote":
        return HostLaunch(config, None)
    (data_dir / "logs").mkdir(parents=True, exist_ok=True)
    process = HostSimulatorProcess(
        data_dir / "host-simulator.sqlite", people_path or default_people_path(),
        working_key=config.devices.pinpad.sim_working_key, key_id=config.devices.pinpad.key_id,
        limits=host_limits(config), log_path=data_dir / "logs" / "host-simulator.log")
    process.spawn()
    return HostLaunch(config, process)
