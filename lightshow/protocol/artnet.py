"""Sans-I/O codec for Art-Net 4 (ArtDmx, ArtSync, ArtPoll, ArtPollReply, ArtTimeCode).

Nothing here touches a socket or a clock: builders return ``bytes`` (or, for
:class:`ArtDmxPacker`, views into a reused numpy buffer) and
:func:`parse_packet` turns one UDP payload into a frozen dataclass.  Every
problem with a caller's values or with received bytes raises
:class:`lightshow.errors.FormatError` and nothing else.

Layouts (byte offsets; "LE"/"BE" = little/big endian)::

    every packet   0   8  b"Art-Net\\0"
                   8   2  OpCode, LE (OpDmx 0x5000 is ``00 50``)
                  10   2  ProtVer, BE, 14 (``00 0e``) -- not in ArtPollReply
    ArtDmx        12   1  Sequence (1..255 then 1 again; 0 = sequencing off)
      0x5000      13   1  Physical (informational input port)
                  14   2  Port-Address, LE: SubUni (sub-net<<4 | universe),
                          then Net (bits 14-8; bit 7 must be 0)
                  16   2  Length, BE, 2..512, even
                  18   n  slot 1.. (no start code)
    ArtSync       12   2  Aux1, Aux2 (0)                       14 bytes
      0x5200
    ArtPoll       12   1  Flags              (receivers accept >= 14 bytes;
      0x2000      13   1  DiagPriority        missing fields read as 0)
                  14   2  TargetPortAddressTop, BE
                  16   2  TargetPortAddressBottom, BE
                  18   2  EstaMan, BE
                  20   2  Oem, BE                              22 bytes
    ArtPollReply  10   4  IP address         (receivers accept >= 207 bytes;
      0x2100      14   2  Port 0x1936, LE     missing fields read as 0)
                  16   2  VersInfo, BE
                  18   1  NetSwitch (Port-Address bits 14-8)
                  19   1  SubSwitch (Port-Address bits 7-4)
                  20   2  Oem, BE
                  22   1  UbeaVersion
                  23   1  Status1
                  24   2  EstaMan, LE (!)
                  26  18  ShortName, NUL terminated
                  44  64  LongName, NUL terminated
                 108  64  NodeReport, NUL terminated
                 172   2  NumPorts, BE (high byte 0)
                 174   4  PortTypes[4] (bit 7 output, bit 6 input, 0-5 protocol)
                 178   4  GoodInput[4]
                 182   4  GoodOutputA[4]
                 186   4  SwIn[4]  (Port-Address bits 3-0 per input port)
                 190   4  SwOut[4] (Port-Address bits 3-0 per output port)
                 194   1  AcnPriority (SwVideo before Art-Net 4)
                 195   1  SwMacro
                 196   1  SwRemote
                 197   3  Spare
                 200   1  Style
                 201   6  MAC
                 207   4  BindIp
                 211   1  BindIndex (1 = root device)
                 212   1  Status2
                 213   4  GoodOutputB[4]
                 217   1  Status3
                 218   6  DefaultRespUID
                 224   2  User, BE
                 226   2  RefreshRate, BE
                 228   1  BackgroundQueuePolicy
                 229  10  Filler                               239 bytes
    ArtTimeCode   12   1  Filler
      0x9700      13   1  StreamId (0 = master; a filler in older texts)
                  14   1  Frames, 15 Seconds, 16 Minutes, 17 Hours
                  18   1  Type: 0 Film 24, 1 EBU 25, 2 DF 29.97, 3 SMPTE 30
                                                               19 bytes

Sources, read through the code search (nothing run):

* OLA ``plugins/artnet/ArtNetPackets.h``: the packed ``artnet_reply_s``
  (ip .. filler[26], 239 bytes with the 10-byte header), ``artnet_dmx_s``
  (sequence, physical, universe, net, length[2]), ``artnet_timecode_s``
  (version, filler, filler2, frames, seconds, minutes, hours, type) and
  ``artnet_poll_s`` (version, talk_to_me, priority).
* Wireshark ``epan/dissectors/packet-artnet.c``: ProtVer is skipped only for
  OpPollReply; ArtPollReply port LE, VersInfo BE, Oem BE, EstaMan LE, the
  AcnPriority byte at 194, BindIp/BindIndex/Status2, then GoodOutputB[4],
  Status3, DefaultRespUID[6] and "15 bytes filler"; ArtPoll reads
  TargetPortAddressTop and ...Bottom (both BE) when 4 more bytes are there;
  ArtDmx universe is read LE and Length BE; ArtSync has a 2-byte aux;
  ArtTimeCode is 2 filler bytes, then frames, seconds, minutes, hours, type.
* Arjan van Vught's ``lib-artnet/include/artnet.h`` (rpidmx512): the same
  ArtPollReply struct with the last 15 bytes split into UserHi/Lo,
  RefreshRateHi/Lo, BackgroundQueuePolicy and Filler[10], and the Status1/2/3,
  GoodOutput/B and PortTypes bit meanings.
* art-net.org.uk ArtPoll / ArtPollReply pages: receivers must accept ArtPoll
  of 14 bytes or more and ArtPollReply of 207 bytes or more; "ProtVer >= 14"
  is the good-packet test.  The EstaMan/Oem words that end the 22-byte ArtPoll
  (both high byte first) come from several Art-Net 4 implementations (e.g.
  the Elixir ``art_net`` package docs and C/Go structs named
  ``EstaManHi, EstaManLo, OemHi, OemLo``), not from the PDF itself.

Receiving is lenient where the spec asks for it (short ArtPoll/ArtPollReply,
odd ArtDmx lengths, bytes after the declared ArtDmx data are ignored) and
strict otherwise: a Length of 0 or > 512, a Net byte with bit 7 set, a
ProtVer below 14 or a truncated packet raise :class:`FormatError`.
"""

