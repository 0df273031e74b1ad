"""ArtPollReply (OpPollReply 0x2100): a node says who it is and which universes it serves.

The byte layout is written down once, as :data:`ARTPOLLREPLY_LAYOUT`: one row a
field, in wire order, each with the codec that checks, encodes and decodes it.
The builder and the decoder both walk that table.  An ArtPollReply has no
ProtVer: its fields start at byte 10, right after the OpCode.  Receivers accept
replies of 207 bytes or more (older nodes stop before BindIp); the missing
fields read as 0.  Names are NUL-terminated ASCII when sent and decoded
leniently (never raising) when received.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

from lightshow.errors import FormatError
from lightshow.protocol.artnet_header import (ARTNET_ID, ARTNET_PORT, OP_POLL_REPLY, OPCODE, checked_int,
                                              checked_port_addresses, require_length)

__all__ = [
    "ARTPOLLREPLY_LAYOUT",
    "ARTPOLLREPLY_MIN_SIZE",
    "ARTPOLLREPLY_SIZE",
    "PORT_TYPE_INPUT",
    "PORT_TYPE_OUTPUT",
    "STATUS2_PORT_ADDRESS_15BIT",
    "STYLE_CONTROLLER",
    "STYLE_NODE",
    "ArtPollReply",
    "ReplyField",
    "build_artpollreply",
    "decode_artpollreply",
]

ARTPOLLREPLY_MIN_SIZE = 207
ARTPOLLREPLY_SIZE = 239

# ArtPollReply PortTypes bits (low 6 bits: protocol, 0 = DMX512).
PORT_TYPE_OUTPUT = 0x80
PORT_TYPE_INPUT = 0x40

# ArtPollReply Style codes (a subset) and Status2 bits.
STYLE_NODE = 0x00
STYLE_CONTROLLER = 0x01
STATUS2_PORT_ADDRESS_15BIT = 0x08

_PORTS = 4


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


# ------------------------------------------------------- field codecs


class _Codec(NamedTuple):
    """How one kind of field goes to its ``size`` bytes (checked, the field's
    name in the message) and back (never raising)."""

    size: int
    encode: Callable[[str, object], bytes]
    decode: Callable[[bytes], object]


def _uint(size: int, byteorder: Literal["big", "little"]) -> _Codec:
    top = (1 << (8 * size)) - 1
    return _Codec(
        size,
        lambda name, value: checked_int(name, value, 0, top).to_bytes(size, byteorder),
        lambda raw: int.from_bytes(raw, byteorder),
    )


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


def _four_bytes(name: str, values: object) -> bytes:
    """One byte per port, exactly four of them."""
    try:
        items = tuple(values)  # type: ignore[call-overload]
    except TypeError:
        raise FormatError(f"{name} must be 4 byte values, got {values!r}") from None
    if len(items) != _PORTS:
        raise FormatError(f"{name} must have 4 entries, got {len(items)}")
    return bytes(checked_int(f"{name}[{i}]", v, 0, 255) for i, v in enumerate(items))


def _fixed_bytes(size: int) -> _Codec:
    def encode(name: str, value: object) -> bytes:
        if not isinstance(value, (bytes, bytearray, memoryview)) or len(value) != size:
            raise FormatError(f"{name} must be {size} bytes, got {value!r}")
        return bytes(value)

    return _Codec(size, encode, bytes)


def _text(size: int) -> _Codec:
    """ASCII text NUL-padded to ``size`` bytes (at most ``size - 1`` chars);
    received bytes up to the first NUL, decoded leniently."""

    def encode(name: str, text: object) -> bytes:
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

    return _Codec(size, encode, lambda raw: raw.split(b"\x00", 1)[0].decode("utf-8", errors="replace"))


_U8 = _uint(1, "big")
_U16_BE = _uint(2, "big")
_U16_LE = _uint(2, "little")
_IPV4 = _Codec(4, _ip_bytes, _ip_str)
_FOUR = _Codec(_PORTS, _four_bytes, tuple)


def _zeros(size: int) -> _Codec:
    """Spare and filler bytes: always sent as zeros, ignored when received."""
    return _Codec(size, lambda name, value: bytes(size), lambda raw: None)


# --------------------------------------------------------------- layout


class ReplyField(NamedTuple):
    """One field of the wire layout: the :class:`ArtPollReply` attribute it
    carries (``None`` for spare and filler bytes) and its codec."""

    name: str | None
    codec: _Codec


# Bytes 0-9 are the ID and the OpCode (LE); there is no ProtVer.
ARTPOLLREPLY_LAYOUT: tuple[ReplyField, ...] = (
    ReplyField("ip", _IPV4),  # 10  IP address
    ReplyField("udp_port", _U16_LE),  # 14  Port 0x1936, LE
    ReplyField("version_info", _U16_BE),  # 16  VersInfo, BE
    ReplyField("net_switch", _U8),  # 18  NetSwitch (Port-Address bits 14-8)
    ReplyField("sub_switch", _U8),  # 19  SubSwitch (Port-Address bits 7-4)
    ReplyField("oem", _U16_BE),  # 20  Oem, BE
    ReplyField("ubea_version", _U8),  # 22  UbeaVersion
    ReplyField("status1", _U8),  # 23  Status1
    ReplyField("esta_man", _U16_LE),  # 24  EstaMan, LE (!)
    ReplyField("short_name", _text(18)),  # 26  ShortName, NUL terminated
    ReplyField("long_name", _text(64)),  # 44  LongName, NUL terminated
    ReplyField("node_report", _text(64)),  # 108 NodeReport, NUL terminated
    ReplyField("num_ports", _U16_BE),  # 172 NumPorts, BE (high byte 0)
    ReplyField("port_types", _FOUR),  # 174 PortTypes[4] (bit 7 output, bit 6 input, 0-5 protocol)
    ReplyField("good_input", _FOUR),  # 178 GoodInput[4]
    ReplyField("good_output", _FOUR),  # 182 GoodOutputA[4]
    ReplyField("sw_in", _FOUR),  # 186 SwIn[4]  (Port-Address bits 3-0 per input port)
    ReplyField("sw_out", _FOUR),  # 190 SwOut[4] (Port-Address bits 3-0 per output port)
    ReplyField("acn_priority", _U8),  # 194 AcnPriority (SwVideo before Art-Net 4)
    ReplyField("sw_macro", _U8),  # 195 SwMacro
    ReplyField("sw_remote", _U8),  # 196 SwRemote
    ReplyField(None, _zeros(3)),  # 197 Spare
    ReplyField("style", _U8),  # 200 Style
    ReplyField("mac", _fixed_bytes(6)),  # 201 MAC
    ReplyField("bind_ip", _IPV4),  # 207 BindIp
    ReplyField("bind_index", _U8),  # 211 BindIndex (1 = root device)
    ReplyField("status2", _U8),  # 212 Status2
    ReplyField("good_output_b", _FOUR),  # 213 GoodOutputB[4]
    ReplyField("status3", _U8),  # 217 Status3
    ReplyField("default_responder_uid", _fixed_bytes(6)),  # 218 DefaultRespUID
    ReplyField("user", _U16_BE),  # 224 User, BE
    ReplyField("refresh_rate", _U16_BE),  # 226 RefreshRate, BE
    ReplyField("background_queue_policy", _U8),  # 228 BackgroundQueuePolicy
    ReplyField(None, _zeros(10)),  # 229 Filler                      239 bytes
)

_FIELDS_START = len(ARTNET_ID) + OPCODE.size


def _placed(layout: Sequence[ReplyField]) -> tuple[tuple[str, _Codec, int], ...]:
    """(name, codec, offset) of the fields a reply carries, offsets from the layout."""
    placed, offset = [], _FIELDS_START
    for name, codec in layout:
        if name is not None:
            placed.append((name, codec, offset))
        offset += codec.size
    return tuple(placed)


_PLACED_FIELDS = _placed(ARTPOLLREPLY_LAYOUT)


def _encode_pollreply(reply: ArtPollReply) -> bytes:
    """Serialise every field of ``reply`` (validating each, in wire order) into 239 bytes."""
    fields = (
        codec.encode(name, getattr(reply, name)) if name is not None else codec.encode("spare", None)
        for name, codec in ARTPOLLREPLY_LAYOUT
    )
    return ARTNET_ID + OPCODE.pack(OP_POLL_REPLY) + b"".join(fields)


def decode_artpollreply(raw: bytes) -> ArtPollReply:
    """The ArtPollReply in ``raw``, whose ID and OpCode ``parse_packet`` checked."""
    require_length(raw, OP_POLL_REPLY, ARTPOLLREPLY_MIN_SIZE)
    # Fields past the end of an older, shorter reply read as zero.
    padded = raw[:ARTPOLLREPLY_SIZE].ljust(ARTPOLLREPLY_SIZE, b"\x00")
    values = {
        name: codec.decode(padded[offset : offset + codec.size]) for name, codec, offset in _PLACED_FIELDS
    }
    return ArtPollReply(**values)  # type: ignore[arg-type]


# -------------------------------------------------------------- builder


def _pad4(values: Sequence[int]) -> tuple[int, int, int, int]:
    """Up to 4 port values followed by zeros for the absent ports."""
    a, b, c, d = (*values, 0, 0, 0, 0)[:_PORTS]
    return a, b, c, d


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
    addresses = checked_port_addresses(port_addresses)
    if len(addresses) > _PORTS:
        raise FormatError(f"an ArtPollReply describes at most 4 ports, got {len(addresses)}")
    bases = sorted({pa >> 4 for pa in addresses})
    if len(bases) > 1:
        shown = ", ".join(f"net {b >> 4}/sub-net {b & 0x0F}" for b in bases)
        raise FormatError(f"port addresses in one ArtPollReply must share net and sub-net; found {shown}")
    base = bases[0] if bases else 0
    count = len(addresses)
    out = checked_int("good_output", good_output, 0, 0xFF)
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
