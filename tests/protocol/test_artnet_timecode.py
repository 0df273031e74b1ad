"""Tests for ArtTimeCode (lightshow.protocol.artnet_timecode)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lightshow.errors import FormatError
from lightshow.protocol.artnet import parse_packet
from lightshow.protocol.artnet_timecode import (
    TIMECODE_DF,
    TIMECODE_EBU,
    TIMECODE_FILM,
    TIMECODE_SMPTE,
    ArtTimeCode,
    build_arttimecode,
    timecode_fps,
)
from tests.protocol.artnet_golden import GOLDEN_TIMECODE


def test_arttimecode_golden():
    assert build_arttimecode(1, 2, 3, 4, TIMECODE_SMPTE) == GOLDEN_TIMECODE
    assert parse_packet(GOLDEN_TIMECODE) == ArtTimeCode(1, 2, 3, 4, TIMECODE_SMPTE)
    assert ArtTimeCode(1, 2, 3, 4, 3).to_bytes() == GOLDEN_TIMECODE


def test_arttimecode_stream_id():
    packet = build_arttimecode(23, 59, 59, 24, TIMECODE_EBU, stream_id=5)
    assert packet[12:14] == b"\x00\x05"
    assert parse_packet(packet) == ArtTimeCode(23, 59, 59, 24, TIMECODE_EBU, 5)


def test_timecode_types():
    assert (TIMECODE_FILM, TIMECODE_EBU, TIMECODE_DF, TIMECODE_SMPTE) == (0, 1, 2, 3)
    assert timecode_fps(TIMECODE_FILM) == 24
    assert timecode_fps(TIMECODE_EBU) == 25
    assert timecode_fps(TIMECODE_DF) == pytest.approx(29.97, abs=1e-3)
    assert ArtTimeCode(0, 0, 0, 0, TIMECODE_SMPTE).fps == 30


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((24, 0, 0, 0, 0), "hours"),
        ((0, 60, 0, 0, 0), "minutes"),
        ((0, 0, 60, 0, 0), "seconds"),
        ((0, 0, 0, 24, TIMECODE_FILM), "frames"),
        ((0, 0, 0, 25, TIMECODE_EBU), "frames"),
        ((0, 0, 0, 30, TIMECODE_DF), "frames"),
        ((0, 0, 0, 0, 4), "timecode type"),
    ],
)
def test_build_arttimecode_rejects(args, message):
    with pytest.raises(FormatError, match=message):
        build_arttimecode(*args)


def test_parse_arttimecode_rejects_impossible_values():
    bad = bytearray(GOLDEN_TIMECODE)
    bad[18] = 9
    with pytest.raises(FormatError, match="ArtTimeCode.*timecode type"):
        parse_packet(bytes(bad))
    bad = bytearray(GOLDEN_TIMECODE)
    bad[14] = 30
    with pytest.raises(FormatError, match="ArtTimeCode.*frames"):
        parse_packet(bytes(bad))


@given(
    st.integers(0, 23),
    st.integers(0, 59),
    st.integers(0, 59),
    st.sampled_from([0, 1, 2, 3]),
    st.integers(0, 255),
    st.data(),
)
def test_arttimecode_round_trip(hours, minutes, seconds, kind, stream, data):
    frames = data.draw(st.integers(0, {0: 23, 1: 24, 2: 29, 3: 29}[kind]))
    tc = ArtTimeCode(hours, minutes, seconds, frames, kind, stream)
    assert parse_packet(tc.to_bytes()) == tc