from __future__ import annotations

import ipaddress
import operator
import struct
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from lightshow.errors import FormatError

__all__ = [
    "ARTNET_ID",
    "ARTNET_PORT",
    "ARTPOLLREPLY_MIN_SIZE",
    "ARTPOLLREPLY_SIZE",
    "ARTPOLL_MIN_SIZE",
    "ARTPOLL_SIZE",
    "ARTSYNC_SIZE",
    "ARTTIMECODE_SIZE",
    "DMX_HEADER_SIZE",
    "MAX_PORT_ADDRESS",
    "OP_DMX",
    "OP_POLL",
    "OP_POLL_REPLY",
    "OP_SYNC",
    "OP_TIMECODE",
    "POLL_FLAG_DIAGNOSTICS",
    "POLL_FLAG_DIAG_UNICAST",
    "POLL_FLAG_DISABLE_VLC",
    "POLL_FLAG_REPLY_ON_CHANGE",
    "POLL_FLAG_TARGETED",
    "PORT_TYPE_INPUT",
    "PORT_TYPE_OUTPUT",
    "PROTOCOL_VERSION",
    "STATUS2_PORT_ADDRESS_15BIT",
    "STYLE_CONTROLLER",
    "STYLE_NODE",
    "TIMECODE_DF",
    "TIMECODE_EBU",
    "TIMECODE_FILM",
    "TIMECODE_SMPTE",
    "ArtDmx",
    "ArtDmxPacker",
    "ArtNetPacket",
    "ArtPoll",
    "ArtPollReply",
    "ArtSync",
    "ArtTimeCode",
    "UnknownArtNet",
    "build_artdmx",
    "build_artdmx_batch",
    "build_artpoll",
    "build_artpollreply",
    "build_artsync",
    "build_arttimecode",
    "next_sequence",
    "next_sequences",
    "parse_packet",
    "port_address",
    "split_port_address",
    "timecode_fps",
]

# ----------------------------------------------------------------- constants

ARTNET_PORT = 6454  # 0x1936
ARTNET_ID = b"Art-Net\x00"
PROTOCOL_VERSION = 14

OP_POLL = 0x2000
OP_POLL_REPLY = 0x2100
OP_DMX = 0x5000
OP_SYNC = 0x5200
OP_TIMECODE = 0x9700

MAX_PORT_ADDRESS = 0x7FFF
MAX_DMX_SLOTS = 512
DMX_HEADER_SIZE = 18
ARTSYNC_SIZE = 14
ARTPOLL_MIN_SIZE = 14
ARTPOLL_SIZE = 22
ARTPOLLREPLY_MIN_SIZE = 207
ARTPOLLREPLY_SIZE = 239
ARTTIMECODE_SIZE = 19

# ArtPoll Flags bits.
POLL_FLAG_REPLY_ON_CHANGE = 0x02
POLL_FLAG_DIAGNOSTICS = 0x04
POLL_FLAG_DIAG_UNICAST = 0x08
POLL_FLAG_DISABLE_VLC = 0x10
POLL_FLAG_TARGETED = 0x20

# ArtPollReply PortTypes bits (low 6 bits: protocol, 0 = DMX512).
PORT_TYPE_OUTPUT = 0x80
PORT_TYPE_INPUT = 0x40

# ArtPollReply Style codes (a subset) and Status2 bits.
STYLE_NODE = 0x00
STYLE_CONTROLLER = 0x01
STATUS2_PORT_ADDRESS_15BIT = 0x08

# ArtTimeCode Type values.
TIMECODE_FILM = 0
TIMECODE_EBU = 1
TIMECODE_DF = 2
TIMECODE_SMPTE = 3
_TIMECODE_FPS: dict[int, float] = {
    TIMECODE_FILM: 24.0,
    TIMECODE_EBU: 25.0,
    TIMECODE_DF: 30000 / 1001,
    TIMECODE_SMPTE: 30.0,
}
_TIMECODE_FRAMES: dict[int, int] = {
    TIMECODE_FILM: 24,
    TIMECODE_EBU: 25,
    TIMECODE_DF: 30,
    TIMECODE_SMPTE: 30,
}

_OPCODE = struct.Struct("<H")
_DMX_HEAD = struct.Struct("<BBH")  # sequence, physical, Port-Address (LE)
_POLL_BODY = struct.Struct(">BBHHHH")
_TIMECODE_BODY = struct.Struct(">BBBBBBB")
_SHORT_NAME_SIZE = 18
_LONG_NAME_SIZE = 64
_NODE_REPORT_SIZE = 64
_PORTS = 4


# ------------------------------------------------------------ small helpers


