"""Our OSC parser against python-osc's builder, and against the packets that broke the old server."""

import struct
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pythonosc.osc_bundle_builder import OscBundleBuilder
from pythonosc.osc_message import OscMessage as PyOscMessage
from pythonosc.osc_message_builder import OscMessageBuilder

from lightshow.errors import FormatError
from lightshow.protocol.osc import IMMEDIATELY, parse_osc


def built(address, *args) -> bytes:
    builder = OscMessageBuilder(address)
    for arg in args:
        builder.add_arg(arg)
    return builder.build().dgram


def test_messages_from_python_osc_read_back():
    [message] = parse_osc(built("/lightshow/master", 0.5, 3, "fade", b"\x01\x02\x03", True, 2**40))
    assert message.address == "/lightshow/master" and message.time_tag == IMMEDIATELY
    assert message.args == (0.5, 3, "fade", b"\x01\x02\x03", True, 2**40)
    assert message.unix_time_s is None
    assert parse_osc(b"/go\x00")[0].args == ()          # no type tags at all: no arguments


def test_bundles_carry_their_time_tag_and_nest():
    at = time.time() + 5
    inner = OscBundleBuilder(at)
    inner.add_content(PyOscMessage(built("/lightshow/blackout", 1)))
    outer = OscBundleBuilder(at)
    outer.add_content(PyOscMessage(built("/lightshow/play")))
    outer.add_content(inner.build())
    messages = parse_osc(outer.build().dgram)
    assert [m.address for m in messages] == ["/lightshow/play", "/lightshow/blackout"]
    assert all(m.unix_time_s == pytest.approx(at, abs=1e-3) for m in messages)


BUNDLE_HEAD = b"#bundle\x00" + struct.pack(">Q", 1)


@pytest.mark.parametrize("packet, reason", [
    (b"/\xff\xfe\x00,\x00\x00\x00", "not UTF-8"),                       # killed the old OSC thread
    (BUNDLE_HEAD + struct.pack(">i", -8) + b"\x00" * 8, "does not fit"),  # looped the old one forever
    (BUNDLE_HEAD + struct.pack(">i", 0), "does not fit"),
    (BUNDLE_HEAD + struct.pack(">i", 64) + b"/a\x00\x00", "does not fit"),
    (b"/a\x00\x00,i\x00\x00", "runs past the end"),
    (b"/a\x00\x00,b\x00\x00" + struct.pack(">i", 999), "does not fit"),
    (b"/a\x00\x00,[i]\x00\x00\x00\x00" + b"\x00" * 4, "unsupported"),
    (b"abc\x00", "starts with '/'"),
    (b"/abc", "no terminating zero"),
    (b"/ab", "multiple of 4"),
])
def test_malformed_packets_are_format_errors(packet, reason):
    with pytest.raises(FormatError, match=reason):
        parse_osc(packet)


def test_nesting_is_bounded():
    packet = built("/go")
    for _ in range(20):
        packet = BUNDLE_HEAD + struct.pack(">i", len(packet)) + packet
    with pytest.raises(FormatError, match="nested more than 8"):
        parse_osc(packet)


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=96).map(lambda b: b + b"\x00" * (-len(b) % 4)))
def test_any_bytes_parse_or_are_a_format_error(data):
    try:
        parse_osc(data)
    except FormatError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.lists(st.binary(min_size=4, max_size=24), max_size=4))
def test_any_bundle_of_junk_elements_parses_or_is_a_format_error(elements):
    packet = BUNDLE_HEAD + b"".join(struct.pack(">i", len(e) - (len(e) % 4)) + e[:len(e) - len(e) % 4]
                                    for e in elements)
    try:
        parse_osc(packet)
    except FormatError:
        pass
