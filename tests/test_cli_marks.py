"""`lightshow marks` as a designer runs it: a real process on an audio file and on a label file."""

import os
import pathlib
import re
import subprocess
import sys

import pytest
import yaml

from lightshow.load.audio_file import write_audio
from lightshow.music.scoring import f_measure
from lightshow.music.synth import SAMPLE_RATE, Score, Section, render_score


REPO = pathlib.Path(__file__).resolve().parents[1]


def marks_command(*args, cwd):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-m", "lightshow", "marks", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_marks_detects_beats_and_bars_in_an_opus_file(tmp_path):
    pytest.importorskip("essentia")
    samples, truth = render_score(Score((Section(bars=12, tempo_bpm=120),), seed=7))
    write_audio(str(tmp_path / "song.opus"), samples, SAMPLE_RATE)
    result = marks_command("song.opus", "-o", "marks.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"song.opus: detected 1(19|20)\.\d bpm, 4[6-8] beats, 1[12] bars, \d+ onsets, "
                        r"0 named marks -> marks.yaml\n", result.stdout)
    assert result.stderr == ""
    assert result.stdout.rstrip().endswith("-> marks.yaml")
    marks = yaml.safe_load((tmp_path / "marks.yaml").read_text())
    assert marks["source"] == "song.opus" and marks["tempo_bpm"] == pytest.approx(120, abs=0.5)
    assert f_measure(truth.beats, marks["beats"]) >= 0.95
    assert f_measure(truth.bars, marks["bars"]) >= 0.95


def test_marks_imports_a_label_file_and_prints_the_marks_without_o(tmp_path):
    (tmp_path / "labels.txt").write_text("1.0\t1.0\tdrop\n2.0\t2.0\tdrop\n", encoding="utf-8")
    result = marks_command("labels.txt", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert yaml.safe_load(result.stdout)["marks"] == {"drop": 1.0, "drop-2": 2.0}
    assert "labels.txt: imported" in result.stderr and "2 named marks" in result.stderr
    beats = marks_command("labels.txt", "--labels-as", "bars", cwd=tmp_path)
    assert yaml.safe_load(beats.stdout)["bars"] == [1.0, 2.0]


@pytest.mark.parametrize("files, args, code, message", [
    ({"bad.txt": "1\t1\tok\nx\t2\tno\n"}, ["bad.txt"], 1, "bad.txt:2:1: error[bad-label]: expected the start"),
    ({}, ["missing.txt"], 1, "missing.txt: error[file-not-found]: cannot read label file"),
    ({}, ["missing.opus"], 1, "lightshow: error: "),
    ({"noise.wav": "not audio"}, ["noise.wav"], 1, "lightshow: error: "),
    ({}, ["x.txt", "--beats-per-bar", "1"], 2, "--beats-per-bar expects a whole number of at least 2"),
])
def test_marks_errors_exit_without_a_traceback(tmp_path, files, args, code, message):
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = marks_command(*args, cwd=tmp_path)
    assert result.returncode == code
    assert message in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
