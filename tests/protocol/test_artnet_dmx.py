"""Tests for ArtDmx (lightshow.protocol.artnet_dmx): building, packing many universes, decoding."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lightshow.errors import FormatError
from lightshow.protocol.artnet import parse_packet
from lightshow.protocol.artnet_dmx import (
    ArtDmx,
    ArtDmxPacker,
    build_artdmx,
    build_artdmx_batch,
    next_sequence,
    next_sequences,
)
from tests.protocol.artnet_golden import GOLDEN_DMX, GOLDEN_DMX_ODD


# ---------------------------------------------------------------- ArtDmx


def test_build_artdmx_golden():
    assert build_artdmx(0x1234, bytes.fromhex("ff007f01"), sequence=7, physical=2) == GOLDEN_DMX


def test_build_artdmx_pads_odd_length_with_a_zero():
    assert build_artdmx(1, b"\x0a\x0b\x0c") == GOLDEN_DMX_ODD
    one = build_artdmx(1, b"\x05")
    assert one[16:18] == b"\x00\x02" and one[18:] == b"\x05\x00"


def test_build_artdmx_accepts_uint8_arrays_and_bytearrays():
    data = np.array([255, 0, 127, 1], dtype=np.uint8)
    assert build_artdmx(0x1234, data, 7, 2) == GOLDEN_DMX
    assert build_artdmx(0x1234, bytearray(data.tobytes()), 7, 2) == GOLDEN_DMX
    assert build_artdmx(0x1234, memoryview(data.tobytes()), 7, 2) == GOLDEN_DMX


def test_build_artdmx_full_universe():
    data = bytes(range(256)) * 2
    packet = build_artdmx(32767, data, sequence=255)
    assert len(packet) == 530
    assert packet[12] == 255
    assert packet[14:16] == b"\xff\x7f"
    assert packet[16:18] == b"\x02\x00"
    assert packet[18:] == data


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"port_address": 0, "data": b""}, "at least 1 slot"),
        ({"port_address": 0, "data": bytes(513)}, "at most 512"),
        ({"port_address": -1, "data": b"\x00\x00"}, "port address"),
        ({"port_address": 32768, "data": b"\x00\x00"}, "port address"),
        ({"port_address": 0, "data": b"\x00\x00", "sequence": 256}, "sequence"),
        ({"port_address": 0, "data": b"\x00\x00", "sequence": -1}, "sequence"),
        ({"port_address": 0, "data": b"\x00\x00", "physical": 256}, "physical"),
        ({"port_address": 0, "data": np.zeros(4, dtype=np.int16)}, "uint8"),
        ({"port_address": 0, "data": np.zeros((2, 2), dtype=np.uint8)}, "1-D"),
        ({"port_address": 0, "data": [1, 2]}, "bytes or a uint8 array"),
        ({"port_address": 0, "data": 4}, "bytes or a uint8 array"),
        ({"port_address": "1", "data": b"\x00\x00"}, "integer"),
    ],
)
def test_build_artdmx_rejects(kwargs, message):
    with pytest.raises(FormatError, match=message):
        build_artdmx(**kwargs)


def test_parse_artdmx_golden():
    packet = parse_packet(GOLDEN_DMX)
    assert packet == ArtDmx(port_address=0x1234, data=bytes.fromhex("ff007f01"), sequence=7, physical=2)
    assert (packet.net, packet.subnet, packet.universe) == (0x12, 3, 4)


def test_parse_artdmx_accepts_odd_length_and_ignores_trailing_bytes():
    odd = GOLDEN_DMX[:16] + b"\x00\x03" + b"\x01\x02\x03"
    assert parse_packet(odd) == ArtDmx(0x1234, b"\x01\x02\x03", 7, 2)
    assert parse_packet(GOLDEN_DMX + b"\xee\xee") == parse_packet(GOLDEN_DMX)


@pytest.mark.parametrize("sequence", [0, 1, 2, 127, 254, 255])
def test_sequence_values_round_trip(sequence):
    assert parse_packet(build_artdmx(5, b"\x01\x02", sequence=sequence)).sequence == sequence


def test_next_sequence_wraps_to_one_skipping_zero():
    assert next_sequence(0) == 1
    assert next_sequence(1) == 2
    assert next_sequence(254) == 255
    assert next_sequence(255) == 1
    seq = np.arange(256, dtype=np.uint8)
    advanced = next_sequences(seq)
    assert advanced.dtype == np.uint8
    assert advanced.tolist() == [next_sequence(s) for s in range(256)]
    assert 0 not in advanced
    with pytest.raises(FormatError):
        next_sequence(256)
    with pytest.raises(FormatError, match="uint8"):
        next_sequences(np.arange(3))


def test_artdmx_to_bytes():
    dmx = ArtDmx(0x1234, bytes.fromhex("ff007f01"), 7, 2)
    assert dmx.to_bytes() == GOLDEN_DMX


# ------------------------------------------------------- ArtDmxPacker


def test_packer_packs_1000_universes_like_build_artdmx():
    rng = np.random.default_rng(7)
    n = 1000
    addresses = [int(a) for a in rng.choice(32768, size=n, replace=False)]
    frame = rng.integers(0, 256, size=(n, 512), dtype=np.uint8)
    sequences = rng.integers(0, 256, size=n, dtype=np.uint8)
    packer = ArtDmxPacker(addresses)
    rows = packer.pack(frame, sequences)
    assert len(rows) == len(packer) == n
    for i in range(n):
        assert bytes(rows[i]) == build_artdmx(addresses[i], frame[i], int(sequences[i]))
    assert packer.buffer.shape == (n, 530)
    assert not packer.buffer.flags.writeable


def _python_calls(fn) -> int:
    """How many Python-level function calls ``fn()`` makes (C calls not counted)."""
    calls = 0

    def profile(frame, event, arg):
        nonlocal calls
        if event == "call":
            calls += 1

    sys.setprofile(profile)
    try:
        fn()
    finally:
        sys.setprofile(None)
    return calls


def test_packer_python_work_does_not_grow_with_universes_or_channels():
    """No timing: the number of Python calls in pack() is the same for 2 and 1000 universes."""
    counts = []
    for n in (2, 1000):
        packer = ArtDmxPacker(range(n))
        frame = np.ones((n, 512), dtype=np.uint8)
        seqs = np.full(n, 3, dtype=np.uint8)
        packer.pack(frame, seqs)  # warm up
        counts.append(_python_calls(lambda p=packer, f=frame, s=seqs: p.pack(f, s)))
    assert counts[0] == counts[1]
    assert counts[1] < 50


def test_packer_reuses_rows_and_buffer_between_frames():
    packer = ArtDmxPacker([0, 1, 2])
    frame = np.zeros((3, 512), dtype=np.uint8)
    rows = packer.pack(frame, np.array([1, 2, 3], dtype=np.uint8))
    snapshot = [bytes(r) for r in rows]
    frame[1, 10] = 99
    again = packer.pack(frame, next_sequences(np.array([1, 2, 3], dtype=np.uint8)))
    assert again is rows
    assert all(r.contiguous and r.nbytes == 530 for r in rows)
    assert bytes(rows[1])[18 + 10] == 99
    assert bytes(rows[1])[12] == 3
    assert bytes(rows[0]) != snapshot[0]  # the views alias the reused buffer
    assert parse_packet(rows[1]) == ArtDmx(1, bytes(frame[1]), 3, 0)


def test_packer_scalar_sequence_and_physical():
    packer = ArtDmxPacker([7, 8], physical=[1, 2])
    frame = np.full((2, 512), 9, dtype=np.uint8)
    rows = packer.pack(frame, 42)
    assert [parse_packet(r) for r in rows] == [
        ArtDmx(7, bytes([9]) * 512, 42, 1),
        ArtDmx(8, bytes([9]) * 512, 42, 2),
    ]


def test_packer_per_universe_lengths_and_odd_padding():
    packer = ArtDmxPacker([1, 2, 3], lengths=[3, 24, 512])
    assert packer.lengths == (4, 24, 512)
    frame = np.arange(3 * 512, dtype=np.uint32).reshape(3, 512).astype(np.uint8)
    rows = packer.pack(frame, np.array([5, 6, 7], dtype=np.uint8))
    assert [len(bytes(r)) for r in rows] == [22, 42, 530]
    assert bytes(rows[0]) == build_artdmx(1, frame[0, :3], 5)  # pad slot zero
    assert bytes(rows[1]) == build_artdmx(2, frame[1, :24], 6)
    assert bytes(rows[2]) == build_artdmx(3, frame[2], 7)


def test_packer_accepts_frames_just_wide_enough():
    packer = ArtDmxPacker([1, 2], lengths=3)
    frame = np.array([[1, 2, 3], [4, 5, 6]], dtype=np.uint8)
    rows = packer.pack(frame)
    assert bytes(rows[1]) == build_artdmx(2, b"\x04\x05\x06")


@pytest.mark.parametrize(
    ("frame", "sequences", "message"),
    [
        (np.zeros((2, 512), dtype=np.uint8), 0, "shape"),
        (np.zeros((3, 511), dtype=np.uint8), 0, "shape"),
        (np.zeros((3, 512), dtype=np.int32), 0, "uint8"),
        (np.zeros(512, dtype=np.uint8), 0, "2-D"),
        ([[0] * 512] * 3, 0, "2-D"),
        (np.zeros((3, 512), dtype=np.uint8), np.zeros(3, dtype=np.int64), "sequences"),
        (np.zeros((3, 512), dtype=np.uint8), np.zeros(4, dtype=np.uint8), "sequences"),
        (np.zeros((3, 512), dtype=np.uint8), 256, "sequence"),
    ],
)
def test_packer_rejects_bad_frames(frame, sequences, message):
    packer = ArtDmxPacker([1, 2, 3])
    with pytest.raises(FormatError, match=message):
        packer.pack(frame, sequences)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"port_addresses": [32768]}, "port_addresses"),
        ({"port_addresses": 5}, "sequence of ints"),
        ({"port_addresses": [1], "lengths": 0}, "lengths"),
        ({"port_addresses": [1], "lengths": 513}, "lengths"),
        ({"port_addresses": [1, 2], "lengths": [512]}, "2 universes"),
        ({"port_addresses": [1], "physical": 300}, "physical"),
    ],
)
def test_packer_rejects_bad_configuration(kwargs, message):
    with pytest.raises(FormatError, match=message):
        ArtDmxPacker(**kwargs)


def test_build_artdmx_batch():
    frame = np.random.default_rng(1).integers(0, 256, size=(4, 512), dtype=np.uint8)
    seqs = np.array([1, 2, 3, 4], dtype=np.uint8)
    packets = build_artdmx_batch([10, 11, 12, 13], frame, seqs)
    assert packets == [build_artdmx(10 + i, frame[i], i + 1) for i in range(4)]


even_lengths = st.integers(1, 256).map(lambda n: 2 * n)


@st.composite
def artdmx_packets(draw):
    length = draw(even_lengths)
    return ArtDmx(
        port_address=draw(st.integers(0, 32767)),
        data=draw(st.binary(min_size=length, max_size=length)),
        sequence=draw(st.integers(0, 255)),
        physical=draw(st.integers(0, 255)),
    )


@given(artdmx_packets())
def test_artdmx_round_trip(packet):
    built = build_artdmx(packet.port_address, packet.data, packet.sequence, packet.physical)
    assert len(built) == 18 + len(packet.data)
    assert parse_packet(built) == packet
