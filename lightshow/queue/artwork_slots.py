"""Fills a playing show's artwork slots with approved citizen works.

A thread watches the playhead.  When an artwork cue is less than ``lead_s``
away (or playing) and has no work yet, it takes the next work from the content
store by the fair rule (which records the play), maps it onto the cue's
target pixels as a clip and turns the clip into channel bytes; the player lays
those over the compiled frames while the slot plays.  With no approved work,
the slot shows the show's own content (the compiled frames).  A slot that has
passed is forgotten, so the next pass of a looping show takes the next work.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

import numpy as np

from lightshow.queue.content_store import ContentStore, StoredArtwork
from lightshow.content.clip import ArtworkClip, build_artwork_clip
from lightshow.core.artwork_overlay import SlotBytes, slot_bytes
from lightshow.core.pixelmap import PixelMap, Target
from lightshow.core.render import ShowRenderer
from lightshow.core.timebase import frame_of
from lightshow.model.show import Show

log = logging.getLogger("lightshow.artwork")
LEAD_S = 10.0
RETRY_S = 2.0


@dataclass(frozen=True)
class Slot:
    cue_id: str
    start_frame: int
    stop_frame: int
    fixture_ids: tuple[str, ...]
    fit: str
    background: tuple[float, float, float]
    transition_s: float


@dataclass
class FilledSlot:
    slot: Slot
    work: StoredArtwork
    clip: ArtworkClip
    bytes: SlotBytes


def show_slots(renderer: ShowRenderer) -> list[Slot]:
    fps = renderer.fps
    return [Slot(cue.id, frame_of(cue.start_s, fps), frame_of(cue.end_s, fps), cue.fixture_ids,
                 cue.params["fit"], tuple(cue.params["background"]), float(cue.params["transition_s"]))
            for cue in renderer.show.cues() if cue.effect == "artwork" and cue.fixture_ids]


def submission_target(show: Show) -> Target:
    """What the submission page previews works on: the show's first artwork slot, else the whole rig."""
    slots = [cue.fixture_ids for cue in show.cues() if cue.effect == "artwork" and cue.fixture_ids]
    return PixelMap(show.rig).target(slots[0] if slots else tuple(f.id for f in show.rig.fixtures))


class ArtworkSlots:
    def __init__(self, renderer: ShowRenderer, store: ContentStore, position, lead_s: float = LEAD_S,
                 poll_s: float = 0.2):
        self.renderer, self.store, self.position = renderer, store, position
        self.slots = show_slots(renderer)
        self.lead_frames = int(lead_s * renderer.fps)
        self.poll_s = poll_s
        self.filled: dict[str, FilledSlot] = {}
        self._empty_until: dict[str, float] = {}
        self._lock = threading.Lock()
        self._halt = threading.Event()
        self._thread = threading.Thread(target=self._run, name="lightshow-artwork", daemon=True)

    def replace_renderer(self, renderer: ShowRenderer) -> None:
        """An edited show: its slots from now on; works already placed in slots that did not
        move keep playing."""
        slots = show_slots(renderer)
        with self._lock:
            self.renderer, self.slots = renderer, slots
            kept = {slot.cue_id for slot in slots}
            for cue_id in list(self.filled):
                if cue_id not in kept:
                    del self.filled[cue_id]

    def start(self) -> "ArtworkSlots":
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._halt.wait(self.poll_s):
            try:
                position = self.position()
                if position is not None:         # None: its show is not the one playing
                    self.prepare(position, time.monotonic())
            except Exception:       # noqa: BLE001 - the show goes on with its own content
                log.exception("could not prepare an artwork slot")

    def prepare(self, position: int, now_s: float) -> None:
        """Fill the slots near ``position``; forget those left behind."""
        for slot in self.slots:
            near = slot.start_frame - self.lead_frames <= position < slot.stop_frame
            with self._lock:
                if not near:
                    self.filled.pop(slot.cue_id, None)
                    continue
                if slot.cue_id in self.filled or self._empty_until.get(slot.cue_id, -1.0) > now_s:
                    continue
            filled = self._fill(slot)
            with self._lock:
                if filled is None:
                    self._empty_until[slot.cue_id] = now_s + RETRY_S
                else:
                    self.filled[slot.cue_id] = filled

    def _fill(self, slot: Slot) -> FilledSlot | None:
        work = self.store.next_for_slot()
        if work is None:
            return None
        target = self.renderer.pixels.target(slot.fixture_ids)
        duration_s = (slot.stop_frame - slot.start_frame) / self.renderer.fps
        clip = build_artwork_clip(self.store.decoded(work), target, self.renderer.fps, duration_s,
                                  slot.fit, slot.background, slot.transition_s)
        target_pixels = np.arange(self.renderer.pixels.n_pixels)[target.pixels]
        data = slot_bytes(self.renderer.channel_map, self.renderer.show.rig, slot.fixture_ids,
                          target_pixels, clip.frames_rgb)
        log.info("artwork slot %s: work %d '%s'", slot.cue_id, work.id, work.title)
        return FilledSlot(slot, work, clip, data)

    def overlay(self, frame: np.ndarray, k: int) -> tuple[np.ndarray, dict | None]:
        """The frame with the work of the slot playing at ``k`` laid over it, and who made it."""
        with self._lock:
            playing = next((f for f in self.filled.values()
                            if f.slot.start_frame <= k < f.slot.stop_frame), None)
        if playing is None:
            return frame, None
        tick = min(k - playing.slot.start_frame, playing.clip.n_ticks - 1)
        out = playing.bytes.overlay(frame, int(playing.clip.frame_of_tick[tick]),
                                    float(playing.clip.alpha_of_tick[tick]))
        work = playing.work
        return out, {"slot": playing.slot.cue_id, "id": work.id, "title": work.title, "name": work.name,
                     "city": work.city}

    def close(self) -> None:
        self._halt.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
