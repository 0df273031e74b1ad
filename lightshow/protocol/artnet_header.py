"""What every Art-Net 4 packet shares: the header, the OpCodes, Port-Addresses.

Layout of the header (byte offsets; "LE"/"BE" = little/big endian)::

    0   8  b"Art-Net\\0"
    8   2  OpCode, LE (OpDmx 0x5000 is ``00 50``)
   10   2  ProtVer, BE, 14 (``00 0e``) -- not in ArtPollReply

A Port-Address is 15 bits: Net (bits 14-8), Sub-Net (bits 7-4), Universe
(bits 3-0).  :func:`checked_int` is the one range check behind every builder;
like the rest of the codec it raises :class:`lightshow.errors.FormatError` and
nothing else.
"""

from __future__ import annotations

import operator
import struct

from lightshow.errors import FormatError

__all__ = [
    "ARTNET_ID",
    "ARTNET_PORT",
    "MAX_PORT_ADDRESS",
    "OPCODE",
    "OP_DMX",
    "OP_POLL",
    "OP_POLL_REPLY",
    "OP_SYNC",
    "OP_TIMECODE",
    "PROTOCOL_VERSION",
    "checked_int",
    "checked_port_addresses",
    "header_bytes",
    "opcode_name",
    "port_address",
    "require_length",
    "split_port_address",
]

ARTNET_PORT = 6454  # 0x1936
ARTNET_ID = b"Art-Net\x00"
PROTOCOL_VERSION = 14

OP_POLL = 0x2000
OP_POLL_REPLY = 0x2100
OP_DMX = 0x5000
OP_SYNC = 0x5200
OP_TIMECODE = 0x9700

MAX_PORT_ADDRESS = 0x7FFF

OPCODE = struct.Struct("<H")

_OPCODE_NAMES = {
    OP_DMX: "ArtDmx",
    OP_SYNC: "ArtSync",
    OP_POLL: "ArtPoll",
    OP_POLL_REPLY: "ArtPollReply",
    OP_TIMECODE: "ArtTimeCode",
}


def checked_int(name: str, value: object, lo: int, hi: int) -> int:
    """``value`` as an int in ``lo..hi`` or a :class:`FormatError` naming it."""
    try:
        number = operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        raise FormatError(f"{name} must be an integer, got {value!r}") from None
    if not lo <= number <= hi:
        raise FormatError(f"{name} must be in {lo}..{hi}, got {number}")
    return number


def checked_port_addresses(port_addresses: object) -> list[int]:
    """``port_addresses`` as a list of Port-Addresses, each in 0..32767."""
    try:
        return [
            checked_int(f"port_addresses[{i}]", pa, 0, MAX_PORT_ADDRESS)
            for i, pa in enumerate(port_addresses)  # type: ignore[call-overload]
        ]
    except TypeError:
        raise FormatError(f"port_addresses must be a sequence of ints, got {port_addresses!r}") from None


def header_bytes(opcode: int) -> bytes:
    """ID, OpCode (LE) and ProtVer (BE): the 12 bytes most packets start with."""
    return ARTNET_ID + OPCODE.pack(opcode) + bytes((0, PROTOCOL_VERSION))


def opcode_name(opcode: int) -> str:
    """``ArtDmx`` etc. for the OpCodes this codec decodes, else ``OpCode 0x....``."""
    return _OPCODE_NAMES.get(opcode, f"OpCode 0x{opcode:04x}")


def require_length(raw: bytes, opcode: int, size: int) -> None:
    """A :class:`FormatError` unless the received packet has ``size`` bytes or more."""
    if len(raw) < size:
        raise FormatError(
            f"{opcode_name(opcode)} truncated: expected at least {size} bytes, found {len(raw)}"
        )


def port_address(net: int, subnet: int, universe: int) -> int:
    """The 15-bit Port-Address ``(net << 8) | (subnet << 4) | universe``.

    ``net`` is 0..127, ``subnet`` and ``universe`` are 0..15.
    """
    n = checked_int("net", net, 0, 0x7F)
    s = checked_int("subnet", subnet, 0, 0x0F)
    u = checked_int("universe", universe, 0, 0x0F)
    return (n << 8) | (s << 4) | u


def split_port_address(pa: int) -> tuple[int, int, int]:
    """``(net, subnet, universe)`` of a Port-Address in 0..32767."""
    value = checked_int("port address", pa, 0, MAX_PORT_ADDRESS)
    return value >> 8, (value >> 4) & 0x0F, value & 0x0F
