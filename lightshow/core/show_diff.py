"""Which frames of a show can change between two versions of it.

Cues are compared by content: a digest of each cue's resolved fields (times, effect,
parameters with any asset data they carry, fades, layer, blend, opacity, priority), its
chapter and id (its random seed comes from them) and the fixture ids it targets.  A frame
can change only where a cue that is in one version and not in the other plays: the union
of the old and the new frames of every changed cue.  A change of the rig or of the frame
rate, or unchanged cues that now stack in another order, can change any frame.
Positions (``span``) are not content: moving a cue in its file changes no frame.
"""

from __future__ import annotations

import hashlib
import struct
from collections import Counter
from dataclasses import dataclass, fields, is_dataclass

import numpy as np

from lightshow.core.timebase import frame_of
from lightshow.model.show import Cue, Show


def _feed(h, value, memo: dict | None = None) -> None:
    """Feed ``value`` into the hash ``h``, tagged by type so that 1, 1.0 and "1" differ;
    ``memo``: digests of dataclass objects already seen (a profile shared by many fixtures)."""
    if value is None or isinstance(value, (bool, int, float, str, bytes)):
        h.update(type(value).__name__.encode())
        if isinstance(value, float):
            h.update(struct.pack("<d", value))
        else:
            h.update(repr(value).encode("utf-8") if not isinstance(value, bytes) else value)
    elif isinstance(value, np.ndarray):
        h.update(b"nd" + str(value.dtype).encode() + repr(value.shape).encode())
        h.update(np.ascontiguousarray(value).tobytes())
    elif isinstance(value, np.generic):
        _feed(h, value.item(), memo)
    elif is_dataclass(value):
        if memo is not None and id(value) in memo:
            h.update(memo[id(value)])
            return
        inner = hashlib.blake2b(digest_size=16)
        inner.update(b"dc" + type(value).__name__.encode())
        for f in fields(value):
            if f.compare:
                inner.update(f.name.encode())
                _feed(inner, getattr(value, f.name), memo)
        done = inner.digest()
        if memo is not None:
            memo[id(value)] = done
        h.update(done)
    elif isinstance(value, dict):
        h.update(b"{%d" % len(value))
        for key in sorted(value, key=repr):
            _feed(h, key, memo)
            _feed(h, value[key], memo)
    elif isinstance(value, (list, tuple)):
        h.update(b"[%d" % len(value))
        for item in value:
            _feed(h, item, memo)
    elif isinstance(value, (set, frozenset)):
        h.update(b"(%d" % len(value))
        for item in sorted(value, key=repr):
            _feed(h, item, memo)
    else:        # an enum or another plain value: its type and repr
        h.update(type(value).__name__.encode() + repr(value).encode("utf-8"))


def digest(value) -> str:
    """A stable hex digest of a model value (dataclasses, containers, numpy arrays)."""
    h = hashlib.blake2b(digest_size=16)
    _feed(h, value, {})    # the memo lives as long as ``value``, so ids stay unique
    return h.hexdigest()


def cue_digest(cue: Cue) -> str:
    """The cue's content: every field that is compared (not its position in its file)."""
    return digest(cue)


def rig_digest(show: Show) -> str:
    """What every frame depends on: the rig (patch, profiles, positions) and the frame rate."""
    return digest((show.rig, show.fps))


@dataclass(frozen=True)
class FrameSpans:
    """A set of frames as sorted, disjoint, non-adjacent [start, stop) runs."""

    runs: tuple[tuple[int, int], ...] = ()

    @classmethod
    def of(cls, runs) -> "FrameSpans":
        merged: list[list[int]] = []
        for a, b in sorted((int(a), int(b)) for a, b in runs if b > a):
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        return cls(tuple((a, b) for a, b in merged))

    def __or__(self, other: "FrameSpans") -> "FrameSpans":
        return FrameSpans.of(self.runs + other.runs)

    def __bool__(self) -> bool:
        return bool(self.runs)

    @property
    def n_frames(self) -> int:
        return sum(b - a for a, b in self.runs)

    def clip(self, start: int, stop: int) -> "FrameSpans":
        return FrameSpans.of((max(a, start), min(b, stop)) for a, b in self.runs)

    def overlaps(self, start: int, stop: int) -> bool:
        return any(a < stop and start < b for a, b in self.runs)

    def mask(self, start: int, stop: int) -> np.ndarray:
        """Which of frames [start, stop) are in the set, as booleans."""
        inside = np.zeros(max(stop - start, 0), dtype=bool)
        for a, b in self.runs:
            a, b = max(a, start), min(b, stop)
            if a < b:
                inside[a - start:b - start] = True
        return inside


