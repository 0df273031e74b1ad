"""Sans-I/O codec for Falcon Player's MultiSync control packets (FPP ``src/MultiSync.h``/``.cpp``,
``docs/ControlProtocol.txt``).

Every packet starts with a 7-byte header: ``FPPD``, the packet type (1 sync, 3 blank, 4 ping,
5 plugin, 6 FPP command) and the length of what follows as u16.  FPP sends its packed
structs in host order, little-endian on every platform it runs on.  A sync body is the
action (0 start, 1 stop, 2 sync, 3 open), the file type (0 sequence, 1 media), the frame
(u32), the seconds (f32) and the file name, NUL-terminated; the length field is 11 plus the
name's length.  UDP port 32320, multicast group 239.70.80.80.

The master's cadence (:func:`sync_due`): a sync every 4th frame up to frame 32, then every
10th.  :func:`parse_sync` never raises anything but :class:`~lightshow.errors.FormatError`.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from lightshow.errors import FormatError

MULTISYNC_PORT = 32320
MULTICAST_GROUP = "239.70.80.80"
MAGIC = b"FPPD"
TYPE_SYNC, TYPE_BLANK, TYPE_PING, TYPE_PLUGIN, TYPE_COMMAND = 1, 3, 4, 5, 6
START, STOP, SYNC, OPEN = 0, 1, 2, 3
SEQUENCE, MEDIA = 0, 1
ACTIONS = {START: "start", STOP: "stop", SYNC: "sync", OPEN: "open"}
_HEADER = struct.Struct("<4sBH")
_SYNC = struct.Struct("<BBIf")
MAX_NAME_BYTES = 250


@dataclass(frozen=True)
class SyncPacket:
    action: int
    file_type: int
    frame: int
    seconds: float
    file_name: str


def build_sync(action: int, file_type: int, frame: int, seconds: float, file_name: str) -> bytes:
    """One sync packet, as a master sends it."""
    name = file_name.encode("utf-8")
    if action not in ACTIONS or file_type not in (SEQUENCE, MEDIA):
        raise ValueError(f"action {action} / file type {file_type} is not a MultiSync sync")
    if not 0 < len(name) <= MAX_NAME_BYTES or b"\0" in name:
        raise ValueError(f"a MultiSync file name is 1..{MAX_NAME_BYTES} bytes without NUL")
    body = _SYNC.pack(action, file_type, frame, seconds) + name + b"\0"
    return _HEADER.pack(MAGIC, TYPE_SYNC, len(body)) + body


def build_blank() -> bytes:
    """Blank: remotes turn their outputs off."""
    return _HEADER.pack(MAGIC, TYPE_BLANK, 0)


def parse_sync(data: bytes) -> SyncPacket:
    """A sync packet from the network; anything else is a :class:`FormatError`."""
    if len(data) < _HEADER.size or data[:4] != MAGIC:
        raise FormatError("not an FPP control packet (no 'FPPD')")
    _, kind, length = _HEADER.unpack_from(data)
    if kind != TYPE_SYNC:
        raise FormatError(f"an FPP control packet of type {kind}, not a sync")
    body = data[_HEADER.size:]
    if length != len(body) or length < _SYNC.size + 2:
        raise FormatError(f"a sync body of {len(body)} bytes, the header says {length}")
    action, file_type, frame, seconds = _SYNC.unpack_from(body)
    name = body[_SYNC.size:]
    if action not in ACTIONS or file_type not in (SEQUENCE, MEDIA) or not name.endswith(b"\0"):
        raise FormatError("a sync packet with an unknown action or file type, or an unterminated name")
    try:
        file_name = name[:-1].decode("utf-8")
    except UnicodeDecodeError:
        raise FormatError("a sync packet whose file name is not UTF-8") from None
    if not file_name or "\0" in file_name or seconds != seconds:
        raise FormatError("a sync packet with an empty file name or a position that is not a number")
    return SyncPacket(action, file_type, frame, seconds, file_name)


def sync_due(frame: int) -> bool:
    """Whether a master sends a sync for ``frame`` of a sequence: every 4th up to 32, then every 10th."""
    return frame % 4 == 0 if frame <= 32 else frame % 10 == 0
