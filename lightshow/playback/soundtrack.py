"""The show's soundtrack as the player's clock.

The audio device's own playback position is the master, as on Falcon Player: the lights move
to the music, never the music to the lights (it is not stretched, only started, paused and
sought).  :class:`SoundtrackClock` is a time source (see :mod:`lightshow.playback.time_source`):
``show_time_s(now)`` is the song position the device reports audible at ``now`` (corrected for
its output latency) plus the soundtrack's ``offset_s``, so the player's follow law slews the
lights to the music within a frame and jumps on a seek.  It is also a follower of the
transport: play, pause, seek, goto, rate and a loop's wrap, whoever asked for them, move the
music too.  When the music is sought, it starts ``latency_s`` ahead so that what is heard when
it comes out of the speakers is what the lights show then.

Before the song begins (a negative position) and after it ends the device plays silence and the
clock has nothing to say (``None``): the lights run on the monotonic clock there.  So it does for
a moment after every move: until the first block played from the new position reaches the
speaker (the output latency and a block), the device still reports the old position.
"""

from __future__ import annotations

import logging
import math
import os
import time

from lightshow.core.transport import PLAYING
from lightshow.model.show import Soundtrack

log = logging.getLogger("lightshow.soundtrack")
SETTLE_S = 0.03     # beyond the output latency, until the device reports the position it was moved to
RESYNC_S = 0.04     # following another source: the music is sought again when it drifts this far


class SoundtrackClock:
    name = "soundtrack"
    drives_transport = False

    def __init__(self, output, soundtrack: Soundtrack):
        self.output, self.soundtrack = output, soundtrack
        self.playing = False
        self.quiet_until_s = 0.0
        self.resyncs = 0             # seeks to keep up with another source
        self.latency_lead = True     # start the music ahead by the output latency (False: only to measure without)

    def show_time_s(self, now_s: float) -> float | None:
        if not self.playing or now_s < self.quiet_until_s:
            return None
        song_s = self.output.position_s(now_s)
        if song_s is None or song_s < 0 or song_s >= self.soundtrack.duration_s:
            return None
        return song_s + self.soundtrack.offset_s

    def transport_moved(self, state: str, show_s: float, rate: float, now_s: float) -> None:
        """The light's transport moved: the music follows."""
        self.playing = state == PLAYING
        self.quiet_until_s = now_s + self.output.latency_s + SETTLE_S
        if not self.playing:
            self.output.pause()
            return
        self.output.set_rate(rate)
        lead_s = self.output.latency_s * rate if self.latency_lead else 0.0
        self.output.play(self.soundtrack.song_s(show_s) + lead_s)

    def keep_up(self, show_s: float, now_s: float) -> None:
        """Following another source (timecode, a sync master): the music runs on the audio device's
        clock, which drifts from the source's; when it is off by more than RESYNC_S, seek it."""
        heard = self.show_time_s(now_s)
        if heard is not None and abs(heard - show_s) > RESYNC_S:
            self.output.play(self.soundtrack.song_s(show_s) + self.output.latency_s)
            self.quiet_until_s = now_s + self.output.latency_s + SETTLE_S
            self.resyncs += 1

    def follow_status(self, error_s: float | None) -> dict:
        """For the status: the soundtrack, where it is, its level and output latency."""
        song_s = self.output.position_s(time.monotonic()) if self.playing else None
        level = self.output.level_dbfs()
        return {"source": "soundtrack", "file": os.path.basename(self.soundtrack.path),
                "state": "playing" if self.playing else "paused",
                "position_s": None if song_s is None else round(song_s, 3),
                "latency_ms": round(self.output.latency_s * 1000, 1),
                "level_dbfs": None if not math.isfinite(level) else round(level, 1),
                "error_ms": None if error_s is None else round(error_s * 1000, 1)}

    def close(self) -> None:
        self.output.close()


def open_soundtrack(soundtrack: Soundtrack, device: str | None = None) -> SoundtrackClock:
    """The show's soundtrack on the audio device, as a clock; raises AudioUnavailable (one line) when
    there is no device to play it on."""
    from lightshow.load.audio_file import read_audio
    from lightshow.output.audio_device import AudioOutput, output_device

    output_device(device)                  # no device: say so before decoding minutes of audio
    samples, sample_rate = read_audio(soundtrack.path)
    output = AudioOutput(samples, sample_rate, soundtrack.gain_db, device).start()
    log.info("soundtrack %s on the audio device, output latency %.1f ms", soundtrack.path,
             output.latency_s * 1000)
    return SoundtrackClock(output, soundtrack)
