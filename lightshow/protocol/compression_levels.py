"""Compression levels an FSEQ file's blocks may be written at (no imports, so that the
command line can show them without loading the codecs)."""

from __future__ import annotations

# zstd's fast negative levels to its strongest without "ultra" memory; zlib's 1 (fastest)
# to 9 (smallest).  Both default to 1.
COMPRESSION_LEVELS = {"zstd": (-7, 19), "zlib": (1, 9)}
DEFAULT_LEVEL = 1
