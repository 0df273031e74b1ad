"""MultiSync sync packets byte for byte as Falcon Player's MultiSync.h lays them out."""

import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lightshow.errors import FormatError
from lightshow.protocol.multisync import (MEDIA, OPEN, SEQUENCE, START, STOP, SYNC, build_blank, build_sync,
                                          parse_sync, sync_due)


def test_a_start_is_the_header_and_the_packed_sync_struct():
    packet = build_sync(START, SEQUENCE, 0, 0.0, "show.fseq")
    # 'FPPD', type 1 (sync), u16 length 11 + len(name) = 20; action, file type, u32 frame, f32 seconds, name\0
    assert packet == (b"FPPD\x01\x14\x00" + b"\x00\x00" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"
                      + b"show.fseq\x00")
    sync = build_sync(SYNC, SEQUENCE, 400, 10.0, "show.fseq")
    assert sync[7:17] == bytes([2, 0]) + (400).to_bytes(4, "little") + struct.pack("<f", 10.0)
    assert build_blank() == b"FPPD\x03\x00\x00"


@pytest.mark.parametrize("action, file_type, frame, seconds, name", [
    (OPEN, SEQUENCE, 0, 0.0, "anniversary.fseq"), (STOP, SEQUENCE, 21599, 539.975, "a.fseq"),
    (SYNC, MEDIA, 0, 12.5, "song.mp3"), (SYNC, SEQUENCE, 2**32 - 1, 1e6, "长.fseq")])
def test_what_is_built_parses_back(action, file_type, frame, seconds, name):
    packet = parse_sync(build_sync(action, file_type, frame, seconds, name))
    assert (packet.action, packet.file_type, packet.frame, packet.file_name) == (action, file_type, frame, name)
    assert packet.seconds == pytest.approx(seconds, rel=1e-6)


@pytest.mark.parametrize("data, says", [
    (b"FPPX\x01\x00\x00", "no 'FPPD'"), (b"FPPD\x04\x00\x00", "type 4, not a sync"),
    (b"FPPD\x01\x20\x00" + b"\x00" * 10 + b"x\x00", "the header says 32"),
    (b"FPPD\x01\x0c\x00" + b"\x09\x00" + b"\x00" * 8 + b"x\x00", "unknown action"),
    (b"FPPD\x01\x0c\x00" + b"\x00\x00" + b"\x00" * 8 + b"xx", "unterminated"),
])
def test_malformed_packets_are_format_errors(data, says):
    with pytest.raises(FormatError, match=says):
        parse_sync(data)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=64).map(lambda b: b"FPPD\x01" + b))
def test_any_bytes_parse_or_are_a_format_error(data):
    try:
        parse_sync(data)
    except FormatError:
        pass


def test_the_master_s_cadence():
    assert [f for f in range(0, 61) if sync_due(f)] == [0, 4, 8, 12, 16, 20, 24, 28, 32, 40, 50, 60]
