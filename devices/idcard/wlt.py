"""The chip photo: 1024 bytes of WLT, a compressed format only the licensed vendor decoder reads.

This project ships no WLT decoder and does not pretend to. A decoder is plugged in by
configuration, one of:

* :class:`LibraryPhotoDecoder`: the vendor's shared library loaded with ctypes. The convention
  (that of the common ``libwlt2bmp`` / ``WltRS`` builds) is
  ``int FUNCTION(const unsigned char *wlt, unsigned char *out, int flag)``: ``wlt`` points at the
  1024 WLT bytes, ``out`` at a buffer of :data:`BMP_SIZE` bytes, ``flag`` is passed through
  (default 0); a return value of 1 is success. ``output="bmp"`` means ``out`` receives a whole BMP
  file (102 x 126, 24 bit, 38862 bytes); ``output="bgr"`` means it receives the 38556 bytes of raw
  pixels (bottom-up BGR rows of 306 bytes) and this module adds the BMP header.
* :class:`CommandPhotoDecoder`: a command. With no placeholders it gets the WLT on stdin and must
  write a BMP, JPEG or PNG to stdout; ``{wlt}`` and ``{out}`` in its arguments are replaced by
  temporary file paths instead (the command writes the image to ``{out}``).
* :class:`SimulatorPhotoDecoder`: for the protocol-level simulator only. The simulator cannot make
  real WLT either; it sends 1024 marker bytes per test card and this decoder maps those exact bytes
  back to the card's profile photo. It decodes nothing else.

With no decoder (:class:`NoPhotoDecoder`) the photo is unavailable: the reader returns the card
with ``photo=None`` and the kiosk falls back to staff checking the face.
"""

from __future__ import annotations

import ctypes
import hashlib
import struct
import subprocess
import tempfile
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

