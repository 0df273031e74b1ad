"""``lightshow marks``: beats, bars and strong onsets of a song, or an Audacity label file, as a marks file."""

from __future__ import annotations

import argparse
import os
import sys

from lightshow.commands.exit_codes import EXIT_OK
from lightshow.errors import DiagnosticsError, UsageError

NAME = "marks"
HELP = "detect a song's beats, bars and strong onsets (or import an Audacity label file) as a marks file"
LABEL_SUFFIXES = (".txt",)


def add_arguments(p: argparse.ArgumentParser) -> None:
    from lightshow.music.labels import LABELS_AS

    p.add_argument("song", metavar="SONG", help="an audio file (.wav .flac .ogg .opus .mp3) to detect marks in, "
                   "or an Audacity label file (.txt, also xLights' timing-track export) to import")
    p.add_argument("-o", "--output", metavar="MARKS.yaml", help="write the marks file here (default: print it)")
    p.add_argument("--beats-per-bar", type=int, default=4, metavar="N", help="the meter's beats per bar (default 4)")
    p.add_argument("--labels-as", choices=LABELS_AS, default="marks",
                   help="label files: take the labels as named marks (default), as beats, or as bars")


def _read_labels(path: str, labels_as: str):
    from lightshow.diagnostics import SourceSpan, error
    from lightshow.schema.yamltree import decode_text
    from lightshow.music.labels import parse_labels

    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        code = "file-not-found" if isinstance(exc, FileNotFoundError) else "unreadable-file"
        raise DiagnosticsError([error(code, f"cannot read label file: {exc.strerror or exc}",
                                      SourceSpan(path))]) from None
    text, problems = decode_text(data, path)
    if text is None:
        raise DiagnosticsError(problems)
    return parse_labels(text, path, labels_as)


def run(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from lightshow.music.marks import marks_yaml

    if args.beats_per_bar < 2:
        raise UsageError(f"--beats-per-bar expects a whole number of at least 2, found {args.beats_per_bar}")
    source = os.path.basename(args.song)
    if args.song.lower().endswith(LABEL_SUFFIXES):
        marks = _read_labels(args.song, args.labels_as)
        how = "imported"
    else:
        from lightshow.load.audio_file import read_audio
        from lightshow.music.beats import detect_marks

        samples, sample_rate = read_audio(args.song)
        marks = detect_marks(samples, sample_rate, beats_per_bar=args.beats_per_bar)
        how = "detected"
    marks = replace(marks, source=source)
    text = marks_yaml(marks)
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as exc:
            from lightshow.errors import LightshowError

            raise LightshowError(f"cannot write {args.output}: {exc.strerror or exc}") from None
        where = f" -> {args.output}"
    else:
        print(text, end="")
        where = ""
    summary = (f"{source}: {how} {marks.tempo_bpm:.1f} bpm, {len(marks.beats)} beats, {len(marks.bars)} bars, "
               f"{len(marks.onsets)} onsets, {len(marks.named)} named marks{where}")
    print(summary, file=sys.stdout if args.output else sys.stderr)   # stdout stays a marks file
    return EXIT_OK
