"""The resident ID card reader's SAM frame protocol, as bytes only (no I/O).

A request from the kiosk to the reader::

    AA AA AA 96 69 | LEN (2, big endian) | CMD | PARA | DATA | CHK

and the reader's response::

    AA AA AA 96 69 | LEN (2, big endian) | SW1 SW2 SW3 | DATA | CHK

``LEN`` counts the bytes after itself up to and including ``CHK``; ``CHK`` is the XOR of every byte
after the preamble except ``CHK`` itself (so LEN is in it). ``SW3`` is the status; SW1 and SW2 are
0x00 on the readers we know.

:class:`FrameReader` takes bytes as they arrive and hands back whole frames. It refuses, with a
:class:`FrameError` naming the reason, anything that is not a well-formed frame: bytes before the
preamble, a length out of range, a wrong checksum, or (at :meth:`FrameReader.end`) a frame cut short.
A frame is never returned half-parsed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, IntEnum

from devices.api import DeviceError, ErrorCode

PREAMBLE = bytes.fromhex("AAAAAA9669")
HEADER_SIZE = len(PREAMBLE) + 2  # preamble and LEN
MIN_REQUEST_LEN = 3  # CMD PARA CHK
MIN_RESPONSE_LEN = 4  # SW1 SW2 SW3 CHK
MAX_LEN = 4096  # the longest reply we ask for (base info) is 1288


class Command(Enum):
    """The commands the kiosk sends, as (CMD, PARA)."""

    SAM_STATUS = (0x11, 0xFF)
    FIND_CARD = (0x20, 0x01)
    SELECT_CARD = (0x20, 0x02)
    READ_BASE_INFO = (0x30, 0x01)

    @property
    def cmd(self) -> int:
        return self.value[0]

    @property
    def para(self) -> int:
        return self.value[1]

    @classmethod
    def of(cls, cmd: int, para: int) -> Command | None:
        for command in cls:
            if command.value == (cmd, para):
                return command
        return None


class Sw3(IntEnum):
    """The status byte of a response (GA 467 names in the comments)."""

    OK = 0x90  # 操作成功
    FOUND = 0x9F  # 寻找证/卡成功
    FIND_FAILED = 0x80  # 寻找证/卡失败
    SELECT_FAILED = 0x81  # 选取证/卡失败
    READ_FAILED = 0x41  # 读证/卡操作失败
    CHECKSUM_ERROR = 0x10  # 接收业务终端数据的校验和错
    LENGTH_ERROR = 0x11  # 接收业务终端数据的长度错
    BAD_COMMAND = 0x21  # 接收业务终端的命令错误
    NOT_PERMITTED = 0x23  # 越权操作
    CARD_REFUSED_READER = 0x31  # 证/卡认证机具失败
    READER_REFUSED_CARD = 0x32  # 机具认证证/卡失败
    DATA_NOT_VERIFIED = 0x33  # 信息验证错误
    SAM_SELF_TEST_FAILED = 0x60  # SAM 自检失败
    SAM_NOT_AUTHORISED = 0x66  # SAM 未经授权


SUCCESS = frozenset({Sw3.OK, Sw3.FOUND})

# SW3 -> (error code, reason, what it means). Authentication: a card that will not accept the reader
# (31) is most often a card moved during the handshake, so the customer may try again; the reader
# refusing the card (32) or its data failing verification (33) is what a forged card looks like.
SW3_ERRORS: dict[Sw3, tuple[ErrorCode, str, str]] = {
    Sw3.FIND_FAILED: (ErrorCode.TIMEOUT, "no_card", "no card in the field"),
    Sw3.SELECT_FAILED: (ErrorCode.USER_ERROR, "select_failed", "the card could not be selected"),
    Sw3.READ_FAILED: (ErrorCode.USER_ERROR, "read_failed", "the card could not be read"),
    Sw3.CHECKSUM_ERROR: (ErrorCode.HARDWARE_ERROR, "request_checksum", "the reader got a request with a bad checksum"),
    Sw3.LENGTH_ERROR: (ErrorCode.HARDWARE_ERROR, "request_length", "the reader got a request with a bad length"),
    Sw3.BAD_COMMAND: (ErrorCode.HARDWARE_ERROR, "bad_command", "the reader does not know the command"),
    Sw3.NOT_PERMITTED: (ErrorCode.HARDWARE_ERROR, "not_permitted", "the command is not permitted now"),
    Sw3.CARD_REFUSED_READER: (ErrorCode.USER_ERROR, "card_refused_reader", "the card did not authenticate the reader"),
    Sw3.READER_REFUSED_CARD: (ErrorCode.FRAUD_ATTEMPT, "card_not_genuine", "the reader did not authenticate the card"),
    Sw3.DATA_NOT_VERIFIED: (ErrorCode.FRAUD_ATTEMPT, "data_not_verified", "the card's data failed verification"),
    Sw3.SAM_SELF_TEST_FAILED: (ErrorCode.HARDWARE_ERROR, "sam_failure", "the SAM failed its self-test"),
    Sw3.SAM_NOT_AUTHORISED: (ErrorCode.HARDWARE_ERROR, "sam_not_authorised", "the SAM is not authorised"),
}


def _sw3_error(sw3: int) -> tuple[ErrorCode, str, str]:
    try:
        return SW3_ERRORS[Sw3(sw3)]
    except (ValueError, KeyError):
        return ErrorCode.HARDWARE_ERROR, "unknown_status", "a status this adapter does not know"


class SamStatusError(Exception):
    """The reader answered with a status other than success."""

    def __init__(self, sw3: int, command: Command | None = None) -> None:
        self.sw3 = sw3
        self.command = command
        self.code, self.reason, self.meaning = _sw3_error(sw3)
        what = f" to {command.name}" if command is not None else ""
        super().__init__(f"SW3 {sw3:02X}{what}: {self.meaning}")

    def device_error(self, device: str) -> DeviceError:
        return DeviceError(device, self.code, self.reason, str(self))


class FrameError(Exception):
    """Bytes that are not a well-formed frame. ``reason``: garbage, bad_length, checksum, truncated."""

    def __init__(self, reason: str, detail: str) -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}")

    def device_error(self, device: str) -> DeviceError:
        return DeviceError(device, ErrorCode.HARDWARE_ERROR, self.reason, self.detail)


@dataclass(frozen=True)
class Request:
    command: Command
    data: bytes = b""


@dataclass(frozen=True)
class Response:
    sw3: int
    data: bytes = b""
    sw1: int = 0x00
    sw2: int = 0x00

    @property
    def ok(self) -> bool:
        return self.sw3 in SUCCESS


def checksum(body: bytes) -> int:
    """XOR of ``body`` (the bytes after the preamble, CHK excluded)."""
    value = 0
    for byte in body:
        value ^= byte
    return value


def build_frame(payload: bytes) -> bytes:
    """Preamble, LEN and CHK around ``payload`` (CMD PARA DATA, or SW1 SW2 SW3 DATA)."""
    length = len(payload) + 1
    if length > MAX_LEN:
        raise ValueError(f"a frame of {length} bytes is longer than {MAX_LEN}")
    body = length.to_bytes(2, "big") + payload
    return PREAMBLE + body + bytes([checksum(body)])


def encode_request(request: Request) -> bytes:
    return build_frame(bytes([request.command.cmd, request.command.para]) + request.data)


def encode_response(response: Response) -> bytes:
    return build_frame(bytes([response.sw1, response.sw2, response.sw3]) + response.data)


@dataclass(frozen=True)
class RawRequest:
    """A request as the reader sees it: the command may be one it does not know."""

    cmd: int
    para: int
    data: bytes

    @property
    def command(self) -> Command | None:
        return Command.of(self.cmd, self.para)


def _hex(data: bytes, limit: int = 16) -> str:
    shown = data[:limit].hex(" ").upper()
    return shown + (" ..." if len(data) > limit else "")


class FrameReader:
    """Frames out of a byte stream. ``kind`` is "response" (the kiosk's side) or "request" (a reader's)."""

    def __init__(self, kind: str = "response") -> None:
        if kind not in ("response", "request"):
            raise ValueError("kind is 'response' or 'request'")
        self.kind = kind
        self._min_len = MIN_RESPONSE_LEN if kind == "response" else MIN_REQUEST_LEN
        self._buffer = bytearray()

    @property
    def pending(self) -> int:
        """Bytes received that are not yet a whole frame."""
        return len(self._buffer)

    def clear(self) -> None:
        self._buffer.clear()

    def feed(self, data: bytes) -> list[bytes]:
        """Add ``data``; return the payloads (after LEN, before CHK) of the frames now complete.

        Raises FrameError (and forgets what it held) on garbage, a bad length or a bad checksum."""
        self._buffer += data
        frames = []
        try:
            while (payload := self._next()) is not None:
                frames.append(payload)
        except FrameError:
            self._buffer.clear()
            raise
        return frames

    def end(self) -> None:
        """No more bytes will come (the reply timed out): a partial frame is a truncated one."""
        if self._buffer:
            held = bytes(self._buffer)
            self._buffer.clear()
            raise FrameError("truncated", f"{len(held)} byte(s) of an unfinished frame: {_hex(held)}")

    def _next(self) -> bytes | None:
        buffer = self._buffer
        head = bytes(buffer[: len(PREAMBLE)])
        if not PREAMBLE.startswith(head):
            raise FrameError("garbage", f"expected the preamble AA AA AA 96 69, got {_hex(bytes(buffer))}")
        if len(buffer) < HEADER_SIZE:
            return None
        length = int.from_bytes(buffer[len(PREAMBLE):HEADER_SIZE], "big")
        if not self._min_len <= length <= MAX_LEN:
            raise FrameError("bad_length", f"LEN {length} is outside {self._min_len}..{MAX_LEN}")
        end = HEADER_SIZE + length
        if len(buffer) < end:
            return None
        body, chk = bytes(buffer[len(PREAMBLE):end - 1]), buffer[end - 1]
        del buffer[:end]
        if checksum(body) != chk:
            raise FrameError("checksum", f"CHK {chk:02X}, computed {checksum(body):02X} ({length}-byte frame)")
        return body[2:]

    def feed_responses(self, data: bytes) -> list[Response]:
        return [Response(sw1=p[0], sw2=p[1], sw3=p[2], data=p[3:]) for p in self.feed(data)]

    def feed_requests(self, data: bytes) -> list[RawRequest]:
        return [RawRequest(p[0], p[1], p[2:]) for p in self.feed(data)]


def decode_response(frame: bytes) -> Response:
    """One whole response frame (exactly its bytes) -> Response; FrameError if it is anything else."""
    reader = FrameReader("response")
    responses = reader.feed_responses(frame)
    reader.end()
    if len(responses) != 1:
        raise FrameError("garbage", f"expected one frame, got {len(responses)}")
    return responses[0]


def decode_request(frame: bytes) -> RawRequest:
    reader = FrameReader("request")
    requests = reader.feed_requests(frame)
    reader.end()
    if len(requests) != 1:
        raise FrameError("garbage", f"expected one frame, got {len(requests)}")
    return requests[0]


def expect_success(response: Response, command: Command) -> Response:
    """``response`` when its SW3 is success (90 or 9F); SamStatusError otherwise."""
    if not response.ok:
        raise SamStatusError(response.sw3, command)
    return response
