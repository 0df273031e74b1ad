"""ArtDmx (OpDmx 0x5000): one universe of DMX512 slot values, built one by one or
packed for many universes at once, and decoded.

Layout after the 12-byte header (byte offsets; "LE"/"BE" = little/big endian)::

    12   1  Sequence (1..255 then 1 again; 0 = sequencing off)
    13   1  Physical (informational input port)
    14   2  Port-Address, LE: SubUni (sub-net<<4 | universe),
            then Net (bits 14-8; bit 7 must be 0)
    16   2  Length, BE, 2..512, even
    18   n  slot 1.. (no start code)

Receiving is lenient about odd Lengths and ignores bytes after the declared
data; a Length of 0 or > 512 or a Net byte with bit 7 set raises
:class:`lightshow.errors.FormatError`.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from lightshow.errors import FormatError
from lightshow.protocol.artnet_header import (MAX_PORT_ADDRESS, OP_DMX, checked_int, checked_port_addresses,
                                             header_bytes, require_length)

__all__ = [
    "DMX_HEADER_SIZE",
    "MAX_DMX_SLOTS",
    "ArtDmx",
    "ArtDmxPacker",
    "build_artdmx",
    "build_artdmx_batch",
    "decode_artdmx",
    "next_sequence",
    "next_sequences",
]

MAX_DMX_SLOTS = 512
DMX_HEADER_SIZE = 18

_DMX_HEAD = struct.Struct("<BBH")  # sequence, physical, Port-Address (LE)


def next_sequence(sequence: int) -> int:
    """The ArtDmx sequence number after ``sequence``: 1, 2, ... 255, 1, ...

    0 means "sequencing off" on the wire; passing 0 here starts a sequence at 1.
    """
    value = checked_int("sequence", sequence, 0, 255)
    return 1 if value >= 255 else value + 1


def next_sequences(sequences: np.ndarray) -> np.ndarray:
    """Vectorised :func:`next_sequence` for a uint8 array (0 -> 1, 255 -> 1)."""
    seq = np.asarray(sequences)
    if seq.dtype != np.uint8:
        raise FormatError(f"sequences must be uint8, got {seq.dtype}")
    return (seq.astype(np.uint16) % 255 + 1).astype(np.uint8)


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
    pa = checked_int("port address", port_address, 0, MAX_PORT_ADDRESS)
    seq = checked_int("sequence", sequence, 0, 255)
    phys = checked_int("physical", physical, 0, 255)
    payload = _dmx_payload(data)
    if not payload:
        raise FormatError("ArtDmx needs at least 1 slot of data, got 0")
    if len(payload) > MAX_DMX_SLOTS:
        raise FormatError(f"ArtDmx carries at most 512 slots, got {len(payload)}")
    if len(payload) % 2:
        payload += b"\x00"
    length = len(payload).to_bytes(2, "big")
    return header_bytes(OP_DMX) + _DMX_HEAD.pack(seq, phys, pa) + length + payload


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
        addresses = np.array(checked_port_addresses(port_addresses), dtype=np.uint16)
        count = len(addresses)
        slots = self._per_universe("lengths", lengths, count, 1, MAX_DMX_SLOTS)
        phys = self._per_universe("physical", physical, count, 0, 255)
        even = slots + (slots % 2)
        self._slots = slots
        self._max_slots = int(slots.max()) if count else 0
        width = DMX_HEADER_SIZE + (int(even.max()) if count else 0)
        buf = np.zeros((count, width), dtype=np.uint8)
        buf[:, 0:12] = np.frombuffer(header_bytes(OP_DMX), dtype=np.uint8)
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
            return np.full(count, checked_int(name, value, lo, hi), dtype=np.int64)
        try:
            items = [checked_int(f"{name}[{i}]", v, lo, hi) for i, v in enumerate(value)]
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
            self._buffer[:, 12] = checked_int("sequence", sequences, 0, 255)
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


def decode_artdmx(raw: bytes) -> ArtDmx:
    """The ArtDmx in ``raw``, whose ID, OpCode and ProtVer ``parse_packet`` checked."""
    require_length(raw, OP_DMX, DMX_HEADER_SIZE)
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
