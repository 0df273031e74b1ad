"""Guards at the edge: what every network request meets first (per-peer limits, the HTTP guard)."""
