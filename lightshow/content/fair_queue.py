"""Which approved work plays in the next artwork slot: in order, fair across submitters.

The rule, for each slot:
1. a work played in the last ``no_repeat_slots`` slots is not a candidate;
2. works played fewer times go first (every new work is shown before any is repeated);
3. among those, the submitter whose work played longest ago goes first (never played first),
   so one person with many works cannot fill the queue: submitters take turns;
4. then the work approved first.
No candidate: ``None`` (the show plays its own content).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Sequence


@dataclass(frozen=True)
class QueueEntry:
    artwork_id: int
    submitter: str
    approved_seq: int       # order of approval, smaller first


def next_artwork(approved: Sequence[QueueEntry], played_ids: Sequence[int],
                 no_repeat_slots: int) -> QueueEntry | None:
    """The entry for the next slot; ``played_ids`` lists past slots' works, oldest first."""
    recent = set(played_ids[-no_repeat_slots:]) if no_repeat_slots > 0 else set()
    candidates = [e for e in approved if e.artwork_id not in recent]
    if not candidates:
        return None
    plays = Counter(played_ids)
    submitter_of = {e.artwork_id: e.submitter for e in approved}
    last_turn: dict[str, int] = {}
    for slot, artwork_id in enumerate(played_ids):
        submitter = submitter_of.get(artwork_id)
        if submitter is not None:
            last_turn[submitter] = slot
    return min(candidates, key=lambda e: (plays[e.artwork_id], last_turn.get(e.submitter, -1),
                                          e.approved_seq))


def upcoming(approved: Sequence[QueueEntry], played_ids: Sequence[int], no_repeat_slots: int,
             n_slots: int) -> list[QueueEntry | None]:
    """The next ``n_slots`` picks if nothing changes (for the moderator's queue view)."""
    history = list(played_ids)
    picks: list[QueueEntry | None] = []
    for _ in range(n_slots):
        pick = next_artwork(approved, history, no_repeat_slots)
        picks.append(pick)
        history.append(pick.artwork_id if pick else -1)
    return picks
