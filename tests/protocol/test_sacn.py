"""E1.31 data packets: golden layout and round trip."""

import pytest

from lightshow.errors import FormatError
from lightshow.protocol.sacn import build_sacn_data, multicast_group, parse_sacn_data


def test_layout_matches_e131_byte_for_byte():
    cid = bytes(range(16))
    packet = build_sacn_data(300, bytes([9] * 512), 7, cid, "lightshow", priority=120)
    assert len(packet) == 638
    assert packet[0:16] == b"\x00\x10\x00\x00ASC-E1.17\x00\x00\x00"   # preamble, postamble, ACN id
    assert packet[16:18] == b"\x72\x6e"                               # flags | 622
    assert packet[18:22] == b"\x00\x00\x00\x04" and packet[22:38] == cid
    assert packet[38:40] == b"\x72\x58" and packet[40:44] == b"\x00\x00\x00\x02"  # flags | 600
    assert packet[44:53] == b"lightshow" and packet[53:108] == bytes(55)
    assert packet[108] == 120 and packet[109:111] == b"\x00\x00"       # priority, sync universe
    assert packet[111] == 7 and packet[112] == 0                      # sequence, options
    assert packet[113:115] == b"\x01\x2c"                             # universe 300
    assert packet[115:117] == b"\x72\x0b" and packet[117] == 0x02 and packet[118] == 0xA1
    assert packet[119:126] == b"\x00\x00\x00\x01\x02\x01\x00"         # first 0, incr 1, 513, SC 0
    assert packet[126:] == bytes([9] * 512)


def test_round_trip_and_termination_flag():
    packet = build_sacn_data(1, b"\x01\x02\x03", 255, bytes(16), "n", terminated=True)
    parsed = parse_sacn_data(packet)
    assert (parsed.universe, parsed.sequence, parsed.terminated, parsed.data) == (
        1, 255, True, b"\x01\x02\x03")


def test_limits():
    with pytest.raises(FormatError):
        build_sacn_data(0, b"\x00", 0, bytes(16), "n")
    with pytest.raises(FormatError):
        build_sacn_data(64000, b"\x00", 0, bytes(16), "n")
    assert multicast_group(300) == "239.255.1.44"
