"""The one parser of moments and ranges, on a hand-made index (20 fps, 3 s, two chapters)."""

import pytest

from lightshow.core.moment import moment_frame, moment_s, range_frames, seconds_text
from lightshow.core.show_index import ChapterSpan, CueSpan, ShowIndex
from lightshow.errors import LightshowError, NotFoundError, UsageError

INDEX = ShowIndex("t", 20.0, (1, 2), 0, 60,
                  (ChapterSpan("first", "One", 0, 40), ChapterSpan("second", None, 40, 60)),
                  (CueSpan("red", "first", 0, 40, "solid", ("roof",)),
                   CueSpan("blue", "second", 45, 60, "solid", ("all",))))


@pytest.mark.parametrize("text, frame", [
    ("0", 0), ("1.5", 30), ("0:02", 40), ("0:01.25", 25), ("first", 0), ("second", 40), ("blue", 45),
    ("3", 60), (" 1 ", 20),
])
def test_a_moment_is_seconds_a_clock_time_or_a_chapter_or_cue(text, frame):
    assert moment_frame(text, INDEX) == frame


@pytest.mark.parametrize("text", ["nowhere", "-1", "3.1", "1:75", "", "nan", "inf"])
def test_anything_else_is_a_usage_error_that_says_what_is_expected(text):
    with pytest.raises(UsageError, match=r"expected a time in 0\.\.3 s \(seconds or mm:ss.fff\) or a "
                                         r"chapter or cue id, found"):
        moment_frame(text, INDEX)


def test_moment_seconds_keep_a_written_time_and_put_ids_on_their_frame():
    assert moment_s("1.234", INDEX) == 1.234
    assert moment_s("blue", INDEX) == 45 / 20
    with pytest.raises(UsageError):
        moment_s("2.5", INDEX, duration_s=2.0)


def test_chapters_by_number_or_id_and_cues_by_id():
    assert INDEX.chapter("2").id == INDEX.chapter(2).id == INDEX.chapter("second").id == "second"
    with pytest.raises(NotFoundError, match=r"no chapter '3' \(chapters: 1..2 or first, second\)"):
        INDEX.chapter("3")
    assert INDEX.cue("blue").start_frame == 45
    with pytest.raises(NotFoundError, match="no cue 'green'"):
        INDEX.cue("green")


@pytest.mark.parametrize("text, frames", [
    ("first", (0, 40)), ("0..1", (0, 20)), ("..1", (0, 20)), ("2..", (40, 60)), ("0:01..0:02.5", (20, 50)),
    ("2.5..99", (50, 60)),
])
def test_a_range_is_start_to_end_or_a_chapter(text, frames):
    assert range_frames(text, INDEX) == frames


def test_bad_ranges_say_why():
    with pytest.raises(UsageError, match=r"--range expects START..END \(seconds or mm:ss\) or a chapter "
                                         r"id \(first, second\), found 'later'"):
        range_frames("later", INDEX)
    with pytest.raises(UsageError, match="0 <= START < END, found '2..1'"):
        range_frames("2..1", INDEX)
    with pytest.raises(LightshowError, match=r"--range 4..5 starts after the show ends \(3 s\)"):
        range_frames("4..5", INDEX)


def test_seconds_are_written_to_the_millisecond_without_trailing_zeros():
    assert [seconds_text(s) for s in (1.3, 540.0, 0.013, 0.0004)] == ["1.3", "540", "0.013", "0"]
