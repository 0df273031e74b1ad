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


# -- discovery: ping packets (FPP ``MultiSync::CreatePingPacket`` / ``ProcessPingPacket``) ------------
# v3 body, 294 bytes: version, subtype (0 ping, 1 discover), system type, major and minor version
# (u16 big-endian each), mode flags, IPv4 (4 bytes), then NUL-padded text fields at fixed offsets:
# host name at 12 (65 bytes), version text at 77 (41), hardware model at 118 (41), channel
# ranges at 159 (120; e.g. ``0-455,512-1024``, 0-based, inclusive); the rest is zero.  FPP
# reads v1 (169 bytes) and v2 (214) pings too: the same offsets, cut shorter.
PING_V3_BYTES = 294
PING_MIN_BYTES = 169
MODE_BRIDGE, MODE_PLAYER, MODE_SENDS_SYNC, MODE_REMOTE = 0x01, 0x02, 0x04, 0x08
MODE_MASTER = MODE_PLAYER | MODE_SENDS_SYNC
SYSTEM_OTHER = 0xC0            # kSysTypeOtherSystem: not FPP itself, but MultiSync-capable
_PING_TEXT = {"hostname": (12, 64), "version": (77, 40), "model": (118, 40), "ranges": (159, 120)}


@dataclass(frozen=True)
class PingPacket:
    discover: bool           # True: "who is there?", to be answered with a ping
    system_type: int
    major: int
    minor: int
    mode: int                # MODE_* flags
    ip: str
    hostname: str
    version: str = ""
    model: str = ""
    ranges: str = ""
    ping_version: int = 3

    @property
    def mode_name(self) -> str:
        """bridge, master, player or remote (FPP's words); ``0x..`` for anything else."""
        if self.mode & MODE_REMOTE:
            return "remote"
        if self.mode & MODE_PLAYER:
            return "master" if self.mode & MODE_SENDS_SYNC else "player"
        if self.mode & MODE_BRIDGE:
            return "bridge"
        return f"0x{self.mode:02x}"


def build_ping(ping: PingPacket) -> bytes:
    """A v3 ping (or discover) packet; text fields too long for their slot are a ValueError."""
    body = bytearray(PING_V3_BYTES)
    parts = [int(p) for p in ping.ip.split(".")] if ping.ip.count(".") == 3 else []
    if len(parts) != 4 or not all(0 <= p <= 255 for p in parts):
        raise ValueError(f"a ping carries an IPv4 address, not '{ping.ip}'")
    if not (0 <= ping.major <= 0xFFFF and 0 <= ping.minor <= 0xFFFF and 0 <= ping.mode <= 0xFF
            and 0 <= ping.system_type <= 0xFF):
        raise ValueError("ping version numbers are u16, mode and system type u8")
    body[0:8] = bytes([3, 1 if ping.discover else 0, ping.system_type]) + ping.major.to_bytes(2, "big") \
        + ping.minor.to_bytes(2, "big") + bytes([ping.mode])
    body[8:12] = bytes(parts)
    for field_name, (offset, size) in _PING_TEXT.items():
        text = getattr(ping, field_name).encode("utf-8")
        if len(text) > size or b"\0" in text:
            raise ValueError(f"ping {field_name} is at most {size} bytes without NUL")
        body[offset:offset + len(text)] = text
    return _HEADER.pack(MAGIC, TYPE_PING, len(body)) + bytes(body)


def parse_ping(data: bytes) -> PingPacket:
    """A ping (v1, v2 or v3) from the network; anything else is a :class:`FormatError`."""
    if packet_type(data) != TYPE_PING:
        raise FormatError(f"an FPP control packet of type {data[4]}, not a ping")
    length = _HEADER.unpack_from(data)[2]
    body = data[_HEADER.size:]
    if length < PING_MIN_BYTES or len(body) < length:
        raise FormatError(f"a ping body of {len(body)} bytes, the header says {length} "
                          f"(at least {PING_MIN_BYTES})")
    body = body[:length]
    version = body[0]
    if version not in (1, 2, 3) or body[1] > 1:
        raise FormatError(f"a ping of version {version}, subtype {body[1]}: expected 1..3 and 0 or 1")
    texts = {}
    for field_name, (offset, size) in _PING_TEXT.items():
        raw = body[offset:offset + size + 1].split(b"\0", 1)[0]
        texts[field_name] = raw.decode("utf-8", errors="replace")
    return PingPacket(bool(body[1]), body[2], int.from_bytes(body[3:5], "big"), int.from_bytes(body[5:7], "big"),
                      body[7], ".".join(str(b) for b in body[8:12]), ping_version=version, **texts)


def packet_type(data: bytes) -> int:
    """The control packet type of ``data`` (TYPE_*); not an FPP control packet: FormatError."""
    if len(data) < _HEADER.size or data[:4] != MAGIC:
        raise FormatError("not an FPP control packet (no 'FPPD')")
    return data[4]


def format_channel_ranges(ranges: list[tuple[int, int]], max_bytes: int = 120) -> str:
    """``[(first, count), ...]`` (0-based channels) as FPP's ``first-last,...`` text, inclusive; runs
    that would not fit in ``max_bytes`` are joined with the run before them."""
    runs = [[first, first + count - 1] for first, count in sorted(ranges) if count > 0]
    while True:
        text = ",".join(f"{a}-{b}" for a, b in runs)
        if len(text) <= max_bytes or len(runs) < 2:
            return text if len(text) <= max_bytes else ""
        gaps = [runs[i + 1][0] - runs[i][1] for i in range(len(runs) - 1)]
        i = gaps.index(min(gaps))
        runs[i][1] = runs[i + 1][1]
        del runs[i + 1]
