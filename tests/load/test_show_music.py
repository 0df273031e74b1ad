"""Shows timed to music: a soundtrack, marks, cues at beats and bars, lengths in beats, rates at the tempo."""

import numpy as np
import pytest

from lightshow.diagnostics import format_diagnostics
from lightshow.load.audio_file import write_audio
from lightshow.load.project import Project

RIG = "name: t\npatch:\n  - {id: p, profile: par, universe: 1, address: 1}\n"
# 120 bpm, 4/4: a beat every 0.5 s from 1.0 s, bars every 2 s
MARKS = ("beats: [" + ", ".join(f"{1.0 + 0.5 * n:.1f}" for n in range(40)) + "]\n"
         "bars: [" + ", ".join(f"{1.0 + 2.0 * n:.1f}" for n in range(10)) + "]\n"
         "onsets: [1.0, 5.25]\nmarks: {chorus-2: 9.0, 副歌: 12.0}\n")


def make(project, cues: str, head: str = "", song_s: float = 30.0, marks: str = MARKS):
    project.rig(RIG)
    (project.root / "shows" / "marks.yaml").write_text(marks, encoding="utf-8")
    write_audio(str(project.root / "shows" / "song.flac"), np.zeros((int(song_s * 8000), 2)), 8000)
    head = head or "audio: {path: song.flac, offset_s: 2}\nmarks: marks.yaml\n"
    path = project.show(f"title: t\nrig: rig.yaml\nfps: 20\n{head}chapters:\n  - id: c\n    duration: 30\n"
                        f"    cues:\n{cues}")
    return Project().load_show(str(path))


def cue(text: str) -> str:
    return "      - {" + text + "}\n"


def test_cues_start_on_beats_bars_onsets_and_named_marks(project):
    show, problems = make(project, cue("id: a, start: beat 5, duration: 1, target: all, effect: solid")
                          + cue("id: b, start: bar 3 + 0.25, duration: 1, target: all, effect: solid")
                          + cue("id: c, start: mark chorus-2 - 0.5, duration: 1, target: all, effect: solid")
                          + cue("id: d, start: mark 副歌, duration: 1, target: all, effect: solid")
                          + cue("id: e, start: onset 2, duration: 1, target: all, effect: solid"))
    assert problems == [], format_diagnostics(problems)
    starts = {c.id: c.start_s for c in show.cues()}
    # song times shifted by the soundtrack's offset of 2 s
    assert starts == pytest.approx({"a": 5.0, "b": 7.25, "c": 10.5, "d": 14.0, "e": 7.25})
    assert show.soundtrack.offset_s == 2 and show.soundtrack.duration_s == pytest.approx(30.0)
    assert show.cues()[1].timing == "start: bar 3 + 0.25 = 0:07.250"


def test_lengths_in_beats_and_rates_that_follow_the_tempo(project):
    show, problems = make(project, cue("id: a, start: bar 2, duration: 8 beats, target: all, effect: strobe, "
                                       "params: {rate_hz: beat, duty: 0.5}")
                          + cue("id: b, start: bar 2, duration: 2 bars, target: all, effect: rainbow, "
                                "params: {rate_hz: -2 beats}"))
    assert problems == [], format_diagnostics(problems)
    a, b = show.cues()
    assert a.duration_s == pytest.approx(4.0) and a.params["rate_hz"] == pytest.approx(2.0)
    assert b.duration_s == pytest.approx(4.0) and b.params["rate_hz"] == pytest.approx(-1.0)
    assert "rate_hz: beat = 2.000 Hz" in a.timing


@pytest.mark.parametrize("text, where, words", [
    ("start: mark chorus2", "10:24", "unknown mark 'chorus2' (did you mean 'chorus-2'?)"),
    ("start: beat 500", "10:24", "the marks have 40 beats, found beat 500"),
    ("start: bar 0", "10:24", "bars count from 1"),
])
def test_unknown_marks_are_positioned_with_a_suggestion(project, text, where, words):
    show, problems = make(project, cue(f"id: a, {text}, duration: 1, target: all, effect: solid"))
    report = format_diagnostics(problems)
    assert show is None and words in report and f"show.yaml:{where}" in report, report


def test_music_times_without_marks_say_what_is_missing(project):
    show, problems = make(project, cue("id: a, start: beat 3, duration: 1, target: all, effect: solid"),
                          head="audio: {path: song.flac}\n")
    report = format_diagnostics(problems)
    assert show is None and "add 'marks: FILE'" in report and "show.yaml:9:24:" in report, report


def test_soundtrack_problems_are_positioned(project):
    _, problems = make(project, cue("id: a, start: 0, duration: 1, target: all, effect: solid"),
                       head="audio: {path: missing.ogg}\n")
    assert "show.yaml:4:15: error[asset]: no audio file at" in format_diagnostics(problems)
    (project.root / "shows" / "noise.mp3").write_bytes(b"not audio at all" * 100)
    _, problems = make(project, cue("id: a, start: 0, duration: 1, target: all, effect: solid"),
                       head="audio: {path: noise.mp3}\n")
    assert "cannot be decoded as audio" in format_diagnostics(problems)
    show, problems = make(project, cue("id: a, start: 0, duration: 1, target: all, effect: solid"),
                          head="audio: {path: song.flac}\n", song_s=10)
    report = format_diagnostics(problems)
    assert show is not None and "warning[short-soundtrack]" in report and "0:10.000" in report, report
    _, problems = make(project, cue("id: a, start: 0, duration: 1, target: all, effect: solid"),
                       head="audio: {path: song.flac, offset_s: 45}\n")
    assert "show.yaml:4:36: error[invalid-value]: offset_s 45 puts the soundtrack" in format_diagnostics(problems)


def test_a_bad_marks_file_is_positioned_in_itself(project):
    _, problems = make(project, cue("id: a, start: beat 1, duration: 1, target: all, effect: solid"),
                       marks="beats: [1.0, 0.5]\n")
    assert "marks.yaml:1:8: error[invalid-value]: beats must be ascending: beat 2 at 0.5 s" \
        in format_diagnostics(problems)


def test_validate_explain_shows_resolved_times(project):
    import subprocess
    import sys
    make(project, cue("id: a, start: bar 2, duration: 8 beats, target: all, effect: solid"))
    done = subprocess.run([sys.executable, "-m", "lightshow", "validate", "--explain", "shows/show.yaml"],
                          capture_output=True, text=True, cwd=project.root)
    assert done.returncode == 0, done.stderr
    assert "a  0:05.000 - 0:09.000   start: bar 2 = 0:05.000; duration: 8 beats = 4.000 s" in done.stdout
    assert "soundtrack" in done.stdout and "begins at 0:02.000" in done.stdout
