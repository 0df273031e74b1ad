"""The form a valid work is kept in: our own re-encoding, never the uploaded bytes.

Re-encoding drops whatever rode along in the upload (metadata, appended
documents) and the reduction to ``max_side_px`` keeps files small.  A JPEG stays
a JPEG (already lossy; re-encoding it is fast); everything else becomes a PNG,
an animated PNG for animations (lossless, frame durations kept).
"""

from __future__ import annotations

import io

from PIL import Image

from lightshow.content.validation import DecodedArtwork

JPEG_QUALITY = 95
PNG_COMPRESS_LEVEL = 1       # fast; the pictures are small after reduction


def stored_extension(artwork: DecodedArtwork) -> str:
    still_photo = artwork.source_format == "JPEG" and artwork.n_frames == 1 and not artwork.has_alpha
    return "jpg" if still_photo else "png"


def encode_stored_artwork(artwork: DecodedArtwork) -> tuple[bytes, str]:
    """(bytes, extension) of the work's stored form; decoding them gives the same frames back."""
    ext = stored_extension(artwork)
    images = [Image.fromarray(frame) for frame in artwork.frames]
    out = io.BytesIO()
    if ext == "jpg":
        images[0].save(out, "JPEG", quality=JPEG_QUALITY)
    elif len(images) == 1:
        images[0].save(out, "PNG", compress_level=PNG_COMPRESS_LEVEL)
    else:
        images[0].save(out, "PNG", save_all=True, append_images=images[1:],
                       duration=list(artwork.durations_ms), loop=0, default_image=False,
                       compress_level=PNG_COMPRESS_LEVEL)
    return out.getvalue(), ext
