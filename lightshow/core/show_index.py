"""The cue/chapter index a player needs, as JSON bytes stored beside the frames."""

from __future__ import annotations

import json

from lightshow.core.timebase import frame_of
from lightshow.model.show import Show

INDEX_FORMAT = "lightshow-index/1"


def build_index(show: Show, universes: list[int], first_frame: int, stop_frame: int) -> bytes:
    fps = show.fps
    index = {
        "format": INDEX_FORMAT,
        "title": show.title,
        "fps": fps,
        "universes": universes,
        "frames": [first_frame, stop_frame],
        "chapters": [{"id": c.id, "title": c.title, "start_frame": frame_of(c.start_s, fps),
                      "stop_frame": frame_of(c.end_s, fps)} for c in show.chapters],
        "cues": [{"id": q.id, "chapter": q.chapter_id, "start_frame": frame_of(q.start_s, fps),
                  "stop_frame": frame_of(q.end_s, fps), "effect": q.effect,
                  "targets": list(q.targets)} for q in show.cues()],
    }
    return json.dumps(index, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def parse_index(data: bytes) -> dict:
    index = json.loads(data.decode("utf-8"))
    if index.get("format") != INDEX_FORMAT:
        raise ValueError(f"expected a {INDEX_FORMAT} index, found {index.get('format')!r}")
    return index