def cue_frames(cue: Cue, fps: float) -> tuple[int, int]:
    """The frames [first, stop) a cue renders into (as the renderer places it)."""
    return frame_of(cue.start_s, fps), frame_of(cue.end_s, fps)


@dataclass(frozen=True)
class ShowDiff:
    """How ``new`` differs from ``old`` in what it renders."""

    changed: FrameSpans            # frames whose bytes can differ
    n_frames: int                  # frames of the new show
    everything: bool               # the rig or the frame rate changed (or the stacking order)
    added: tuple[str, ...]         # 'chapter/cue' of cues only in the new show (new or edited)
    removed: tuple[str, ...]       # ... only in the old one

    @property
    def n_changed(self) -> int:
        return self.changed.clip(0, self.n_frames).n_frames


def _stack_key(cue: Cue, order: int):
    return (cue.layer, cue.priority, cue.start_s, order)


def diff_shows(old: Show | None, new: Show | None, old_digests: dict | None = None,
               new_digests: dict | None = None) -> ShowDiff:
    """The frames of ``new`` that can differ from those of ``old``.

    ``old_digests``: the old show's :func:`show_digests` when known (from a compiled file's
    header, or kept from the last reload), instead of ``old`` itself (which may then be None);
    ``new_digests`` likewise."""
    new_d = new_digests if new_digests is not None else show_digests(new)
    old_d = old_digests if old_digests is not None else show_digests(old)
    n_new, n_old = new_d["n_frames"], old_d["n_frames"]
    tail = FrameSpans.of([(min(n_old, n_new), max(n_old, n_new))])
    if old_d["rig"] != new_d["rig"]:
        return ShowDiff(FrameSpans.of([(0, max(n_old, n_new))]), n_new, True, (), ())
    old_cues = Counter(c["digest"] for c in old_d["cues"])
    new_cues = Counter(c["digest"] for c in new_d["cues"])
    gone, came = old_cues - new_cues, new_cues - old_cues
    runs = []
    removed, added = [], []
    for cues, changed, names in ((old_d["cues"], gone, removed), (new_d["cues"], came, added)):
        left = Counter(changed)
        for c in cues:
            if left[c["digest"]] > 0:
                left[c["digest"]] -= 1
                runs.append((c["first"], c["stop"]))
                names.append(c["name"])
    # unchanged cues that stack in another order (a tie of layer, priority and start whose order
    # in the file changed) can change any frame where they overlap: count everything
    common = old_cues & new_cues
    kept_old = [d for d in old_d["stack"] if d in common]
    kept_new = [d for d in new_d["stack"] if d in common]
    if kept_old != kept_new:
        return ShowDiff(FrameSpans.of([(0, max(n_old, n_new))]), n_new, True, tuple(added), tuple(removed))
    return ShowDiff(FrameSpans.of(runs) | tail, n_new, False, tuple(added), tuple(removed))


def show_digests(show: Show, rig: str | None = None) -> dict:
    """What :func:`diff_shows` compares, as plain JSON-able values (a compiled file keeps it);
    ``rig``: the :func:`rig_digest` when known (the same rig object as last time)."""
    cues = show.cues()
    placed = []
    for cue in cues:
        first, stop = cue_frames(cue, show.fps)
        placed.append({"name": f"{cue.chapter_id}/{cue.id}", "digest": cue_digest(cue),
                       "first": first, "stop": stop})
    order = sorted(range(len(cues)), key=lambda i: _stack_key(cues[i], i))
    return {"rig": rig or rig_digest(show), "n_frames": frame_of(show.duration_s, show.fps),
            "cues": placed, "stack": [placed[i]["digest"] for i in order]}
