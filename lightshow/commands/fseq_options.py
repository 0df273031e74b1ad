"""What ``compile`` and ``export`` share: compression, level, jobs, and the FSEQ step warning."""

from __future__ import annotations

import argparse
import sys

from lightshow.errors import FormatError, UsageError


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def add_fseq_arguments(p: argparse.ArgumentParser) -> None:
    """--compression, --level and --jobs."""
    from lightshow.protocol.compression_levels import COMPRESSION_LEVELS, DEFAULT_LEVEL

    p.add_argument("--compression", choices=("zstd", "zlib", "none"), default="zstd")
    ranges = ", ".join(f"{name} {low}..{high}" for name, (low, high) in COMPRESSION_LEVELS.items())
    p.add_argument("--level", type=int, default=DEFAULT_LEVEL, metavar="N",
                   help=f"compression level ({ranges}; default {DEFAULT_LEVEL}): lower is "
                        "faster, higher makes smaller files")
    p.add_argument("-j", "--jobs", type=positive_int, default=None, metavar="N",
                   help="threads rendering and compressing in parallel "
                        "(default: the cores available, at most 4; 1: one thread)")


def compression_level(args: argparse.Namespace) -> int:
    """``--level``, checked against ``--compression`` before anything is rendered."""
    from lightshow.protocol.fseq_compression import check_level

    try:
        check_level(args.compression, args.level)
    except FormatError as exc:
        raise UsageError(f"--level: {exc}") from exc
    return args.level


def warn_about_step_drift(fps: float, n_frames: int) -> None:
    """One line on stderr when FSEQ's whole-millisecond step makes players drift from ``fps``."""
    from lightshow.core.moment import seconds_text
    from lightshow.protocol.fseq_format import fseq_step_drift

    drift = fseq_step_drift(fps, n_frames)
    if drift is None:
        return
    way = "ahead" if drift.drift_s < 0 else "behind"
    drift_s = abs(drift.drift_s)
    drift_text = f"{drift_s:.2g}" if drift_s < 1 else seconds_text(drift_s)
    print(f"lightshow: warning: {fps:g} fps is written as a {drift.step_ms} ms FSEQ step (whole "
          f"milliseconds), so Falcon Player plays it at {drift.played_fps:.3f} fps and runs "
          f"{drift_text} s {way} over {seconds_text(n_frames / fps)} s; "
          f"an fps that divides 1000 (20, 25, 40) does not drift", file=sys.stderr)
