"""How the playhead follows a time source: slew away small errors, jump over large ones.

A time source (a soundtrack's playback position, external timecode, a sync master) says
where the show should be; the playhead runs on the monotonic clock and is corrected
towards it.  An error within ``slew_within_s`` is slewed: the playback rate is trimmed
in proportion to the error, by at most ``max_trim``, so that it closes over about
``settle_s`` without a visible jump; a larger one is a jump (a seek to the source's
time), as Falcon Player's remotes do beyond half a second.  Errors under
``deadband_s`` leave the rate alone, so a steady source does not make it hunt.
Pure: errors in, a correction out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class FollowPolicy:
    slew_within_s: float = 0.5
    max_trim: float = 0.05
    settle_s: float = 1.0
    deadband_s: float = 0.002


@dataclass(frozen=True)
class Correction:
    """``jump``: seek to the source's time; else run at ``trim`` times the rate."""

    jump: bool
    trim: float = 1.0


def follow_correction(error_s: float, policy: FollowPolicy = FollowPolicy()) -> Correction:
    """What to do about the source being ``error_s`` ahead of the playhead (behind: negative)."""
    if abs(error_s) > policy.slew_within_s:
        return Correction(jump=True)
    if abs(error_s) < policy.deadband_s:
        return Correction(jump=False)
    trim = max(-policy.max_trim, min(policy.max_trim, error_s / policy.settle_s))
    return Correction(jump=False, trim=1.0 + trim)


TICK_PHASE_TARGET = 0.04   # ticks fall this part of a frame after the playhead enters a frame
TICK_PHASE_GAIN = 0.5      # part of the phase error corrected per tick


def tick_phase_shift(playhead_frames: float) -> float:
    """Frame periods to move the output clock's next ticks by (negative: earlier), so that, while a
    time source leads, each tick falls just after the playhead crosses into a new frame.

    Ticks run at the frame rate from wherever the clock started; a playhead that follows a source
    crosses frame boundaries at the source's instants.  Unaligned, a frame goes out up to a period
    after its time (and two players following one master differ by up to a period); aligned, every
    player following that source sends frame k within a tick's jitter of the instant it is due."""
    phase = playhead_frames - math.floor(playhead_frames)
    error = (phase - TICK_PHASE_TARGET + 0.5) % 1.0 - 0.5
    return -error * TICK_PHASE_GAIN
