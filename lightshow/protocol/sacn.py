"""sACN (ANSI E1.31) data packets, sans I/O.  All fields big-endian.

Our own codec rather than the ``sacn`` package: that package owns its sockets
and threads and sends on its own timer, where the engine needs packets it
times itself (one frame clock for Art-Net and sACN alike).

Rig universes are Art-Net port-addresses (0..32767); sACN numbers universes
from 1, so a rig universe u goes out as sACN universe u + 1.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from lightshow.errors import FormatError

SACN_PORT = 5568
ACN_ID = b"ASC-E1.17\x00\x00\x00"
VECTOR_ROOT_E131_DATA = 0x00000004
VECTOR_E131_DATA_PACKET = 0x00000002
VECTOR_DMP_SET_PROPERTY = 0x02
OPTION_PREVIEW = 0x80
OPTION_TERMINATED = 0x40
HEADER_SIZE = 126  # through the DMX start code
MAX_UNIVERSE = 63999
DEFAULT_PRIORITY = 100


def sacn_universe(rig_universe: int) -> int:
    return rig_universe + 1


def multicast_group(universe: int) -> str:
    """239.255.hi.lo for an sACN universe."""
    return f"239.255.{universe >> 8}.{universe & 0xFF}"


def build_sacn_data(universe: int, data: bytes, sequence: int, cid: bytes, source_name: str,
                    priority: int = DEFAULT_PRIORITY, terminated: bool = False,
                    sync_universe: int = 0) -> bytes:
    """One E1.31 data packet: root, framing and DMP layers, start code 0, slots."""
    if not 1 <= universe <= MAX_UNIVERSE:
        raise FormatError(f"sACN universe must be 1..{MAX_UNIVERSE}, found {universe}")
    if not 0 <= priority <= 200:
        raise FormatError(f"sACN priority must be 0..200, found {priority}")
    if len(cid) != 16:
        raise FormatError(f"sACN CID must be 16 bytes, found {len(cid)}")
    slots = bytes(data)
    if not 1 <= len(slots) <= 512:
        raise FormatError(f"sACN carries 1..512 slots, found {len(slots)}")
    name = source_name.encode("utf-8")[:63].ljust(64, b"\x00")
    total = HEADER_SIZE + len(slots)
    options = OPTION_TERMINATED if terminated else 0
    return b"".join((
        struct.pack(">HH12sHI16s", 0x0010, 0x0000, ACN_ID, 0x7000 | (total - 16),
                    VECTOR_ROOT_E131_DATA, cid),
        struct.pack(">HI64sBHBBH", 0x7000 | (total - 38), VECTOR_E131_DATA_PACKET, name,
                    priority, sync_universe, sequence & 0xFF, options, universe),
        struct.pack(">HBBHHHB", 0x7000 | (total - 115), VECTOR_DMP_SET_PROPERTY, 0xA1, 0x0000,
                    0x0001, len(slots) + 1, 0x00),
        slots,
    ))


@dataclass(frozen=True)
class SacnData:
    universe: int
    sequence: int
    priority: int
    terminated: bool
    source_name: str
    cid: bytes
    data: bytes


def parse_sacn_data(packet: bytes) -> SacnData:
    if len(packet) < HEADER_SIZE or packet[4:16] != ACN_ID:
        raise FormatError("expected an E1.31 data packet (ACN identifier), found other data")
    root_vector, cid = struct.unpack_from(">I16s", packet, 18)
    frame_vector, = struct.unpack_from(">I", packet, 40)
    if root_vector != VECTOR_ROOT_E131_DATA or frame_vector != VECTOR_E131_DATA_PACKET:
        raise FormatError(f"expected E1.31 data vectors 4/2, found {root_vector}/{frame_vector}")
    name, priority, _sync, sequence, options, universe = struct.unpack_from(">64sBHBBH", packet, 44)
    count, = struct.unpack_from(">H", packet, 123)
    data = packet[HEADER_SIZE:HEADER_SIZE + count - 1]
    return SacnData(universe, sequence, priority, bool(options & OPTION_TERMINATED),
                    name.split(b"\x00", 1)[0].decode("utf-8", "replace"), cid, data)
