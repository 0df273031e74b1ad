"""Per-peer rate limits: a token bucket for each address, so one peer cannot flood the control plane.

Pure bookkeeping (the time is passed in); peers that have been quiet for a while are forgotten,
and the table is bounded, so a flood of spoofed source addresses cannot grow it without end.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    at_s: float


class PeerLimit:
    """``allow(peer, now_s)``: True while ``peer`` stays within ``rate_per_s`` (bursts of ``burst``)."""

    def __init__(self, rate_per_s: float, burst: float, max_peers: int = 4096):
        self.rate_per_s, self.burst, self.max_peers = rate_per_s, burst, max_peers
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def allow(self, peer: str, now_s: float, cost: float = 1.0) -> bool:
        bucket = self._buckets.pop(peer, None)
        if bucket is None:
            bucket = _Bucket(self.burst, now_s)
            while len(self._buckets) >= self.max_peers:
                self._buckets.popitem(last=False)             # the longest quiet
        bucket.tokens = min(self.burst, bucket.tokens + (now_s - bucket.at_s) * self.rate_per_s)
        bucket.at_s = now_s
        self._buckets[peer] = bucket
        if bucket.tokens < cost:
            return False
        bucket.tokens -= cost
        return True
