"""Sans-I/O codec for Art-Net 4: :func:`parse_packet` turns one UDP payload into a packet.

Nothing in the codec touches a socket or a clock.  Each packet kind lives in
its own module, with its layout, its frozen dataclass, its builder and its
decoder; this one only dispatches on the OpCode:

* :mod:`~lightshow.protocol.artnet_header` -- the ID/OpCode/ProtVer header,
  OpCodes, Port-Addresses and the value checks every builder uses;
* :mod:`~lightshow.protocol.artnet_dmx` -- ArtDmx, also packed for many
  universes at once by :class:`~lightshow.protocol.artnet_dmx.ArtDmxPacker`;
* :mod:`~lightshow.protocol.artnet_sync` -- ArtSync;
* :mod:`~lightshow.protocol.artnet_poll` -- ArtPoll;
* :mod:`~lightshow.protocol.artnet_poll_reply` -- ArtPollReply;
* :mod:`~lightshow.protocol.artnet_timecode` -- ArtTimeCode.

Every problem with a caller's values or with received bytes raises
:class:`lightshow.errors.FormatError` and nothing else.  Receiving is lenient
where the spec asks for it (short ArtPoll/ArtPollReply, odd ArtDmx lengths,
bytes after the declared ArtDmx data are ignored) and strict otherwise: a
Length of 0 or > 512, a Net byte with bit 7 set, a ProtVer below 14 or a
truncated packet raise :class:`FormatError`.

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
"""

from __future__ import annotations

from dataclasses import dataclass

from lightshow.errors import FormatError
from lightshow.protocol.artnet_dmx import ArtDmx, decode_artdmx
from lightshow.protocol.artnet_header import (ARTNET_ID, OP_DMX, OP_POLL, OP_POLL_REPLY, OP_SYNC, OP_TIMECODE,
                                              OPCODE, PROTOCOL_VERSION, checked_int, opcode_name)
from lightshow.protocol.artnet_poll import ArtPoll, decode_artpoll
from lightshow.protocol.artnet_poll_reply import ArtPollReply, decode_artpollreply
from lightshow.protocol.artnet_sync import ArtSync, decode_artsync
from lightshow.protocol.artnet_timecode import ArtTimeCode, decode_arttimecode

__all__ = ["ArtNetPacket", "UnknownArtNet", "parse_packet"]


@dataclass(frozen=True, slots=True)
class UnknownArtNet:
    """A packet with a valid Art-Net ID whose OpCode this codec does not decode.

    ``payload`` is everything after the OpCode (ProtVer included, if any).
    """

    opcode: int
    payload: bytes

    def to_bytes(self) -> bytes:
        opcode = checked_int("opcode", self.opcode, 0, 0xFFFF)
        return ARTNET_ID + OPCODE.pack(opcode) + bytes(self.payload)


ArtNetPacket = ArtDmx | ArtSync | ArtPoll | ArtPollReply | ArtTimeCode | UnknownArtNet

# Decoders of the packets that carry a ProtVer (ArtPollReply has none).
_DECODERS = {
    OP_DMX: decode_artdmx,
    OP_SYNC: decode_artsync,
    OP_POLL: decode_artpoll,
    OP_TIMECODE: decode_arttimecode,
}


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
    (opcode,) = OPCODE.unpack_from(raw, 8)
    if opcode == OP_POLL_REPLY:
        return decode_artpollreply(raw)
    decoder = _DECODERS.get(opcode)
    if decoder is None:
        return UnknownArtNet(opcode, raw[10:])
    _check_protver(raw, opcode)
    return decoder(raw)


def _as_bytes(data: object) -> bytes:
    if isinstance(data, bytes):
        return data
    if isinstance(data, (bytearray, memoryview)):
        return bytes(data)
    raise FormatError(f"expected an Art-Net packet as bytes, got {type(data).__name__}")


def _check_protver(raw: bytes, opcode: int) -> None:
    if len(raw) < 12:
        raise FormatError(
            f"{opcode_name(opcode)} truncated: expected ProtVer at bytes 10-11, found only {len(raw)} bytes"
        )
    version = int.from_bytes(raw[10:12], "big")
    if version < PROTOCOL_VERSION:
        raise FormatError(f"{opcode_name(opcode)}: expected ProtVer >= {PROTOCOL_VERSION}, found {version}")