def _int(name: str, value: object, lo: int, hi: int) -> int:
    """``value`` as an int in ``lo..hi`` or a :class:`FormatError` naming it."""
    try:
        number = operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        raise FormatError(f"{name} must be an integer, got {value!r}") from None
    if not lo <= number <= hi:
        raise FormatError(f"{name} must be in {lo}..{hi}, got {number}")
    return number


def _u8(name: str, value: object) -> int:
    return _int(name, value, 0, 0xFF)


def _u16(name: str, value: object) -> int:
    return _int(name, value, 0, 0xFFFF)


def _pad4(values: Sequence[int]) -> tuple[int, int, int, int]:
    """Up to 4 port values followed by zeros for the absent ports."""
    a, b, c, d = (*values, 0, 0, 0, 0)[:_PORTS]
    return a, b, c, d


def _header(opcode: int) -> bytes:
    """ID, OpCode (LE) and ProtVer (BE): the 12 bytes most packets start with."""
    return ARTNET_ID + _OPCODE.pack(opcode) + bytes((0, PROTOCOL_VERSION))


def _ip_bytes(name: str, ip: object) -> bytes:
    """Dotted-quad IPv4 string -> 4 bytes, most significant first."""
    if not isinstance(ip, str):
        raise FormatError(f"{name} must be a dotted IPv4 string, got {ip!r}")
    try:
        return ipaddress.IPv4Address(ip).packed
    except ValueError:
        raise FormatError(f"{name} must be a dotted IPv4 string, got {ip!r}") from None


def _ip_str(raw: bytes) -> str:
    return ".".join(str(b) for b in raw)


def _fixed_bytes(name: str, value: object, size: int) -> bytes:
    if not isinstance(value, (bytes, bytearray, memoryview)) or len(value) != size:
        raise FormatError(f"{name} must be {size} bytes, got {value!r}")
    return bytes(value)


def _four(name: str, values: Sequence[int]) -> tuple[int, int, int, int]:
    try:
        items = tuple(values)
    except TypeError:
        raise FormatError(f"{name} must be 4 byte values, got {values!r}") from None
    if len(items) != _PORTS:
        raise FormatError(f"{name} must have 4 entries, got {len(items)}")
    a, b, c, d = (_int(f"{name}[{i}]", v, 0, 255) for i, v in enumerate(items))
    return a, b, c, d


def _encode_name(name: str, text: object, size: int) -> bytes:
    """ASCII text NUL-padded to ``size`` bytes (at most ``size - 1`` chars)."""
    if not isinstance(text, str):
        raise FormatError(f"{name} must be a string, got {text!r}")
    try:
        raw = text.encode("ascii")
    except UnicodeEncodeError:
        raise FormatError(f"{name} must be ASCII, got {text!r}") from None
    if b"\x00" in raw:
        raise FormatError(f"{name} must not contain NUL characters")
    if len(raw) > size - 1:
        raise FormatError(
            f"{name} is {len(raw)} characters; at most {size - 1} fit "
            f"(the field is {size} bytes including the terminating NUL)"
        )
    return raw.ljust(size, b"\x00")


def _decode_name(raw: bytes) -> str:
    """Bytes up to the first NUL, decoded leniently (never raises)."""
    return raw.split(b"\x00", 1)[0].decode("utf-8", errors="replace")


def _as_bytes(data: object) -> bytes:
    if isinstance(data, bytes):
        return data
    if isinstance(data, (bytearray, memoryview)):
        return bytes(data)
    raise FormatError(f"expected an Art-Net packet as bytes, got {type(data).__name__}")


# ------------------------------------------------------- port addressing


def port_address(net: int, subnet: int, universe: int) -> int:
    """The 15-bit Port-Address ``(net << 8) | (subnet << 4) | universe``.

    ``net`` is 0..127, ``subnet`` and ``universe`` are 0..15.
    """
    n = _int("net", net, 0, 0x7F)
    s = _int("subnet", subnet, 0, 0x0F)
    u = _int("universe", universe, 0, 0x0F)
    return (n << 8) | (s << 4) | u


def split_port_address(pa: int) -> tuple[int, int, int]:
    """``(net, subnet, universe)`` of a Port-Address in 0..32767."""
    value = _int("port address", pa, 0, MAX_PORT_ADDRESS)
    return value >> 8, (value >> 4) & 0x0F, value & 0x0F


def next_sequence(sequence: int) -> int:
    """The ArtDmx sequence number after ``sequence``: 1, 2, ... 255, 1, ...

    0 means "sequencing off" on the wire; passing 0 here starts a sequence at 1.
    """
    value = _int("sequence", sequence, 0, 255)
    return 1 if value >= 255 else value + 1


def next_sequences(sequences: np.ndarray) -> np.ndarray:
    """Vectorised :func:`next_sequence` for a uint8 array (0 -> 1, 255 -> 1)."""
    seq = np.asarray(sequences)
    if seq.dtype != np.uint8:
        raise FormatError(f"sequences must be uint8, got {seq.dtype}")
    return (seq.astype(np.uint16) % 255 + 1).astype(np.uint8)


def timecode_fps(kind: int) -> float:
    """Frames per second of an ArtTimeCode Type (29.97 for drop frame)."""
    return _TIMECODE_FPS[_int("timecode type", kind, 0, 3)]