WLT_SIZE = 1024
WIDTH, HEIGHT = 102, 126
ROW_SIZE = (WIDTH * 3 + 3) // 4 * 4  # 308: BMP rows are padded to 4 bytes
BGR_SIZE = WIDTH * HEIGHT * 3  # 38556
BMP_HEADER_SIZE = 54
BMP_SIZE = BMP_HEADER_SIZE + ROW_SIZE * HEIGHT  # 38862
_IMAGE_MAGIC = (b"BM", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


class PhotoUnavailable(Exception):
    """The photo could not be decoded; the reason is one line for the log."""


class PhotoDecoder(Protocol):
    def decode(self, wlt: bytes) -> bytes:
        """The photo as an image file (BMP, JPEG or PNG); PhotoUnavailable when it cannot be had."""
        ...


class NoPhotoDecoder:
    def decode(self, wlt: bytes) -> bytes:
        raise PhotoUnavailable("no WLT decoder configured")


def _check_image(image: bytes, source: str) -> bytes:
    if not image.startswith(_IMAGE_MAGIC):
        raise PhotoUnavailable(f"{source} did not produce a BMP, JPEG or PNG image")
    return image


def bmp_from_bgr(pixels: bytes) -> bytes:
    """A 102 x 126 24-bit BMP file from 38556 bytes of bottom-up BGR rows."""
    if len(pixels) != BGR_SIZE:
        raise ValueError(f"expected {BGR_SIZE} bytes of pixels, got {len(pixels)}")
    pad = b"\x00" * (ROW_SIZE - WIDTH * 3)
    rows = b"".join(pixels[r * WIDTH * 3:(r + 1) * WIDTH * 3] + pad for r in range(HEIGHT))
    header = b"BM" + struct.pack("<IHHI", BMP_SIZE, 0, 0, BMP_HEADER_SIZE)
    info = struct.pack("<IiiHHIIiiII", 40, WIDTH, HEIGHT, 1, 24, 0, len(rows), 2835, 2835, 0, 0)
    return header + info + rows


class LibraryPhotoDecoder:
    """The vendor's shared library (see the module docstring for the calling convention)."""

    def __init__(self, path: str | Path, function: str = "unpack", output: str = "bmp", flag: int = 0) -> None:
        if output not in ("bmp", "bgr"):
            raise ValueError("output is 'bmp' or 'bgr'")
        self.path, self.function, self.output, self.flag = str(path), function, output, flag
        self._lock = threading.Lock()  # vendor decoders are seldom thread-safe
        self._call: Callable[[bytes, Any, int], int] | None = None
        self.load_error = ""
        try:
            call = getattr(ctypes.CDLL(self.path), function)
        except (OSError, AttributeError) as exc:
            self.load_error = f"WLT decoder {self.path}: {exc}"
        else:
            call.argtypes = (ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int)
            call.restype = ctypes.c_int
            self._call = call

    @property
    def usable(self) -> bool:
        return self._call is not None

    def decode(self, wlt: bytes) -> bytes:
        if self._call is None:
            raise PhotoUnavailable(self.load_error)
        if len(wlt) != WLT_SIZE:
            raise PhotoUnavailable(f"a WLT photo is {WLT_SIZE} bytes, not {len(wlt)}")
        out = ctypes.create_string_buffer(BMP_SIZE)
        with self._lock:
            result = self._call(wlt, out, self.flag)
        if result != 1:
            raise PhotoUnavailable(f"{self.path} {self.function} returned {result}")
        if self.output == "bgr":
            return bmp_from_bgr(out.raw[:BGR_SIZE])
        return _check_image(out.raw, f"{self.path} {self.function}")


class CommandPhotoDecoder:
    """A command that turns WLT into an image (stdin/stdout, or ``{wlt}``/``{out}`` file paths)."""

    def __init__(self, argv: Sequence[str], timeout: float = 5.0) -> None:
        if not argv:
            raise ValueError("the WLT decoder command is empty")
        self.argv, self.timeout = list(argv), timeout

    def decode(self, wlt: bytes) -> bytes:
        uses_files = any("{wlt}" in arg or "{out}" in arg for arg in self.argv)
        try:
            if uses_files:
                return self._decode_files(wlt)
            done = subprocess.run(self.argv, input=wlt, capture_output=True, timeout=self.timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PhotoUnavailable(f"WLT decoder {self.argv[0]}: {exc}") from None
        self._check_exit(done.returncode, done.stderr)
        return _check_image(done.stdout, self.argv[0])

    def _decode_files(self, wlt: bytes) -> bytes:
        with tempfile.TemporaryDirectory(prefix="wlt-") as folder:
            source, target = Path(folder) / "photo.wlt", Path(folder) / "photo.img"
            source.write_bytes(wlt)
            argv = [arg.replace("{wlt}", str(source)).replace("{out}", str(target)) for arg in self.argv]
            done = subprocess.run(argv, capture_output=True, timeout=self.timeout, check=False)
            self._check_exit(done.returncode, done.stderr)
            if not target.exists():
                raise PhotoUnavailable(f"WLT decoder {self.argv[0]} wrote no image")
            return _check_image(target.read_bytes(), self.argv[0])

    def _check_exit(self, returncode: int, stderr: bytes) -> None:
        if returncode != 0:
            last = stderr.decode(errors="replace").strip().splitlines()[-1:] or [""]
            raise PhotoUnavailable(f"WLT decoder {self.argv[0]} exited {returncode} {last[0]}".rstrip())


def simulated_wlt(id_number: str, photo: bytes | None) -> bytes:
    """The 1024 marker bytes the simulator sends in place of a real WLT photo for one card."""
    digest = hashlib.sha256(id_number.encode() + b"\x00" + (photo or b"")).digest()
    return (b"SIMWLT\x00\x01" + digest).ljust(WLT_SIZE, b"\x00")


class SimulatorPhotoDecoder:
    """Maps the simulator's marker bytes back to the profile photo; nothing else decodes."""

    def __init__(self, photos: Mapping[bytes, bytes | None]) -> None:
        self._photos = photos  # the simulator's live registry: WLT marker -> profile photo

    def decode(self, wlt: bytes) -> bytes:
        photo = self._photos.get(bytes(wlt))
        if photo is None:
            raise PhotoUnavailable("the simulator has no photo for these WLT bytes")
        return photo


def build_photo_decoder(library: str | None = None, function: str = "unpack", output: str = "bmp",
                        command: Sequence[str] | None = None) -> PhotoDecoder:
    """The decoder the configuration names: a library, a command, or none (photo unavailable)."""
    if library and command:
        raise ValueError("configure a WLT decoder library or a command, not both")
    if library:
        return LibraryPhotoDecoder(library, function, output)
    if command:
        return CommandPhotoDecoder(command)
    return NoPhotoDecoder()
