"""``kiosk devices idcard read``: read one resident ID card from the reader on a serial port.

For staff and QA: it drives the real adapter (SerialIdCardReader), so it works the same on a reader
and on the protocol-level simulator's pseudo-terminal. Personal fields are masked as the journal
masks them (kiosk.core.masking.scrub) unless ``--show-personal-data`` is given. Exit status: 0 read,
1 the reader failed (one line on stderr), 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from typing import TYPE_CHECKING, Any, TextIO

from devices.api import Cancellation, DeviceError
from devices.idcard.api import IdCard
from devices.idcard.base_info import NO_EXPIRY, id_number_problem
from kiosk.core.clock import SystemClock
from kiosk.core.masking import scrub

if TYPE_CHECKING:  # the reader's modules load when the command runs, not with every `kiosk` command
    from devices.idcard.wlt import PhotoDecoder

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
_IMAGE_KINDS = ((b"BM", "BMP"), (b"\xff\xd8\xff", "JPEG"), (b"\x89PNG", "PNG"))


def add_idcard_commands(devices_subparsers: Any) -> None:
    """Add ``idcard read`` under ``kiosk devices`` (``devices_subparsers`` from add_subparsers())."""
    idcard = devices_subparsers.add_parser("idcard", help="the resident ID card reader")
    idcard.set_defaults(handler=lambda _args: idcard.print_help() or EXIT_USAGE)
    actions = idcard.add_subparsers(metavar="ACTION")
    read = actions.add_parser("read", help="read one card from the reader on a serial port")
    read.add_argument("--port", required=True, help="the reader's serial port, e.g. /dev/ttyUSB0")
    read.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for a card (default 30)")
    read.add_argument("--json", action="store_true", help="print the fields as JSON")
    read.add_argument("--show-personal-data", action="store_true",
                      help="print name, address and ID number in full (default: masked as in the journal)")
    read.add_argument("--reply-timeout", type=float, help=argparse.SUPPRESS)  # default: the reader's
    read.add_argument("--wlt-library", help="the vendor WLT decoder library, to check the photo decodes")
    read.add_argument("--wlt-command", help="a WLT decoder command (see docs/devices-idcard.md)")
    read.set_defaults(handler=cmd_idcard_read)


def cmd_idcard_read(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    from devices.idcard.serial_reader import REPLY_TIMEOUT, SerialIdCardReader

    out, err = out or sys.stdout, err or sys.stderr
    try:
        decoder = _decoder(args)
    except ValueError as exc:
        err.write(f"kiosk: {exc}\n")
        return EXIT_USAGE
    reply_timeout = REPLY_TIMEOUT if args.reply_timeout is None else args.reply_timeout
    reader = SerialIdCardReader(args.port, SystemClock(), reply_timeout, decoder)
    try:
        card = reader.read(args.timeout, Cancellation())
    except DeviceError as exc:
        err.write(f"kiosk: {_one_line(exc)}\n")
        return EXIT_FAILED
    except KeyboardInterrupt:
        err.write("kiosk: interrupted\n")
        return EXIT_INTERRUPTED
    finally:
        reader.close()
    fields = card_fields(card, show_personal_data=args.show_personal_data)
    if args.json:
        out.write(json.dumps(fields, ensure_ascii=False, indent=2) + "\n")
    else:
        out.writelines(f"{key:<16}{value}\n" for key, value in fields.items())
    return 0


def card_fields(card: IdCard, *, show_personal_data: bool = False) -> dict[str, str]:
    """The printed fields, in card order; masked as in the journal unless ``show_personal_data``."""
    fields = {
        "name": card.name,
        "sex": card.sex,
        "nation": card.nation,
        "birth_date": card.birth_date.isoformat(),
        "address": card.address,
        "id_number": card.id_number,
        "issuer": card.issuer,
        "valid_from": card.valid_from.isoformat(),
        "valid_to": NO_EXPIRY if card.valid_to is None else card.valid_to.isoformat(),
        "id_number_check": id_number_problem(card.id_number, card.birth_date) or "ok",
        "photo_status": _photo_summary(card.photo),
    }
    if show_personal_data:
        return fields
    masked: dict[str, str] = scrub(fields)
    return masked


def _photo_summary(photo: bytes | None) -> str:
    if photo is None:
        return "unavailable"
    kind = next((name for magic, name in _IMAGE_KINDS if photo.startswith(magic)), "image")
    return f"{kind}, {len(photo)} bytes"


def _decoder(args: argparse.Namespace) -> PhotoDecoder:
    from devices.idcard.wlt import LibraryPhotoDecoder, build_photo_decoder

    command = shlex.split(args.wlt_command) if args.wlt_command else None
    decoder = build_photo_decoder(library=args.wlt_library, command=command)
    if isinstance(decoder, LibraryPhotoDecoder) and not decoder.usable:
        raise ValueError(decoder.load_error)
    return decoder


def _one_line(exc: DeviceError) -> str:
    return " ".join(str(exc).split())
