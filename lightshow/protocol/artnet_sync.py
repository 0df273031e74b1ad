"""ArtSync (OpSync 0x5200): nodes latch the ArtDmx received since the last one.

Layout after the 12-byte header: ``12  2  Aux1, Aux2 (0)``, 14 bytes in all.
"""

from __future__ import annotations

from dataclasses import dataclass

from lightshow.protocol.artnet_header import OP_SYNC, header_bytes, require_length

__all__ = ["ARTSYNC_SIZE", "ArtSync", "build_artsync", "decode_artsync"]

ARTSYNC_SIZE = 14


@dataclass(frozen=True, slots=True)
class ArtSync:
    """ArtSync: latch the ArtDmx data received since the last ArtSync."""

    def to_bytes(self) -> bytes:
        return build_artsync()


def build_artsync() -> bytes:
    """The 14-byte ArtSync packet."""
    return header_bytes(OP_SYNC) + b"\x00\x00"


def decode_artsync(raw: bytes) -> ArtSync:
    """The ArtSync in ``raw``, whose ID, OpCode and ProtVer ``parse_packet`` checked."""
    require_length(raw, OP_SYNC, ARTSYNC_SIZE)
    return ArtSync()
