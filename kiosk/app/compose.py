"""The one place that builds the kiosk from its configuration: devices, host client, journal,
face verifier, engine. Config names a backend per device (from its table in devices.backends); the
device's builder here hands it to the device's factory."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from devices.camera.factory import build_camera
from devices.dispenser.sim import SimCardDispenser
from devices.doccamera.factory import build_doccamera
from devices.docprinter.factory import build_docprinter
from devices.idcard.factory import build_idcard
from devices.idcard.wlt import build_photo_decoder
from devices.pinpad.sim import SimPinPad
from devices.printer.factory import build_printer
from devices.sim_profiles import People, load_people
from devices.smartcard.factory import build_smartcard
from devices.smartcard.pcscd import PcscDaemon, PcscdUnavailable
from flows import catalogue
from kiosk.app.config import KioskConfig
from kiosk.app.host_start import HostLaunch, launch_host
from kiosk.core.clock import Clock, SystemClock
from kiosk.engine.guide import VoiceGuide
from kiosk.engine.recovery import recover
from kiosk.engine.runtime import Engine
from kiosk.engine.services import Devices, Services
from kiosk.engine.settings import EngineSettings
from kiosk.host.sim.process import HostSimulatorProcess
from kiosk.identity.chip import with_chip_photos
from kiosk.identity.factory import make_face_verifier
from kiosk.journal import Journal
from kiosk.voice import Speaker

log = logging.getLogger(__name__)


@dataclass
class BuildContext:
    config: KioskConfig
    clock: Clock
    people: People
    data_dir: Path
    sim_controls: dict[str, Any] = field(default_factory=dict)  # what QA's hands act on, per device
    closers: list[Callable[[], Any]] = field(default_factory=list)

    @property
    def state_dir(self) -> Path:
        """Where devices keep their durable state (their last operation: devices/durable.py)."""
        return self.data_dir / "devices"


def _idcard(ctx: BuildContext) -> Any:
    c = ctx.config.devices.idcard
    decoder = None
    if c.wlt_library or c.wlt_command:
        decoder = build_photo_decoder(library=c.wlt_library or None, function=c.wlt_function, output=c.wlt_output,
                                      command=c.wlt_command or None)
    reader, qa = build_idcard(c.backend, ctx.clock, port=c.port or None, decoder=decoder,
                              reply_timeout=c.reply_timeout_s, poll_interval=c.poll_interval_s,
                              reject_invalid_id_number=c.reject_invalid_id_number)
    if qa is not None:
        ctx.sim_controls["idcard"] = qa
        if qa is not reader:
            ctx.closers.append(qa.close)
    return reader


def _smartcard(ctx: BuildContext) -> Any:
    c = ctx.config.devices.smartcard
    if c.backend != "pcsc-sim":
        return build_smartcard(c.backend, ctx.clock, reader_name=c.reader or None, vpcd_port=c.vpcd_port,
                               state_dir=ctx.state_dir)
    daemon, unavailable = _start_pcscd(ctx)
    if daemon is None:
        return build_smartcard(c.backend, ctx.clock, vpcd_port=c.vpcd_port, unavailable=unavailable,
                               state_dir=ctx.state_dir)
    return build_smartcard(c.backend, ctx.clock, reader_name=daemon.reader, vpcd_port=daemon.port,
                           state_dir=ctx.state_dir)


def _start_pcscd(ctx: BuildContext) -> tuple[PcscDaemon | None, str]:
    """The PC/SC simulator needs pcscd with vsmartcard's reader: this run's own (its own vpcd port and
    socket) or the shared one. When none can be had, the reader reports why and the kiosk keeps its
    other flows."""
    daemon = PcscDaemon(ctx.data_dir / "logs" / "pcscd.log", port=ctx.config.devices.smartcard.vpcd_port,
                        lock_timeout=5.0)
    try:
        daemon.start()
    except (PcscdUnavailable, OSError) as exc:
        log.warning("bank card simulator unavailable: %s", exc)
        return None, str(exc)
    log.info("pcscd for the bank card simulator: socket %s, vpcd port %d", daemon.socket, daemon.port)
    ctx.closers.append(daemon.stop)
    return daemon, ""


def _camera(ctx: BuildContext) -> Any:
    c = ctx.config.devices.camera
    return build_camera(c.backend, ctx.clock, ctx.people, source=c.source, width=c.width, height=c.height,
                        fps=c.fps, loop=c.loop)


def _printer(ctx: BuildContext) -> Any:
    c = ctx.config.devices.printer
    return build_printer(c.backend, ctx.clock, spool_dir=ctx.data_dir / "spool", paper=c.paper, low_at=c.low_at,
                         usb=(c.usb_vendor_id, c.usb_product_id), usb_endpoints=(c.usb_in_ep, c.usb_out_ep),
                         serial=c.serial_port, baudrate=c.baudrate, host=c.host, port=c.port,
                         network_status=c.network_status, columns=c.columns, code=c.code,
                         profile=c.profile or None, status_interval=c.status_interval_s, state_dir=ctx.state_dir)


DeviceBuilder = Callable[[BuildContext], Any]

def _pinpad(ctx: BuildContext) -> Any:
    c = ctx.config.devices.pinpad  # one backend: "sim"
    return SimPinPad(ctx.clock, bytes.fromhex(c.sim_working_key), c.key_id, c.algorithm)


def _dispenser(ctx: BuildContext) -> Any:
    c = ctx.config.devices.dispenser  # one backend: "sim"
    return SimCardDispenser(ctx.clock, list(ctx.people.stock), retain_capacity=c.retain_capacity,
                            state_dir=ctx.state_dir)


def _docprinter(ctx: BuildContext) -> Any:
    c = ctx.config.devices.docprinter
    return build_docprinter(c.backend, ctx.clock, spool_dir=ctx.data_dir / "spool", queue=c.queue, paper=c.paper,
                            toner=c.toner, state_dir=ctx.state_dir)


def _doccamera(ctx: BuildContext) -> Any:
    c = ctx.config.devices.doccamera
    return build_doccamera(c.backend, ctx.clock, ctx.people, source=c.source, width=c.width, height=c.height,
                           fps=c.fps)


DEVICE_BUILDERS: dict[str, DeviceBuilder] = {
    "idcard": _idcard, "smartcard": _smartcard, "camera": _camera, "pinpad": _pinpad, "printer": _printer,
    "dispenser": _dispenser, "docprinter": _docprinter, "doccamera": _doccamera,
}
DEVICE_NAMES = tuple(DEVICE_BUILDERS)


@dataclass
class Kiosk:
    config: KioskConfig
    services: Services
    engine: Engine
    people: People
    devices: Devices
    host_process: HostSimulatorProcess | None = None
    closers: list[Callable[[], Any]] = field(default_factory=list)
    sim_controls: dict[str, Any] = field(default_factory=dict)  # QA's hands on simulated devices, by name
    speaker: Speaker | None = None
    guide: VoiceGuide | None = None
    data_dir: Path | None = None  # journal, spool, logs, exports (config.data_dir unless a test chose one)
    _warming: threading.Thread | None = field(default=None, init=False, repr=False)
    _closing: threading.Event = field(default_factory=threading.Event, init=False, repr=False)

    @property
    def host_url(self) -> str:
        return str(getattr(self.services.host, "base_url", ""))

    def warm_up(self) -> None:
        """Once the first screen shows: start, in a background thread, what the first customer needs and
        the home screen does not. The face matcher's worker process (heavy: ~2 s, ~150 MB), then whatever
        the parts made on first use can make ahead (``warm()``): the flows' charts, the ID cards' chip photos,
        the camera simulator's pictures, the receipt renderer, the host client's address and HTTP session.
        The home screen's lines (e.g. the current wait) start asking the host now too, on the engine's workers."""
        self.engine.start_home_lines()
        start_face_matcher = getattr(self.services.face, "start", None)
        parts = (self.engine, self.people.id_cards, *self.devices.by_name().values(), self.services.host)
        first = (getattr(self.speaker, "warm", None), start_face_matcher)  # the voice, then the matcher's process
        steps = [step for step in (*first, *(getattr(part, "warm", None) for part in parts)) if step]
        self._warming = threading.Thread(target=self._warm, args=(steps,), name="kiosk-warm-up", daemon=True)
        self._warming.start()

    def _warm(self, steps: list[Callable[[], Any]]) -> None:
        for step in steps:
            if self._closing.is_set():
                return
            try:
                step()
            except Exception:  # only slower: the part makes it again on first use
                log.exception("warming up %s failed", getattr(step, "__qualname__", step))

    def close(self) -> None:
        self._closing.set()
        if self._warming is not None:
            self._warming.join(timeout=30.0)
        self.engine.shutdown()
        if self.speaker is not None:
            self.speaker.close()
        for device in self.devices.by_name().values():
            device.close()
        for closer in reversed(self.closers):
            closer()
        self.services.journal.close()
        if self.host_process is not None:
            self.host_process.stop()


def engine_settings(config: KioskConfig, strict: bool) -> EngineSettings:
    """The engine's view of a validated configuration: its sections as they are, the kiosk's identity,
    and the approval rules resolved for every flow of the catalogue."""
    k = config.kiosk
    return EngineSettings(
        kiosk_id=k.kiosk_id, branch_id=k.branch_id, branch_name=k.branch_name, bank_name=k.bank_name,
        language=k.language, pin_key_id=config.devices.pinpad.key_id, timeouts=config.timeouts,
        limits=config.limits, staff=config.staff, documents=config.documents, approvals=config.approval_rules(catalogue()), strict=strict,
        card_first=k.card_first)


def build_device(ctx: BuildContext, name: str) -> Any:
    """The one device ``name`` as configured; its QA controls and closers go into ``ctx``."""
    return DEVICE_BUILDERS[name](ctx)


def build_devices(ctx: BuildContext) -> Devices:
    return Devices(**{name: build_device(ctx, name) for name in DEVICE_NAMES})


def build_kiosk(config: KioskConfig, *, clock: Clock | None = None, strict: bool = False,
                on_ready: Callable[[], None] | None = None, data_dir: Path | None = None,
                voice: bool = False, host: HostLaunch | None = None, recover_now: bool = True) -> Kiosk:
    """``recover_now``: run recovery before service here (headless); the window runs it itself
    (:meth:`Engine.start_recovery`). ``voice``: speak through the voice guide (the window does; headless runs stay
    silent). ``host``: the
    host already launched (``kiosk run`` spawns the simulator first thing); else it is launched here. Either
    way it starts while the devices are built, and the kiosk owns it."""
    clock = clock or SystemClock()
    data_dir = data_dir or config.data_dir
    (data_dir / "logs").mkdir(parents=True, exist_ok=True)
    people = load_people()
    host = host or launch_host(config, data_dir, people.source)
    try:
        face = make_face_verifier(config.face.matcher, *config.face.thresholds(), embedder=config.face.embedder)
        real_matcher = config.face.matcher != "sim"
        if real_matcher:  # ID cards carry chip-like photos (small, compressed), as a real card does
            people = with_chip_photos(people)
        ctx = BuildContext(config, clock, people, data_dir)
        devices = build_devices(ctx)
        for name, device in devices.by_name().items():  # in-process simulators are their own QA controls
            if hasattr(device, "inject"):
                ctx.sim_controls.setdefault(name, device)
        journal = Journal(data_dir / "journal.sqlite", clock, kiosk_id=config.kiosk.kiosk_id)
        client = host.client()
        services = Services(devices=devices, host=client, journal=journal, face=face, clock=clock,
                            settings=engine_settings(config, strict))
        if recover_now:  # headless: before anything else; the window shows 暂停服务 and recovers on a worker
            recover(services)
        engine = Engine(services, catalogue(), on_ready=on_ready)
    except BaseException:
        host.stop()
        raise
    closers = [*ctx.closers, client.close]
    if hasattr(face, "close"):
        closers.append(face.close)  # the matcher's worker process
    follow = getattr(devices.camera, "follow_screen", None)
    if real_matcher and follow is not None:  # the simulated customer does what the face screen asks
        engine.subscribe(follow)
    kiosk = Kiosk(config, services, engine, people, devices, host.process, closers=closers,
                  sim_controls=ctx.sim_controls, data_dir=data_dir)
    if voice and config.voice.enabled:
        kiosk.speaker = Speaker(config.voice_settings(), start=False)  # starts after the first paint (warm)
        kiosk.guide = VoiceGuide(kiosk.speaker, clock=services.clock)
        kiosk.guide.attach(engine)
    return kiosk
