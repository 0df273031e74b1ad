"""Frozen, typed data: fixture profiles, the patched rig, shows."""
