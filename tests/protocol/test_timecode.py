"""Show time as ArtTimeCode values: film, EBU, SMPTE and 29.97 drop frame."""

import pytest

from lightshow.protocol.artnet_timecode import TIMECODE_DF, TIMECODE_EBU, TIMECODE_FILM, TIMECODE_SMPTE
from lightshow.protocol.timecode import TIMECODE_KINDS, timecode_at


def test_whole_frame_rates_count_frames_within_the_second():
    assert timecode_at(0.0, TIMECODE_EBU) == (0, 0, 0, 0)
    assert timecode_at(1.0, TIMECODE_EBU) == (0, 0, 1, 0)  # not 0:0:0:24 by rounding
    assert timecode_at(0.999, TIMECODE_EBU) == (0, 0, 0, 24)
    assert timecode_at(3723.5, TIMECODE_FILM) == (1, 2, 3, 12)
    assert timecode_at(59.99, TIMECODE_SMPTE) == (0, 0, 59, 29)
    assert timecode_at(24 * 3600 + 2.0, TIMECODE_SMPTE) == (0, 0, 2, 0)  # hours wrap


def test_drop_frame_skips_two_labels_each_minute_but_every_tenth():
    frame_s = 1001 / 30000
    assert timecode_at(1799 * frame_s, TIMECODE_DF) == (0, 0, 59, 29)
    assert timecode_at(1800 * frame_s, TIMECODE_DF) == (0, 1, 0, 2)  # ;00 and ;01 skipped
    assert timecode_at(17982 * frame_s, TIMECODE_DF) == (0, 10, 0, 0)  # tenth minute: kept
    assert timecode_at(3600.0, TIMECODE_DF) == (1, 0, 0, 0)  # an hour of DF is an hour
    assert timecode_at(107892 * frame_s, TIMECODE_DF) == (1, 0, 0, 0)


def test_the_cli_names_map_to_the_four_types():
    assert TIMECODE_KINDS == {"24": TIMECODE_FILM, "25": TIMECODE_EBU, "29.97df": TIMECODE_DF,
                              "30": TIMECODE_SMPTE}
    with pytest.raises(ValueError):
        timecode_at(-0.5, TIMECODE_EBU)
