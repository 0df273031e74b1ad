"""Tests for ArtSync (lightshow.protocol.artnet_sync)."""

from __future__ import annotations

from lightshow.protocol.artnet import parse_packet
from lightshow.protocol.artnet_sync import ArtSync, build_artsync
from tests.protocol.artnet_golden import GOLDEN_SYNC


def test_artsync_golden():
    assert build_artsync() == GOLDEN_SYNC
    assert len(GOLDEN_SYNC) == 14
    assert parse_packet(GOLDEN_SYNC) == ArtSync()
    assert ArtSync().to_bytes() == GOLDEN_SYNC
