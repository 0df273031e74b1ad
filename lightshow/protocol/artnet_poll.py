"""ArtPoll (OpPoll 0x2000): the discovery request every node answers with ArtPollReply.

Layout after the 12-byte header (byte offsets; "BE" = big endian)::

    12   1  Flags              (receivers accept >= 14 bytes;
    13   1  DiagPriority        missing fields read as 0)
    14   2  TargetPortAddressTop, BE
    16   2  TargetPortAddressBottom, BE
    18   2  EstaMan, BE
    20   2  Oem, BE                              22 bytes
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from lightshow.protocol.artnet_header import (MAX_PORT_ADDRESS, OP_POLL, checked_int, header_bytes,
                                             require_length)

__all__ = [
    "ARTPOLL_MIN_SIZE",
    "ARTPOLL_SIZE",
    "POLL_FLAG_DIAGNOSTICS",
    "POLL_FLAG_DIAG_UNICAST",
    "POLL_FLAG_DISABLE_VLC",
    "POLL_FLAG_REPLY_ON_CHANGE",
    "POLL_FLAG_TARGETED",
    "ArtPoll",
    "build_artpoll",
    "decode_artpoll",
]

ARTPOLL_MIN_SIZE = 14
ARTPOLL_SIZE = 22

# ArtPoll Flags bits.
POLL_FLAG_REPLY_ON_CHANGE = 0x02
POLL_FLAG_DIAGNOSTICS = 0x04
POLL_FLAG_DIAG_UNICAST = 0x08
POLL_FLAG_DISABLE_VLC = 0x10
POLL_FLAG_TARGETED = 0x20

_POLL_BODY = struct.Struct(">BBHHHH")


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
        checked_int("flags", flags, 0, 255),
        checked_int("diag_priority", diag_priority, 0, 255),
        checked_int("target_port_address_top", target_port_address_top, 0, MAX_PORT_ADDRESS),
        checked_int("target_port_address_bottom", target_port_address_bottom, 0, MAX_PORT_ADDRESS),
        checked_int("esta_man", esta_man, 0, 0xFFFF),
        checked_int("oem", oem, 0, 0xFFFF),
    )
    return header_bytes(OP_POLL) + body


def decode_artpoll(raw: bytes) -> ArtPoll:
    """The ArtPoll in ``raw``, whose ID, OpCode and ProtVer ``parse_packet`` checked."""
    require_length(raw, OP_POLL, ARTPOLL_MIN_SIZE)

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
