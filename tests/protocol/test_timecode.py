"""Show time as ArtTimeCode values: film, EBU, SMPTE and 29.97 drop frame."""

import pytest

from lightshow.protocol.artnet_timecode import TIMECODE_DF, TIMECODE_EBU, TIMECODE_FILM, TIMECODE_SMPTE, timecode_fps
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


def test_labels_count_back_to_the_frames_they_stand_for_at_every_rate():
    from lightshow.protocol.timecode import frame_count, frames_per_day

    for kind in (TIMECODE_FILM, TIMECODE_EBU, TIMECODE_DF, TIMECODE_SMPTE):
        fps = timecode_fps(kind)
        for count in list(range(0, 40000, 7)) + [frames_per_day(kind) - 1]:
            assert frame_count(*timecode_at(count / fps, kind), kind) == count


def test_drop_frame_labels_as_counted_and_as_seconds():
    from lightshow.protocol.timecode import frame_count, frames_per_day, timecode_seconds

    assert frame_count(0, 1, 0, 2, TIMECODE_DF) == 1800          # 00:01:00;00 and ;01 do not exist
    assert frame_count(0, 10, 0, 0, TIMECODE_DF) == 17982
    assert frame_count(1, 0, 0, 0, TIMECODE_DF) == 107892
    assert frames_per_day(TIMECODE_DF) == 24 * 107892
    assert timecode_seconds(10, 0, 0, 0, TIMECODE_DF) == pytest.approx(35999.964, abs=1e-6)  # 1078920 x 1001/30000
    assert timecode_seconds(10, 0, 0, 0, TIMECODE_SMPTE) == 36000.0
    assert timecode_seconds(0, 0, 1, 12, TIMECODE_EBU) == pytest.approx(1.48)


def test_timecodes_are_read_and_written_as_operators_write_them():
    from lightshow.protocol.timecode import format_timecode, parse_timecode

    assert parse_timecode("10:00:05:12") == (10, 0, 5, 12)
    assert parse_timecode("01:02:03;04") == (1, 2, 3, 4)
    assert format_timecode(10, 0, 5, 12, TIMECODE_EBU) == "10:00:05:12 @25"
    assert format_timecode(1, 2, 3, 4, TIMECODE_DF) == "01:02:03;04 @29.97df"
    with pytest.raises(ValueError, match="expected a timecode HH:MM:SS:FF such as 10:00:00:00, found '10:00'"):
        parse_timecode("10:00")
    with pytest.raises(ValueError, match="out of range"):
        parse_timecode("24:00:00:00")