# ----------------------------------------------------------------- packets


@dataclass(frozen=True, slots=True)
class ArtDmx:
    """One universe of DMX512 slot values (slot 1 first, no start code)."""

    port_address: int
    data: bytes
    sequence: int = 0
    physical: int = 0

    @property
    def net(self) -> int:
        return (self.port_address >> 8) & 0x7F

    @property
    def subnet(self) -> int:
        return (self.port_address >> 4) & 0x0F

    @property
    def universe(self) -> int:
        return self.port_address & 0x0F

    def to_bytes(self) -> bytes:
        return build_artdmx(self.port_address, self.data, self.sequence, self.physical)


@dataclass(frozen=True, slots=True)
class ArtSync:
    """ArtSync: latch the ArtDmx data received since the last ArtSync."""

    def to_bytes(self) -> bytes:
        return build_artsync()


@dataclass(frozen=True, slots=True)
class ArtPoll:
    """ArtPoll (discovery request).  Fields missing from a short packet are 0."""

    flags: int = 0
    diag_priority: int = 0
    target_port_address_top: int = 0
    target_port_address_bottom: int = 0
    esta_man: int = 0
    oem: int = 0

    def to_bytes(self) -> bytes:
        return build_artpoll(
            flags=self.flags,
            diag_priority=self.diag_priority,
            target_port_address_top=self.target_port_address_top,
            target_port_address_bottom=self.target_port_address_bottom,
            esta_man=self.esta_man,
            oem=self.oem,
        )


@dataclass(frozen=True, slots=True)
class ArtPollReply:
    """ArtPollReply, field by field (Art-Net 4, 239 bytes).

    :attr:`port_addresses` are the output universes served: for each port whose
    PortTypes has bit 7 (output) set, ``NetSwitch``/``SubSwitch``/``SwOut``
    combined into a Port-Address.  :attr:`input_port_addresses` does the same
    with bit 6 and ``SwIn``.
    """

    ip: str
    short_name: str
    long_name: str
    node_report: str = ""
    udp_port: int = ARTNET_PORT
    version_info: int = 0
    net_switch: int = 0
    sub_switch: int = 0
    oem: int = 0
    ubea_version: int = 0
    status1: int = 0
    esta_man: int = 0
    num_ports: int = 0
    port_types: tuple[int, int, int, int] = (0, 0, 0, 0)
    good_input: tuple[int, int, int, int] = (0, 0, 0, 0)
    good_output: tuple[int, int, int, int] = (0, 0, 0, 0)
    sw_in: tuple[int, int, int, int] = (0, 0, 0, 0)
    sw_out: tuple[int, int, int, int] = (0, 0, 0, 0)
    acn_priority: int = 0
    sw_macro: int = 0
    sw_remote: int = 0
    style: int = STYLE_NODE
    mac: bytes = b"\x00" * 6
    bind_ip: str = "0.0.0.0"
    bind_index: int = 0
    status2: int = 0
    good_output_b: tuple[int, int, int, int] = (0, 0, 0, 0)
    status3: int = 0
    default_responder_uid: bytes = b"\x00" * 6
    user: int = 0
    refresh_rate: int = 0
    background_queue_policy: int = 0

    def _base(self) -> int:
        return ((self.net_switch & 0x7F) << 8) | ((self.sub_switch & 0x0F) << 4)

    @property
    def port_addresses(self) -> tuple[int, ...]:
        """Port-Addresses of the ports whose PortTypes say "output"."""
        base = self._base()
        return tuple(
            base | (sw & 0x0F)
            for kind, sw in zip(self.port_types, self.sw_out, strict=True)
            if kind & PORT_TYPE_OUTPUT
        )

    @property
    def input_port_addresses(self) -> tuple[int, ...]:
        """Port-Addresses of the ports whose PortTypes say "input"."""
        base = self._base()
        return tuple(
            base | (sw & 0x0F)
            for kind, sw in zip(self.port_types, self.sw_in, strict=True)
            if kind & PORT_TYPE_INPUT
        )

    def to_bytes(self) -> bytes:
        return _encode_pollreply(self)


@dataclass(frozen=True, slots=True)
class ArtTimeCode:
    """ArtTimeCode: hours:minutes:seconds:frames of a Film/EBU/DF/SMPTE clock."""

    hours: int
    minutes: int
    seconds: int
    frames: int
    kind: int
    stream_id: int = 0

    @property
    def fps(self) -> float:
        return timecode_fps(self.kind)

    def to_bytes(self) -> bytes:
        return build_arttimecode(
            self.hours, self.minutes, self.seconds, self.frames, self.kind, self.stream_id
        )


@dataclass(frozen=True, slots=True)
class UnknownArtNet:
    """A packet with a valid Art-Net ID whose OpCode this codec does not decode.

    ``payload`` is everything after the OpCode (ProtVer included, if any).
    """

    opcode: int
    payload: bytes

    def to_bytes(self) -> bytes:
        opcode = _int("opcode", self.opcode, 0, 0xFFFF)
        return ARTNET_ID + _OPCODE.pack(opcode) + bytes(self.payload)


ArtNetPacket = ArtDmx | ArtSync | ArtPoll | ArtPollReply | ArtTimeCode | UnknownArtNet


