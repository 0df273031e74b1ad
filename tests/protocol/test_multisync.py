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


# -- discovery pings (FPP MultiSync.cpp CreatePingPacket: v3, 294 bytes of body) -----------------------

from lightshow.protocol.multisync import (MODE_MASTER, MODE_REMOTE, SYSTEM_OTHER, TYPE_PING,  # noqa: E402
                                          PingPacket, build_ping, format_channel_ranges, packet_type,
                                          parse_ping)


def test_a_ping_is_laid_out_as_fpp_s_create_ping_packet():
    packet = build_ping(PingPacket(False, SYSTEM_OTHER, 0x0102, 3, MODE_MASTER, "10.0.0.5", "cabinet-a",
                                   "lightshow 0.1", "lightshow", "0-455,512-1024"))
    assert packet[:7] == b"FPPD\x04" + (294).to_bytes(2, "little")
    body = packet[7:]
    assert len(body) == 294
    assert body[:12] == bytes([3, 0, 0xC0, 0x01, 0x02, 0x00, 0x03, 0x06, 10, 0, 0, 5])
    assert body[12:77] == b"cabinet-a".ljust(65, b"\0")
    assert body[77:118] == b"lightshow 0.1".ljust(41, b"\0")
    assert body[118:159] == b"lightshow".ljust(41, b"\0")
    assert body[159:279] == b"0-455,512-1024".ljust(120, b"\0")
    assert body[279:] == bytes(15)
    assert packet_type(packet) == TYPE_PING


def test_a_discover_and_the_mode_names():
    ping = parse_ping(build_ping(PingPacket(True, 1, 7, 0, MODE_REMOTE, "127.0.0.2", "fpp-remote")))
    assert ping.discover and ping.mode_name == "remote" and ping.ip == "127.0.0.2"
    assert PingPacket(False, 1, 0, 0, 0x02, "1.2.3.4", "h").mode_name == "player"
    assert PingPacket(False, 1, 0, 0, 0x06, "1.2.3.4", "h").mode_name == "master"
    assert PingPacket(False, 1, 0, 0, 0x01, "1.2.3.4", "h").mode_name == "bridge"


def test_a_v2_ping_from_an_older_fpp_parses():
    body = bytearray(214)
    body[:12] = bytes([2, 0, 0x03, 0, 5, 0, 0, 0x08, 192, 168, 1, 9])
    body[12:15] = b"old"
    ping = parse_ping(b"FPPD\x04" + (214).to_bytes(2, "little") + bytes(body))
    assert (ping.ping_version, ping.hostname, ping.mode_name, ping.ip) == (2, "old", "remote", "192.168.1.9")


@pytest.mark.parametrize("data, says", [
    (b"FPPD\x01\x00\x00", "type 1, not a ping"), (b"FPPX", "no 'FPPD'"),
    (b"FPPD\x04\x10\x00" + bytes(16), "at least 169"),
    (b"FPPD\x04\x26\x01" + bytes(100), "the header says 294"),
    (b"FPPD\x04\x26\x01" + bytes([9]) + bytes(293), "version 9"),
])
def test_malformed_pings_are_format_errors(data, says):
    with pytest.raises(FormatError, match=says):
        parse_ping(data)


TEXT = {"hostname": 64, "version": 40, "model": 40, "ranges": 120}


def _text(limit):
    return st.text(st.characters(blacklist_characters="\0", blacklist_categories=("Cs",)), max_size=limit).filter(
        lambda s: len(s.encode()) <= limit)


@settings(max_examples=200, deadline=None)
@given(st.booleans(), st.integers(0, 255), st.integers(0, 0xFFFF), st.integers(0, 0xFFFF), st.integers(0, 255),
       st.tuples(*[st.integers(0, 255)] * 4), _text(64), _text(40), _text(40), _text(120))
def test_pings_round_trip(discover, system, major, minor, mode, ip, host, version, model, ranges):
    ping = PingPacket(discover, system, major, minor, mode, ".".join(map(str, ip)), host, version, model, ranges)
    assert parse_ping(build_ping(ping)) == ping


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400).map(lambda b: b"FPPD\x04" + b))
def test_any_bytes_parse_as_a_ping_or_are_a_format_error(data):
    try:
        parse_ping(data)
    except FormatError:
        pass


def test_too_long_text_is_refused_and_ranges_are_merged_to_fit():
    with pytest.raises(ValueError, match="hostname is at most 64"):
        build_ping(PingPacket(False, 1, 0, 0, 2, "1.2.3.4", "h" * 65))
    assert format_channel_ranges([(512, 512), (0, 456)]) == "0-455,512-1023"
    many = [(i * 1024, 10) for i in range(40)]
    text = format_channel_ranges(many)
    assert len(text) <= 120 and text.startswith("0-") and text.endswith("-39945")
