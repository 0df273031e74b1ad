"""Audacity label files: point and region labels, spectral lines skipped, positioned errors."""

import numpy as np
import pytest

from lightshow.errors import DiagnosticsError
from lightshow.music.labels import parse_labels

AUDACITY = ("0.000000\t0.000000\tintro\n"
            "12.500000\t20.000000\tverse\n"
            "\t150.000000\t3000.000000\n"          # a spectral label's frequency line
            "30.250000\t30.250000\tverse\n"
            "41.000000\t41.000000\t\n"
            "\n"
            "50.000000\t50.000000\tverse\n")


def test_labels_become_named_marks_with_repeats_suffixed_and_empty_ones_numbered():
    marks = parse_labels(AUDACITY, "song.txt")
    assert marks.named == {"intro": 0.0, "verse": 12.5, "verse-2": 30.25, "label-4": 41.0, "verse-3": 50.0}
    assert len(marks.beats) == 0 and len(marks.bars) == 0
    assert marks.duration_s == 50.0


@pytest.mark.parametrize("labels_as", ["beats", "bars"])
def test_labels_as_beats_or_bars(labels_as):
    marks = parse_labels("2\t2\t1\n0.5\t0.5\t1\n1.0\t1.0\t2\n", "t.txt", labels_as)
    assert np.allclose(marks.beats, [0.5, 1.0, 2.0])
    assert np.allclose(marks.bars, [0.5, 1.0, 2.0] if labels_as == "bars" else [])
    assert marks.named == {}


def test_a_bom_and_crlf_line_ends_are_accepted():
    assert parse_labels("\ufeff1.5\t1.5\tgo\r\n", "t.txt").named == {"go": 1.5}


@pytest.mark.parametrize("text, message", [
    ("1\t1\ta\nabc\t2\tb\n",
     "t.txt:2:1: error[bad-label]: expected the start time in seconds (a number of at least 0), found 'abc'"),
    ("1\t1\ta\n2\tx\tb\n",
     "t.txt:2:3: error[bad-label]: expected the end time in seconds (a number of at least 0), found 'x'"),
    ("1 1 a\n", "t.txt:1:1: error[bad-label]: expected 'start<TAB>end<TAB>label', found '1 1 a'"),
    ("-1\t1\ta\n",
     "t.txt:1:1: error[bad-label]: expected the start time in seconds (a number of at least 0), found '-1'"),
    ("5\t4\ta\n", "t.txt:1:3: error[bad-label]: the end 4 s is before the start 5 s"),
])
def test_a_bad_line_is_a_positioned_error(text, message):
    with pytest.raises(DiagnosticsError) as caught:
        parse_labels(text, "t.txt")
    assert [d.format() for d in caught.value.diagnostics] == [message]