# ---------------------------------------------------------------- builders


def _dmx_payload(data: object) -> bytes:
    if isinstance(data, np.ndarray):
        if data.dtype != np.uint8 or data.ndim != 1:
            raise FormatError(f"DMX data must be a 1-D uint8 array, got {data.ndim}-D {data.dtype}")
        return data.tobytes()
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    raise FormatError(f"DMX data must be bytes or a uint8 array, got {type(data).__name__}")


def build_artdmx(
    port_address: int,
    data: bytes | bytearray | memoryview | np.ndarray,
    sequence: int = 0,
    physical: int = 0,
) -> bytes:
    """An ArtDmx packet for ``port_address`` carrying ``data`` (slot 1 first).

    An odd number of slots is padded with one zero slot (the spec wants an even
    Length); 1..512 slots are accepted.
    """
    pa = _int("port address", port_address, 0, MAX_PORT_ADDRESS)
    seq = _int("sequence", sequence, 0, 255)
    phys = _int("physical", physical, 0, 255)
    payload = _dmx_payload(data)
    if not payload:
        raise FormatError("ArtDmx needs at least 1 slot of data, got 0")
    if len(payload) > MAX_DMX_SLOTS:
        raise FormatError(f"ArtDmx carries at most 512 slots, got {len(payload)}")
    if len(payload) % 2:
        payload += b"\x00"
    length = len(payload).to_bytes(2, "big")
    return _header(OP_DMX) + _DMX_HEAD.pack(seq, phys, pa) + length + payload


def build_artsync() -> bytes:
    """The 14-byte ArtSync packet."""
    return _header(OP_SYNC) + b"\x00\x00"


def build_artpoll(
    flags: int = 0,
    diag_priority: int = 0,
    *,
    target_port_address_top: int = 0,
    target_port_address_bottom: int = 0,
    esta_man: int = 0,
    oem: int = 0,
) -> bytes:
    """A 22-byte Art-Net 4 ArtPoll.

    ``flags`` combines the ``POLL_FLAG_*`` bits; the target range is only used by
    nodes when :data:`POLL_FLAG_TARGETED` is set.
    """
    body = _POLL_BODY.pack(
        _int("flags", flags, 0, 255),
        _int("diag_priority", diag_priority, 0, 255),
        _int("target_port_address_top", target_port_address_top, 0, MAX_PORT_ADDRESS),
        _int("target_port_address_bottom", target_port_address_bottom, 0, MAX_PORT_ADDRESS),
        _int("esta_man", esta_man, 0, 0xFFFF),
        _int("oem", oem, 0, 0xFFFF),
    )
    return _header(OP_POLL) + body


def build_artpollreply(
    ip: str,
    short_name: str,
    long_name: str,
    port_addresses: Sequence[int] = (),
    *,
    mac: bytes = b"\x00" * 6,
    node_report: str = "",
    bind_index: int = 1,
    bind_ip: str | None = None,
    version_info: int = 0,
    oem: int = 0x00FF,
    esta_man: int = 0,
    ubea_version: int = 0,
    status1: int = 0,
    status2: int = STATUS2_PORT_ADDRESS_15BIT,
    status3: int = 0,
    style: int = STYLE_NODE,
    good_output: int = 0,
    acn_priority: int = 0,
    refresh_rate: int = 0,
) -> bytes:
    """A 239-byte ArtPollReply for a node with up to 4 DMX512 output ports.

    Port ``i`` outputs ``port_addresses[i]``; all of them must share net and
    sub-net (the top 11 bits), which become NetSwitch/SubSwitch, and the low
    nibbles become SwOut.  ``bind_ip`` defaults to ``ip``.  ``oem`` defaults to
    0x00FF ("OemUnknown"); ``good_output`` is applied to every output port.
    """
    try:
        addresses = [
            _int(f"port_addresses[{i}]", pa, 0, MAX_PORT_ADDRESS) for i, pa in enumerate(port_addresses)
        ]
    except TypeError:
        raise FormatError(f"port_addresses must be a sequence of ints, got {port_addresses!r}") from None
    if len(addresses) > _PORTS:
        raise FormatError(f"an ArtPollReply describes at most 4 ports, got {len(addresses)}")
    bases = sorted({pa >> 4 for pa in addresses})
    if len(bases) > 1:
        shown = ", ".join(f"net {b >> 4}/sub-net {b & 0x0F}" for b in bases)
        raise FormatError(f"port addresses in one ArtPollReply must share net and sub-net; found {shown}")
    base = bases[0] if bases else 0
    count = len(addresses)
    out = _u8("good_output", good_output)
    reply = ArtPollReply(
        ip=ip,
        short_name=short_name,
        long_name=long_name,
        node_report=node_report,
        version_info=version_info,
        net_switch=base >> 4,
        sub_switch=base & 0x0F,
        oem=oem,
        ubea_version=ubea_version,
        status1=status1,
        esta_man=esta_man,
        num_ports=count,
        port_types=_pad4([PORT_TYPE_OUTPUT] * count),
        good_output=_pad4([out] * count),
        sw_out=_pad4([pa & 0x0F for pa in addresses]),
        acn_priority=acn_priority,
        style=style,
        mac=mac,
        bind_ip=ip if bind_ip is None else bind_ip,
        bind_index=bind_index,
        status2=status2,
        status3=status3,
        refresh_rate=refresh_rate,
    )
    return _encode_pollreply(reply)


