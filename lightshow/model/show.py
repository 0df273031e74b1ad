"""Shows: chapters of cues, with every time resolved to absolute seconds."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lightshow.diagnostics import SourceSpan
from lightshow.model.blend import BlendMode
from lightshow.model.rig import Rig

MAX_FPS = 44.0
DEFAULT_FPS = 40.0
EASINGS = ("linear", "sine", "quad", "cubic", "step")
__all__ = ["DEFAULT_FPS", "EASINGS", "MAX_FPS", "Chapter", "Cue", "Fade", "Show", "Soundtrack", "TimecodeSettings"]


@dataclass(frozen=True)
class Fade:
    duration_s: float = 0.0
    easing: str = "linear"


@dataclass(frozen=True)
class Cue:
    id: str
    chapter_id: str
    start_s: float          # absolute show time when the cue's output begins (delay included)
    duration_s: float
    effect: str
    params: dict[str, Any]
    targets: tuple[str, ...]       # selectors as written
    fixture_ids: tuple[str, ...]   # what they select, in rig order
    fade_in: Fade = Fade()
    fade_out: Fade = Fade()
    delay_s: float = 0.0
    layer: int = 0
    blend: str = BlendMode.NORMAL.value   # one of BLEND_MODES
    opacity: float = 1.0
    priority: int = 0
    span: SourceSpan | None = field(default=None, compare=False)
    timing: str = field(default="", compare=False)   # how music-relative times were written, for --explain
    # LTP controls the cue sets on its fixtures (see lightshow.core.cue_controls): (channel
    # kind, level 0..1 for zoom/focus/iris/frost, a slot name or 1-based slot number for
    # color_wheel/gobo/prism, or flashes per second for strobe), in the order written
    controls: tuple[tuple[str, Any], ...] = ()

    @property
    def end_s(self) -> float:
        return self.start_s + self.duration_s


@dataclass(frozen=True)
class Soundtrack:
    """The audio a show plays to: song time ``t`` sounds at show time ``t + offset_s``."""

    path: str
    offset_s: float = 0.0
    gain_db: float = 0.0
    duration_s: float = 0.0
    sample_rate: int = 48000

    def song_s(self, show_s: float) -> float:
        return show_s - self.offset_s


@dataclass(frozen=True)
class TimecodeSettings:
    """The show's timecode defaults (the command line overrides each): the timecode at the show's
    start (for chasing and for sending), the rate sent, the source chased and what a loss does."""

    offset: tuple[int, int, int, int] = (0, 0, 0, 0)
    fps: str | None = None              # "24" | "25" | "29.97df" | "30" for timecode out
    follow: str | None = None           # "artnet[:BIND_IP]" | "ltc[:DEVICE]"
    freewheel_frames: int | None = None
    on_loss: str | None = None


@dataclass(frozen=True)
class Chapter:
    id: str
    title: str
    start_s: float
    duration_s: float
    cues: tuple[Cue, ...]
    span: SourceSpan | None = field(default=None, compare=False)

    @property
    def end_s(self) -> float:
        return self.start_s + self.duration_s


@dataclass(frozen=True)
class Show:
    title: str
    path: str
    fps: float
    rig: Rig
    chapters: tuple[Chapter, ...]
    duration_s: float
    soundtrack: Soundtrack | None = None
    timecode: TimecodeSettings | None = None

    @property
    def n_frames(self) -> int:
        return int(round(self.duration_s * self.fps))

    def cues(self) -> list[Cue]:
        return [cue for chapter in self.chapters for cue in chapter.cues]
