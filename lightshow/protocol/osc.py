"""Sans-I/O OSC 1.0 parsing: messages and bundles from datagrams a network peer sent.

Everything here is hostile until checked: an address that is not UTF-8, a type tag
string that runs off the end, a bundle element whose size is negative or larger than
what is left, bundles nested without end.  :func:`parse_osc` never raises anything but
:class:`~lightshow.errors.FormatError` and never loops on its input: every step moves
forward, and nesting is bounded.

Type tags understood: ``i`` int32, ``f`` float32, ``s``/``S`` string, ``b`` blob, ``h``
int64, ``d`` float64, ``t`` time tag, ``c`` char, ``r`` RGBA, ``m`` MIDI, and the
argument-less ``T`` ``F`` ``N`` ``I``.  Arrays (``[``/``]``) are refused.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from lightshow.errors import FormatError

BUNDLE_TAG = b"#bundle\x00"
MAX_NESTING = 8
IMMEDIATELY = 1                            # the OSC time tag meaning "now"
NTP_EPOCH_OFFSET_S = 2208988800            # 1900-01-01 to 1970-01-01
_I32, _F32, _I64, _F64, _U64 = (struct.Struct(f">{c}") for c in "ifqdQ")


@dataclass(frozen=True)
class OscMessage:
    address: str
    args: tuple
    time_tag: int = IMMEDIATELY            # of the bundle it came in (NTP 32.32 fixed point)

    @property
    def unix_time_s(self) -> float | None:
        """When the message should run, in Unix seconds; None: at once."""
        if self.time_tag == IMMEDIATELY:
            return None
        return (self.time_tag >> 32) - NTP_EPOCH_OFFSET_S + (self.time_tag & 0xFFFFFFFF) / 2**32


def _string(data: bytes, at: int) -> tuple[str, int]:
    end = data.find(b"\x00", at)
    if end < 0:
        raise FormatError(f"a string at byte {at} has no terminating zero")
    try:
        text = data[at:end].decode("utf-8")
    except UnicodeDecodeError:
        raise FormatError(f"a string at byte {at} is not UTF-8") from None
    return text, (end + 4) & ~3


def _fixed(data: bytes, at: int, codec: struct.Struct) -> tuple[object, int]:
    if at + codec.size > len(data):
        raise FormatError(f"an argument at byte {at} runs past the end of the packet")
    return codec.unpack_from(data, at)[0], at + codec.size


def _message(data: bytes, time_tag: int) -> OscMessage:
    address, at = _string(data, 0)
    if not address.startswith("/"):
        raise FormatError(f"an OSC address starts with '/', found {address[:40]!r}")
    if at >= len(data):
        return OscMessage(address, (), time_tag)          # no type tags: no arguments
    tags, at = _string(data, at)
    if not tags.startswith(","):
        raise FormatError("the type tag string does not start with ','")
    args: list = []
    for tag in tags[1:]:
        if tag in "if":
            value, at = _fixed(data, at, _I32 if tag == "i" else _F32)
        elif tag in "hd":
            value, at = _fixed(data, at, _I64 if tag == "h" else _F64)
        elif tag == "t":
            value, at = _fixed(data, at, _U64)
        elif tag in "crm":
            value, at = _fixed(data, at, _I32)
        elif tag in "sS":
            value, at = _string(data, at)
        elif tag == "b":
            size, at = _fixed(data, at, _I32)
            if not 0 <= size <= len(data) - at:
                raise FormatError(f"a blob of {size} bytes at byte {at} does not fit the packet")
            value, at = data[at:at + size], (at + size + 3) & ~3
        elif tag in "TFNI":
            value = {"T": True, "F": False, "N": None, "I": float("inf")}[tag]
        else:
            raise FormatError(f"unsupported OSC type tag {tag!r}")
        args.append(value)
    return OscMessage(address, tuple(args), time_tag)


def _elements(data: bytes, depth: int, out: list[OscMessage], time_tag: int) -> None:
    if data.startswith(b"#"):
        if depth >= MAX_NESTING:
            raise FormatError(f"bundles nested more than {MAX_NESTING} deep")
        if not data.startswith(BUNDLE_TAG) or len(data) < 16:
            raise FormatError("a bundle needs '#bundle' and an 8-byte time tag")
        inner_tag = _U64.unpack_from(data, 8)[0]
        at = 16
        while at < len(data):
            size, at = _fixed(data, at, _I32)
            if size <= 0 or size % 4 or size > len(data) - at:
                raise FormatError(f"a bundle element of {size} bytes at byte {at} does not fit the bundle")
            _elements(data[at:at + size], depth + 1, out, inner_tag)
            at += size
        return
    out.append(_message(data, time_tag))


def parse_osc(data: bytes) -> list[OscMessage]:
    """The messages of one datagram (a message, or a bundle of them), each with its bundle's time tag."""
    if not data or len(data) % 4:
        raise FormatError(f"an OSC packet is a non-empty multiple of 4 bytes, found {len(data)}")
    out: list[OscMessage] = []
    _elements(bytes(data), 0, out, IMMEDIATELY)
    return out
