"""The kiosk's configuration file (TOML), validated before anything starts.

A wrong key or value stops start-up with one line naming the file, the key and what is allowed
(exit status 2, see kiosk.app.cli).
"""

from __future__ import annotations

import json
import re
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from devices import backends
from devices.backends import Backend
from flows import catalogue
from kiosk.core.digits import ascii_digits
from kiosk.core.toml_files import TomlFileError, read_toml
from kiosk.engine.flow import Flow
from kiosk.engine.settings import DocumentFees, Limits, StaffRules, Timeouts
from kiosk.engine.settings import Section as _Section
from kiosk.engine.steps.host import IDENTITY_RULE
from kiosk.voice import VoiceSettings

DEFAULT_CONFIG = Path(__file__).resolve().parents[2] / "config" / "kiosk.toml"


class ConfigError(Exception):
    """One line for the operator: file, key, what is allowed."""


def _one_of(table: Mapping[str, Backend]) -> Any:
    """A device's backend: a name from its table in devices.backends."""

    def check(name: str) -> str:
        if name not in table:
            raise PydanticCustomError("literal_error", "Input should be {expected}", {"expected": _listed(table)})
        return name

    return Annotated[str, AfterValidator(check)]


def _listed(names: Mapping[str, Any] | tuple[str, ...]) -> str:
    quoted = [repr(name) for name in names]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


class KioskSection(_Section):
    kiosk_id: str = Field("K0001", pattern=r"^[A-Z0-9-]{2,16}$")
    branch_id: str = Field("B0101", pattern=r"^[A-Z0-9-]{2,16}$")
    branch_name: str = "示范支行"
    bank_name: str = "示范银行"
    language: Literal["zh_CN", "en_US"] = "zh_CN"
    data_dir: str = "../var"  # journal, receipt spool, logs; relative to this file's folder
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    card_first: bool = True  # a bank card inserted on the home screen offers the services that start from it


class HostSection(_Section):
    mode: Literal["simulator", "remote"] = "simulator"
    url: str = ""  # remote: https://...
    ca_bundle: str = ""  # remote: CA file; empty = the system's CAs
    client_cert: str = ""
    client_key: str = ""
    connect_timeout_s: float = Field(3.0, gt=0, le=60)
    read_timeout_s: float = Field(10.0, gt=0, le=120)
    retries: int = Field(2, ge=0, le=5)


class IdCardSection(_Section):
    backend: _one_of(backends.IDCARD) = "sim"  # sim: the SAM protocol on a pseudo-terminal
    port: str = ""  # serial: the reader's port, e.g. /dev/ttyUSB0
    reply_timeout_s: float | None = Field(None, gt=0, le=30)  # default: sim 1 s, serial 3 s
    poll_interval_s: float = Field(1.0, gt=0, le=5)
    wlt_library: str = ""  # the vendor's WLT photo decoder (shared library), or:
    wlt_function: str = "unpack"
    wlt_output: Literal["bmp", "bgr"] = "bmp"
    wlt_command: list[str] = []  # a command that decodes WLT
    reject_invalid_id_number: bool = False

    @model_validator(mode="after")
    def _port_and_decoder(self) -> IdCardSection:
        if self.backend == "serial" and not self.port:
            raise ValueError("backend 'serial' needs a port")
        if self.wlt_library and self.wlt_command:
            raise ValueError("wlt_library and wlt_command: give one, not both")
        return self


class SmartcardSection(_Section):
    backend: _one_of(backends.SMARTCARD) = "pcsc-sim"  # pcsc-sim: a virtual card behind the real PC/SC stack
    reader: str = ""  # pcsc: the reader's name or part of it; empty: any reader
    vpcd_port: int = Field(35963, ge=1, le=65535)


class PinPadSection(_Section):
    backend: _one_of(backends.PINPAD) = "sim"
    key_id: str = "TPK-DEMO-01"
    algorithm: Literal["SM4", "3DES"] = "SM4"
    sim_working_key: str = Field("0123456789ABCDEFFEDCBA9876543210", pattern=r"^[0-9A-Fa-f]{32}([0-9A-Fa-f]{16})?$")


class CameraSection(_Section):
    backend: _one_of(backends.CAMERA) = "sim"  # opencv: a real camera, a video file or a stream
    source: int | str = 0  # opencv: device index, /dev/videoN, a video file, or an rtsp:// or http:// URL
    width: int = Field(640, ge=160, le=3840)
    height: int = Field(480, ge=120, le=2160)
    fps: int = Field(15, ge=1, le=60)
    loop: bool = True  # a video file starts again at its end (false: it ends, and so do the frames)