def _encode_pollreply(r: ArtPollReply) -> bytes:
    """Serialise every field of ``r`` (validating each) into 239 bytes."""
    parts = [
        ARTNET_ID,
        _OPCODE.pack(OP_POLL_REPLY),
        _ip_bytes("ip", r.ip),
        _u16("udp_port", r.udp_port).to_bytes(2, "little"),
        _u16("version_info", r.version_info).to_bytes(2, "big"),
        bytes((_u8("net_switch", r.net_switch), _u8("sub_switch", r.sub_switch))),
        _u16("oem", r.oem).to_bytes(2, "big"),
        bytes((_u8("ubea_version", r.ubea_version), _u8("status1", r.status1))),
        _u16("esta_man", r.esta_man).to_bytes(2, "little"),
        _encode_name("short_name", r.short_name, _SHORT_NAME_SIZE),
        _encode_name("long_name", r.long_name, _LONG_NAME_SIZE),
        _encode_name("node_report", r.node_report, _NODE_REPORT_SIZE),
        _u16("num_ports", r.num_ports).to_bytes(2, "big"),
        bytes(_four("port_types", r.port_types)),
        bytes(_four("good_input", r.good_input)),
        bytes(_four("good_output", r.good_output)),
        bytes(_four("sw_in", r.sw_in)),
        bytes(_four("sw_out", r.sw_out)),
        bytes(
            (
                _u8("acn_priority", r.acn_priority),
                _u8("sw_macro", r.sw_macro),
                _u8("sw_remote", r.sw_remote),
            )
        ),
        b"\x00\x00\x00",  # spare
        bytes((_u8("style", r.style),)),
        _fixed_bytes("mac", r.mac, 6),
        _ip_bytes("bind_ip", r.bind_ip),
        bytes((_u8("bind_index", r.bind_index), _u8("status2", r.status2))),
        bytes(_four("good_output_b", r.good_output_b)),
        bytes((_u8("status3", r.status3),)),
        _fixed_bytes("default_responder_uid", r.default_responder_uid, 6),
        _u16("user", r.user).to_bytes(2, "big"),
        _u16("refresh_rate", r.refresh_rate).to_bytes(2, "big"),
        bytes((_u8("background_queue_policy", r.background_queue_policy),)),
        b"\x00" * 10,  # filler
    ]
    return b"".join(parts)


def build_arttimecode(
    hours: int, minutes: int, seconds: int, frames: int, kind: int, stream_id: int = 0
) -> bytes:
    """A 19-byte ArtTimeCode; ``kind`` is one of the ``TIMECODE_*`` types."""
    _check_timecode(hours, minutes, seconds, frames, kind)
    stream = _int("stream_id", stream_id, 0, 255)
    return _header(OP_TIMECODE) + _TIMECODE_BODY.pack(0, stream, frames, seconds, minutes, hours, kind)


def _check_timecode(hours: int, minutes: int, seconds: int, frames: int, kind: int) -> None:
    k = _int("timecode type", kind, 0, 3)
    _int("hours", hours, 0, 23)
    _int("minutes", minutes, 0, 59)
    _int("seconds", seconds, 0, 59)
    per_second = _TIMECODE_FRAMES[k]
    _int(f"frames (type {k}: {per_second} a second)", frames, 0, per_second - 1)


# ------------------------------------------------------- vectorised ArtDmx


