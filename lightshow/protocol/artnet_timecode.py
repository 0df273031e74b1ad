"""ArtTimeCode (OpTimeCode 0x9700): one hours:minutes:seconds:frames label of a show clock.

Layout after the 12-byte header (byte offsets)::

    12   1  Filler
    13   1  StreamId (0 = master; a filler in older texts)
    14   1  Frames, 15 Seconds, 16 Minutes, 17 Hours
    18   1  Type: 0 Film 24, 1 EBU 25, 2 DF 29.97, 3 SMPTE 30
                                                          19 bytes

Turning show time into these labels (drop frame included) is
:mod:`lightshow.protocol.timecode`'s job.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from lightshow.errors import FormatError
from lightshow.protocol.artnet_header import OP_TIMECODE, checked_int, header_bytes, require_length

__all__ = [
    "ARTTIMECODE_SIZE",
    "TIMECODE_DF",
    "TIMECODE_EBU",
    "TIMECODE_FILM",
    "TIMECODE_SMPTE",
    "ArtTimeCode",
    "build_arttimecode",
    "decode_arttimecode",
    "timecode_fps",
]

ARTTIMECODE_SIZE = 19

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

_TIMECODE_BODY = struct.Struct(">BBBBBBB")


def timecode_fps(kind: int) -> float:
    """Frames per second of an ArtTimeCode Type (29.97 for drop frame)."""
    return _TIMECODE_FPS[checked_int("timecode type", kind, 0, 3)]


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


def build_arttimecode(
    hours: int, minutes: int, seconds: int, frames: int, kind: int, stream_id: int = 0
) -> bytes:
    """A 19-byte ArtTimeCode; ``kind`` is one of the ``TIMECODE_*`` types."""
    _check_timecode(hours, minutes, seconds, frames, kind)
    stream = checked_int("stream_id", stream_id, 0, 255)
    return header_bytes(OP_TIMECODE) + _TIMECODE_BODY.pack(0, stream, frames, seconds, minutes, hours, kind)


def _check_timecode(hours: int, minutes: int, seconds: int, frames: int, kind: int) -> None:
    k = checked_int("timecode type", kind, 0, 3)
    checked_int("hours", hours, 0, 23)
    checked_int("minutes", minutes, 0, 59)
    checked_int("seconds", seconds, 0, 59)
    per_second = _TIMECODE_FRAMES[k]
    checked_int(f"frames (type {k}: {per_second} a second)", frames, 0, per_second - 1)


def decode_arttimecode(raw: bytes) -> ArtTimeCode:
    """The ArtTimeCode in ``raw``, whose ID, OpCode and ProtVer ``parse_packet`` checked."""
    require_length(raw, OP_TIMECODE, ARTTIMECODE_SIZE)
    _, stream_id, frames, seconds, minutes, hours, kind = _TIMECODE_BODY.unpack_from(raw, 12)
    try:
        _check_timecode(hours, minutes, seconds, frames, kind)
    except FormatError as exc:
        raise FormatError(f"ArtTimeCode: {exc}") from None
    return ArtTimeCode(hours, minutes, seconds, frames, kind, stream_id)
