"""Following LTC on an audio input: a time source that drives the transport.

The input edge (:class:`lightshow.output.ltc_input.LtcInput`) decodes LTC block by block and gives
each frame's label, its rate (24, 25, 29.97 drop frame or 30, told apart by the decoder) and the
monotonic time its first sample was captured; the label goes to the same chase as ArtTimeCode
(:class:`lightshow.playback.timecode_follow.ChasedTimecode`: lock, freewheel, jumps, loss, offset)
with that capture time as the frame's time and the capture time of its end as its arrival (a frame
can only be read once it has ended).  The freewheel counts silence up to now less the input's
recent worst capture delay (capture to callback), so the audio system's delivery jitter is not
taken for missing frames.
"""

from __future__ import annotations

import time

from lightshow.core.timecode_chase import ChasePolicy
from lightshow.output.libltc import LtcFrame
from lightshow.output.ltc_input import LtcInput
from lightshow.playback.timecode_follow import ChasedTimecode
from lightshow.protocol.artnet_timecode import timecode_fps


class LtcFollow(ChasedTimecode):
    """A time source following LTC heard on the audio input ``device`` (None: the default input)."""

    def __init__(self, device: str | None = None, policy: ChasePolicy = ChasePolicy(),
                 sample_rate: int = 48000, clock=time.monotonic):
        super().__init__("ltc", policy, clock)
        self.input = LtcInput(self._frame, device, sample_rate)

    def _frame(self, frame: LtcFrame, started_s: float, decoded_s: float) -> None:
        self.hear(frame.timecode, frame.kind, started_s, started_s + 1.0 / timecode_fps(frame.kind))

    def late_s(self) -> float:
        return self.input.worst_delay_s()

    def start(self) -> "LtcFollow":
        self.input.start()
        return self

    def close(self) -> None:
        self.input.close()

    def __enter__(self) -> "LtcFollow":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    def source_text(self) -> str:
        delay = self.input.delay_s
        return (f"ltc {self.input.device_name or self.input.device or 'default input'}"
                + (f", capture delay {delay * 1000:.0f} ms" if delay == delay else ""))