class ArtDmxPacker:
    """Packs whole frames of many universes into reusable ArtDmx packets.

    One ``(n, 18 + max_length)`` uint8 buffer holds one packet per row.  The
    headers are written once here; :meth:`pack` writes the sequence column and
    copies the slot data of all universes with one vectorised numpy copy, then
    returns :attr:`rows` -- the same tuple of ``memoryview`` objects every time,
    row ``i`` cut to exactly ``18 + lengths[i]`` bytes, ready for
    ``sock.sendto(rows[i], addr)``.  The views alias the buffer, so send (or
    copy) them before the next :meth:`pack`.

    ``lengths`` is the slot count per universe (an int for all, or one per
    universe), 1..512; odd counts are padded with a zero slot, as
    :func:`build_artdmx` does.
    """

    def __init__(
        self,
        port_addresses: Sequence[int],
        lengths: int | Sequence[int] = MAX_DMX_SLOTS,
        physical: int | Sequence[int] = 0,
    ) -> None:
        try:
            checked = [
                _int(f"port_addresses[{i}]", pa, 0, MAX_PORT_ADDRESS) for i, pa in enumerate(port_addresses)
            ]
        except TypeError:
            raise FormatError(f"port_addresses must be a sequence of ints, got {port_addresses!r}") from None
        addresses = np.array(checked, dtype=np.uint16)
        count = len(addresses)
        slots = self._per_universe("lengths", lengths, count, 1, MAX_DMX_SLOTS)
        phys = self._per_universe("physical", physical, count, 0, 255)
        even = slots + (slots % 2)
        self._slots = slots
        self._max_slots = int(slots.max()) if count else 0
        width = DMX_HEADER_SIZE + (int(even.max()) if count else 0)
        buf = np.zeros((count, width), dtype=np.uint8)
        buf[:, 0:12] = np.frombuffer(_header(OP_DMX), dtype=np.uint8)
        buf[:, 13] = phys
        buf[:, 14] = addresses & 0xFF
        buf[:, 15] = addresses >> 8
        buf[:, 16] = even >> 8
        buf[:, 17] = even & 0xFF
        self._buffer = buf
        self._port_addresses = tuple(int(pa) for pa in addresses)
        self._lengths = tuple(int(n) for n in even)
        # Rows whose slot count is odd get their pad slot zeroed after each copy.
        self._odd_rows = np.flatnonzero(slots % 2)
        self._odd_cols = DMX_HEADER_SIZE + slots[self._odd_rows]
        # One-time loop over universes (never over channels).
        self._rows = tuple(memoryview(buf[i, : DMX_HEADER_SIZE + n]) for i, n in enumerate(self._lengths))

    @staticmethod
    def _per_universe(name: str, value: int | Sequence[int], count: int, lo: int, hi: int) -> np.ndarray:
        if isinstance(value, (int, np.integer)):
            return np.full(count, _int(name, value, lo, hi), dtype=np.int64)
        try:
            items = [_int(f"{name}[{i}]", v, lo, hi) for i, v in enumerate(value)]
        except TypeError:
            raise FormatError(f"{name} must be an int or a sequence of ints") from None
        if len(items) != count:
            raise FormatError(f"{name} has {len(items)} entries for {count} universes")
        return np.array(items, dtype=np.int64)

    def __len__(self) -> int:
        return len(self._rows)

    @property
    def port_addresses(self) -> tuple[int, ...]:
        return self._port_addresses

    @property
    def lengths(self) -> tuple[int, ...]:
        """ArtDmx Length per universe (even; odd slot counts rounded up)."""
        return self._lengths

    @property
    def rows(self) -> tuple[memoryview, ...]:
        return self._rows

    @property
    def buffer(self) -> np.ndarray:
        """The whole packet buffer (read-only view), one packet per row."""
        view = self._buffer.view()
        view.flags.writeable = False
        return view

    def pack(self, frame: np.ndarray, sequences: np.ndarray | int = 0) -> tuple[memoryview, ...]:
        """Fill every packet from ``frame`` (``(n, >= max length)`` uint8).

        ``sequences`` is a ``(n,)`` uint8 array or one int for all universes.
        """
        count = len(self._rows)
        if not isinstance(frame, np.ndarray) or frame.dtype != np.uint8 or frame.ndim != 2:
            raise FormatError(
                f"frame must be a 2-D uint8 array, got {getattr(frame, 'dtype', type(frame))}"
                f" with shape {getattr(frame, 'shape', '?')}"
            )
        if frame.shape[0] != count or frame.shape[1] < self._max_slots:
            raise FormatError(f"frame must have shape ({count}, >= {self._max_slots}), got {frame.shape}")
        if isinstance(sequences, (int, np.integer)):
            self._buffer[:, 12] = _int("sequence", sequences, 0, 255)
        else:
            seq = np.asarray(sequences)
            if seq.dtype != np.uint8 or seq.shape != (count,):
                raise FormatError(f"sequences must be a ({count},) uint8 array, got {seq.dtype} {seq.shape}")
            self._buffer[:, 12] = seq
        width = self._max_slots
        np.copyto(self._buffer[:, DMX_HEADER_SIZE : DMX_HEADER_SIZE + width], frame[:, :width])
        if self._odd_rows.size:
            self._buffer[self._odd_rows, self._odd_cols] = 0
        return self._rows


def build_artdmx_batch(
    port_addresses: Sequence[int],
    frame: np.ndarray,
    sequences: np.ndarray | int = 0,
) -> list[bytes]:
    """One ArtDmx ``bytes`` per universe (512 slots each) via :class:`ArtDmxPacker`.

    Convenient for one-off use; a sender that runs every frame should keep an
    :class:`ArtDmxPacker` and send its rows directly.
    """
    packer = ArtDmxPacker(port_addresses)
    return [bytes(row) for row in packer.pack(frame, sequences)]


# ----------------------------------------------------------------- parsing


def parse_packet(data: bytes | bytearray | memoryview) -> ArtNetPacket:
    """Decode one Art-Net UDP payload.

    Raises :class:`FormatError` (and nothing else) for anything that is not a
    well-formed Art-Net packet; a valid packet with an OpCode not decoded here
    comes back as :class:`UnknownArtNet`.
    """
    raw = _as_bytes(data)
    if len(raw) < 10:
        raise FormatError(f"not Art-Net: expected at least 10 bytes (ID + OpCode), found {len(raw)}")
    if raw[:8] != ARTNET_ID:
        raise FormatError(f"not Art-Net: expected ID {ARTNET_ID!r}, found {raw[:8]!r}")
    (opcode,) = _OPCODE.unpack_from(raw, 8)
    if opcode == OP_POLL_REPLY:
        return _parse_pollreply(raw)
    parser = _PARSERS.get(opcode)
    if parser is None:
        return UnknownArtNet(opcode, raw[10:])
    _check_protver(raw, opcode)
    return parser(raw)