class PrinterSection(_Section):
    backend: _one_of(backends.PRINTER) = "sim"
    paper: int = Field(300, ge=0)  # sim: receipts on a roll
    low_at: int = Field(30, ge=0)  # sim: "paper low" below this
    usb_vendor_id: int = Field(0, ge=0, le=0xFFFF)  # escpos-usb: from lsusb, e.g. 0x0416
    usb_product_id: int = Field(0, ge=0, le=0xFFFF)  # escpos-usb: e.g. 0x5011
    usb_in_ep: int = Field(0x82, ge=0x81, le=0x8F)  # escpos-usb: bulk endpoints (lsusb -v)
    usb_out_ep: int = Field(0x01, ge=0x01, le=0x0F)
    serial_port: str = ""  # escpos-serial: e.g. /dev/ttyS0
    baudrate: Literal[9600, 19200, 38400, 57600, 115200] = 9600  # escpos-serial
    host: str = ""  # escpos-network: the printer's address
    port: int = Field(9100, ge=1, le=65535)  # escpos-network: raw TCP port
    network_status: bool = False  # escpos-network: the printer answers DLE EOT / GS r on that port
    columns: int = Field(48, ge=16, le=96)  # escpos: 48 on 80 mm paper, 32 on 58 mm
    code: Literal["qr", "code128", "text"] = "qr"  # escpos: how the reference is printed besides its text
    profile: str = ""  # escpos: python-escpos printer profile, e.g. "TM-T88V" (empty: its default)
    status_interval_s: float = Field(5.0, gt=0, le=60)  # escpos: paper check while idle

    @model_validator(mode="after")
    def _transport(self) -> PrinterSection:
        if self.backend == "escpos-usb" and not (self.usb_vendor_id and self.usb_product_id):
            raise ValueError("backend 'escpos-usb' needs usb_vendor_id and usb_product_id")
        if self.backend == "escpos-serial" and not self.serial_port:
            raise ValueError("backend 'escpos-serial' needs serial_port")
        if self.backend == "escpos-network" and not self.host:
            raise ValueError("backend 'escpos-network' needs host")
        return self


class DispenserSection(_Section):
    backend: _one_of(backends.DISPENSER) = "sim"
    retain_capacity: int = Field(50, ge=1)


class DocPrinterSection(_Section):
    backend: _one_of(backends.DOCPRINTER) = "sim"  # sim: PDFs in var/spool/documents | cups: a CUPS queue
    queue: str = Field("PDF", min_length=1, max_length=64)  # cups: the queue's name (lpstat -p)
    paper: int = Field(500, ge=0)  # sim: A4 sheets in the tray
    toner: int = Field(3000, ge=0)  # sim: pages the toner cartridge has left


class DocCameraSection(_Section):
    backend: _one_of(backends.DOCCAMERA) = "sim"  # sim: licences from people.toml | opencv: a document camera
    source: int | str = 1  # opencv: device index, /dev/videoN, a video file, or a stream URL
    width: int = Field(1280, ge=320, le=4096)  # a licence's QR code reads at 1280 x 960 and above
    height: int = Field(960, ge=240, le=3072)
    fps: int = Field(10, ge=1, le=30)


class DevicesSection(_Section):
    idcard: IdCardSection = IdCardSection()
    smartcard: SmartcardSection = SmartcardSection()
    camera: CameraSection = CameraSection()
    pinpad: PinPadSection = PinPadSection()
    printer: PrinterSection = PrinterSection()
    dispenser: DispenserSection = DispenserSection()
    docprinter: DocPrinterSection = DocPrinterSection()
    doccamera: DocCameraSection = DocCameraSection()


class FaceSection(_Section):
    matcher: Literal["sim", "face_recognition"] = "face_recognition"  # sim: decided from the camera simulator's scene
    embedder: Literal["mobilefacenet", "dlib"] = "mobilefacenet"  # kiosk/identity/embedders.py
    # Face distances (docs/decisions/0006-face-threshold.md); empty: the embedder's measured defaults.
    threshold: float | None = Field(None, gt=0, lt=2)  # at or under: the faces match
    review_threshold: float | None = Field(None, gt=0, lt=2)  # up to here: a second look, then staff

    @model_validator(mode="after")
    def _band(self) -> FaceSection:
        if self.threshold is not None and self.review_threshold is not None and self.review_threshold < self.threshold:
            raise ValueError("review_threshold must not be below threshold")
        return self

    def thresholds(self) -> tuple[float, float]:
        """The match threshold and the review threshold, defaults filled in for the embedder."""
        from kiosk.identity.settings import DEFAULT_REVIEW_THRESHOLDS, DEFAULT_THRESHOLDS

        threshold = self.threshold if self.threshold is not None else DEFAULT_THRESHOLDS[self.embedder]
        review = self.review_threshold if self.review_threshold is not None else DEFAULT_REVIEW_THRESHOLDS[self.embedder]
        return threshold, max(review, threshold)


class VoiceSection(_Section):
    enabled: bool = True  # false: the kiosk never speaks
    rate: int = Field(170, ge=60, le=400)  # espeak-ng words per minute
    elderly_rate: int = Field(125, ge=60, le=400)
    volume: float = Field(1.0, ge=0, le=1)
    player: str = Field("auto", min_length=1)  # "auto" (pw-play, paplay, aplay), "none", or a command line
    voices: dict[Literal["zh_CN", "en_US"], str] = {"zh_CN": "sit/cmn", "en_US": "gmw/en-us"}


