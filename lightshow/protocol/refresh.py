"""Which universes go out on a frame: changed ones, and every one at least each second.

Pure bookkeeping for an Art-Net (or sACN) sender: a universe is sent when its
data changed or when ``keepalive_s`` has passed since it was last sent, but
never sooner than ``min_interval_s`` after its last send (the DMX512 refresh
limit, 44 Hz).  Each universe has its own sequence number, 1..255 wrapping to 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

MAX_RATE_HZ = 44.0
KEEPALIVE_S = 1.0
TOLERANCE_S = 0.0005  # clock jitter allowed against the rate limit


@dataclass
class RefreshState:
    n_universes: int
    slots: int = 512
    last_data: np.ndarray = field(init=False)
    last_sent_s: np.ndarray = field(init=False)
    sequences: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.last_data = np.zeros((self.n_universes, self.slots), dtype=np.uint8)
        self.last_sent_s = np.full(self.n_universes, -np.inf)
        self.sequences = np.zeros(self.n_universes, dtype=np.uint8)


def due_universes(state: RefreshState, data: np.ndarray, now_s: float,
                  keepalive_s: float = KEEPALIVE_S, max_rate_hz: float = MAX_RATE_HZ) -> np.ndarray:
    """Boolean mask of the universes to send now (``data`` is (n, 512) uint8)."""
    since = now_s - state.last_sent_s
    changed = (data != state.last_data).any(axis=1)
    stale = since >= keepalive_s - TOLERANCE_S
    allowed = since >= 1.0 / max_rate_hz - TOLERANCE_S
    return (changed | stale) & allowed


def mark_sent(state: RefreshState, data: np.ndarray, sent: np.ndarray, now_s: float) -> np.ndarray:
    """Record a send; returns the sequence numbers the sent universes carry."""
    state.last_data[sent] = data[sent]
    state.last_sent_s[sent] = now_s
    advanced = state.sequences[sent].astype(np.int32) % 255 + 1
    state.sequences[sent] = advanced.astype(np.uint8)
    return state.sequences