def _name(opcode: int) -> str:
    return _OP_NAMES.get(opcode, f"OpCode 0x{opcode:04x}")


def _check_protver(raw: bytes, opcode: int) -> None:
    if len(raw) < 12:
        raise FormatError(
            f"{_name(opcode)} truncated: expected ProtVer at bytes 10-11, found only {len(raw)} bytes"
        )
    version = int.from_bytes(raw[10:12], "big")
    if version < PROTOCOL_VERSION:
        raise FormatError(f"{_name(opcode)}: expected ProtVer >= {PROTOCOL_VERSION}, found {version}")


def _need(raw: bytes, opcode: int, size: int) -> None:
    if len(raw) < size:
        raise FormatError(f"{_name(opcode)} truncated: expected at least {size} bytes, found {len(raw)}")


def _parse_dmx(raw: bytes) -> ArtDmx:
    _need(raw, OP_DMX, DMX_HEADER_SIZE)
    sequence, physical, sub_uni, net = raw[12], raw[13], raw[14], raw[15]
    if net & 0x80:
        raise FormatError(f"ArtDmx: expected a Net byte of 0..127 (15-bit Port-Address), found {net}")
    length = int.from_bytes(raw[16:18], "big")
    if not 1 <= length <= MAX_DMX_SLOTS:
        raise FormatError(f"ArtDmx: expected Length 1..512 (2..512 and even when sent), found {length}")
    end = DMX_HEADER_SIZE + length
    if len(raw) < end:
        raise FormatError(f"ArtDmx truncated: Length says {length} slots, found {len(raw) - DMX_HEADER_SIZE}")
    return ArtDmx(
        port_address=(net << 8) | sub_uni,
        data=raw[DMX_HEADER_SIZE:end],
        sequence=sequence,
        physical=physical,
    )


def _parse_sync(raw: bytes) -> ArtSync:
    _need(raw, OP_SYNC, ARTSYNC_SIZE)
    return ArtSync()


def _parse_poll(raw: bytes) -> ArtPoll:
    _need(raw, OP_POLL, ARTPOLL_MIN_SIZE)

    def word(offset: int) -> int:  # a BE field that a short packet may lack
        return int.from_bytes(raw[offset : offset + 2], "big") if len(raw) >= offset + 2 else 0

    return ArtPoll(
        flags=raw[12],
        diag_priority=raw[13],
        target_port_address_top=word(14),
        target_port_address_bottom=word(16),
        esta_man=word(18),
        oem=word(20),
    )


def _parse_pollreply(raw: bytes) -> ArtPollReply:
    _need(raw, OP_POLL_REPLY, ARTPOLLREPLY_MIN_SIZE)
    # Fields past the end of an older, shorter reply read as zero.
    b = raw[:ARTPOLLREPLY_SIZE].ljust(ARTPOLLREPLY_SIZE, b"\x00")

    def four(offset: int) -> tuple[int, int, int, int]:
        return b[offset], b[offset + 1], b[offset + 2], b[offset + 3]

    return ArtPollReply(
        ip=_ip_str(b[10:14]),
        udp_port=int.from_bytes(b[14:16], "little"),
        version_info=int.from_bytes(b[16:18], "big"),
        net_switch=b[18],
        sub_switch=b[19],
        oem=int.from_bytes(b[20:22], "big"),
        ubea_version=b[22],
        status1=b[23],
        esta_man=int.from_bytes(b[24:26], "little"),
        short_name=_decode_name(b[26:44]),
        long_name=_decode_name(b[44:108]),
        node_report=_decode_name(b[108:172]),
        num_ports=int.from_bytes(b[172:174], "big"),
        port_types=four(174),
        good_input=four(178),
        good_output=four(182),
        sw_in=four(186),
        sw_out=four(190),
        acn_priority=b[194],
        sw_macro=b[195],
        sw_remote=b[196],
        style=b[200],
        mac=b[201:207],
        bind_ip=_ip_str(b[207:211]),
        bind_index=b[211],
        status2=b[212],
        good_output_b=four(213),
        status3=b[217],
        default_responder_uid=b[218:224],
        user=int.from_bytes(b[224:226], "big"),
        refresh_rate=int.from_bytes(b[226:228], "big"),
        background_queue_policy=b[228],
    )


def _parse_timecode(raw: bytes) -> ArtTimeCode:
    _need(raw, OP_TIMECODE, ARTTIMECODE_SIZE)
    _, stream_id, frames, seconds, minutes, hours, kind = _TIMECODE_BODY.unpack_from(raw, 12)
    try:
        _check_timecode(hours, minutes, seconds, frames, kind)
    except FormatError as exc:
        raise FormatError(f"ArtTimeCode: {exc}") from None
    return ArtTimeCode(hours, minutes, seconds, frames, kind, stream_id)


_PARSERS = {
    OP_DMX: _parse_dmx,
    OP_SYNC: _parse_sync,
    OP_POLL: _parse_poll,
    OP_TIMECODE: _parse_timecode,
}
_OP_NAMES = {
    OP_DMX: "ArtDmx",
    OP_SYNC: "ArtSync",
    OP_POLL: "ArtPoll",
    OP_POLL_REPLY: "ArtPollReply",
    OP_TIMECODE: "ArtTimeCode",
}