class FlowApprovals(_Section):
    """``[approvals.<flow_id>]``: the approval rules switched on for one flow (checked against the rules
    the flow declares)."""

    rules: tuple[str, ...] = ()


class KioskConfig(_Section):
    kiosk: KioskSection = KioskSection()
    host: HostSection = HostSection()
    devices: DevicesSection = DevicesSection()
    timeouts: Timeouts = Timeouts()
    limits: Limits = Limits()
    documents: DocumentFees = DocumentFees()
    face: FaceSection = FaceSection()
    voice: VoiceSection = VoiceSection()
    approvals: dict[str, FlowApprovals] = {}  # [approvals.<flow_id>]; a flow left out takes all its rules
    staff: StaffRules = StaffRules()
    path: Path = Field(DEFAULT_CONFIG, exclude=True)

    def voice_settings(self) -> VoiceSettings:
        return VoiceSettings.from_mapping(self.voice.model_dump())

    @property
    def data_dir(self) -> Path:
        return (self.path.parent / self.kiosk.data_dir).resolve()

    def approval_rules(self, flows: Mapping[str, Flow]) -> dict[str, tuple[str, ...]]:
        """Per flow, the approval rules that apply: as configured, else every rule the flow declares."""
        return {flow_id: self.approvals[flow_id].rules if flow_id in self.approvals else flow.approval_rules
                for flow_id, flow in flows.items()}


def load_config(path: Path | str | None = None) -> KioskConfig:
    path = Path(path) if path is not None else DEFAULT_CONFIG
    try:
        raw = read_toml(path)
    except TomlFileError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    try:
        config = KioskConfig.model_validate({**raw, "path": path})
    except ValidationError as exc:
        raise ConfigError(describe(path, exc)) from None
    _check_cross_fields(path, config)
    return config


def _check_cross_fields(path: Path, config: KioskConfig) -> None:
    if config.host.mode == "remote" and not config.host.url.startswith("https://"):
        raise ConfigError(f"{path}: host.url: a remote host needs an https:// address")
    flows = catalogue()
    for flow_id, approvals in config.approvals.items():
        if flow_id not in flows:
            raise ConfigError(f"{path}: approvals.{flow_id}: no such flow; allowed: {', '.join(sorted(flows))}")
        _check_rules(path, f"approvals.{flow_id}.rules", approvals.rules, flows[flow_id].approval_rules)
    declared = {rule: None for flow in flows.values() for rule in flow.approval_rules}
    _check_rules(path, "staff.dual_control", config.staff.dual_control, (*declared, IDENTITY_RULE))


def _check_rules(path: Path, key: str, rules: tuple[str, ...], allowed: tuple[str, ...]) -> None:
    for index, rule in enumerate(rules):
        if rule not in allowed:
            shown = _listed(allowed) if allowed else "none (the flow asks for no approval)"
            raise ConfigError(f"{path}: {key}.{index}: {rule!r} is not allowed; allowed: {shown}")


def describe(path: Path | str, exc: ValidationError) -> str:
    """The first problem as one line: file, dotted key, what is wrong and what is allowed."""
    error = exc.errors()[0]
    loc = [str(part) for part in error["loc"]]
    key = dotted(loc)
    kind = error["type"]
    if kind == "extra_forbidden":
        allowed = _allowed_keys(loc[:-1])
        return f"{path}: {key}: unknown key; allowed: {', '.join(allowed)}"
    if kind in ("literal_error", "enum"):
        expected = error.get("ctx", {}).get("expected", "")
        return f"{path}: {key}: {error['input']!r} is not allowed; allowed: {expected}"
    if kind == "value_error":
        return f"{path}: {key}: {str(error['msg']).removeprefix('Value error, ')}"
    return f"{path}: {key}: {error['msg']} (got {error.get('input')!r})"


def dotted(loc: typing.Iterable[object]) -> str:
    """A key's place as TOML writes it: ``devices.camera.source``, with a key that is not a bare word
    quoted (``approvals."a b"``), so the line stays one line whatever the file's keys hold."""
    return ".".join(part if _BARE_KEY.fullmatch(part) else json.dumps(part, ensure_ascii=False)
                    for part in map(str, loc))


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _allowed_keys(loc: list[str]) -> list[str]:
    model: Any = KioskConfig
    for part in loc:
        if ascii_digits(part) or part not in model.model_fields:  # a list index or a table's own key (a flow id)
            continue
        annotation = model.model_fields[part].annotation
        model = next((a for a in (annotation, *typing.get_args(annotation)) if isinstance(a, type)
                      and issubclass(a, BaseModel)), None)
        if model is None:
            return []
    return [name for name in model.model_fields if name != "path"]
