"""The chapters and cues of a show by frame: what a player needs to jump and to say where it is.

A compiled file stores the index beside its frames as JSON bytes (:meth:`ShowIndex.to_bytes`,
read back by :meth:`ShowIndex.from_bytes`); a show loaded from YAML gives the same index
(:meth:`ShowIndex.of_show`), so playback does not care where its frames come from.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from lightshow.core.timebase import frame_of
from lightshow.errors import FormatError, NotFoundError
from lightshow.model.show import Show

INDEX_FORMAT = "lightshow-index/1"


@dataclass(frozen=True)
class ChapterSpan:
    id: str
    title: str | None
    start_frame: int
    stop_frame: int


@dataclass(frozen=True)
class CueSpan:
    id: str
    chapter: str
    start_frame: int
    stop_frame: int
    effect: str
    targets: tuple[str, ...]


@dataclass(frozen=True)
class ShowIndex:
    """A show's chapters and cues in frames, its universes, and the frames [first, stop) at hand."""

    title: str
    fps: float
    universes: tuple[int, ...]
    first_frame: int
    stop_frame: int
    chapters: tuple[ChapterSpan, ...]
    cues: tuple[CueSpan, ...]

    @classmethod
    def of_show(cls, show: Show, universes: list[int], first_frame: int, stop_frame: int) -> "ShowIndex":
        fps = show.fps
        chapters = tuple(ChapterSpan(c.id, c.title, frame_of(c.start_s, fps), frame_of(c.end_s, fps))
                         for c in show.chapters)
        cues = tuple(CueSpan(q.id, q.chapter_id, frame_of(q.start_s, fps), frame_of(q.end_s, fps),
                             q.effect, tuple(q.targets)) for q in show.cues())
        return cls(show.title, fps, tuple(universes), first_frame, stop_frame, chapters, cues)

    def to_bytes(self) -> bytes:
        """The JSON stored in a compiled file (keys sorted: the same index gives the same bytes)."""
        index = {
            "format": INDEX_FORMAT, "title": self.title, "fps": self.fps,
            "universes": list(self.universes), "frames": [self.first_frame, self.stop_frame],
            "chapters": [asdict(c) for c in self.chapters],
            "cues": [{**asdict(q), "targets": list(q.targets)} for q in self.cues],
        }
        return json.dumps(index, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> "ShowIndex":
        """Read what :meth:`to_bytes` wrote; anything else is a :class:`FormatError`."""
        try:
            index = json.loads(data.decode("utf-8"))
            if not isinstance(index, dict) or index.get("format") != INDEX_FORMAT:
                found = index.get("format") if isinstance(index, dict) else type(index).__name__
                raise FormatError(f"expected a {INDEX_FORMAT} index, found {found!r}")
            first, stop = (int(v) for v in index["frames"])
            chapters = tuple(ChapterSpan(str(c["id"]), c["title"], int(c["start_frame"]),
                                         int(c["stop_frame"])) for c in index["chapters"])
            cues = tuple(CueSpan(str(q["id"]), str(q["chapter"]), int(q["start_frame"]),
                                 int(q["stop_frame"]), str(q["effect"]), tuple(q["targets"]))
                         for q in index["cues"])
            return cls(str(index.get("title", "")), float(index["fps"]),
                       tuple(int(u) for u in index["universes"]), first, stop, chapters, cues)
        except FormatError:
            raise
        except (UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
            raise FormatError(f"a {INDEX_FORMAT} index that cannot be read: {exc!r}") from None

    # -- looking things up --------------------------------------------------------------------
    def chapter(self, ref: str | int) -> ChapterSpan:
        """By id, or by number from 1."""
        text = str(ref)
        for chapter in self.chapters:
            if chapter.id == text:
                return chapter
        if text.isdigit() and 1 <= int(text) <= len(self.chapters):
            return self.chapters[int(text) - 1]
        raise NotFoundError(f"no chapter '{text}' (chapters: 1..{len(self.chapters)} or "
                            + ", ".join(c.id for c in self.chapters) + ")")

    def cue(self, cue_id: str) -> CueSpan:
        for cue in self.cues:
            if cue.id == cue_id:
                return cue
        raise NotFoundError(f"no cue '{cue_id}'")

    def at(self, frame: int) -> tuple[ChapterSpan | None, list[CueSpan]]:
        """The chapter and the cues playing at ``frame``."""
        chapter = next((c for c in self.chapters if c.start_frame <= frame < c.stop_frame), None)
        return chapter, [q for q in self.cues if q.start_frame <= frame < q.stop_frame]

    def cue_starts_after(self, frame: int) -> list[int]:
        """The frames where a cue starts, after ``frame``, in order."""
        return sorted({q.start_frame for q in self.cues if q.start_frame > frame})

    def starts_before(self, frame: int) -> list[int]:
        """The frames where a chapter or a cue starts, before ``frame``, in order."""
        return sorted({s.start_frame for s in (*self.chapters, *self.cues) if s.start_frame < frame})

    def as_json(self) -> dict:
        """Title, fps, chapters and cues as plain JSON values (for the HTTP API)."""
        return {"title": self.title, "fps": self.fps, "chapters": [asdict(c) for c in self.chapters],
                "cues": [{**asdict(q), "targets": list(q.targets)} for q in self.cues]}
