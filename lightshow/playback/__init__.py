"""Playback: frames (compiled or rendered ahead), time sources, the one player, its sinks."""
