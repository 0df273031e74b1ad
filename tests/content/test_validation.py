"""Valid pictures decode into upright frames with their timing; the limits hold exactly."""

import io

import numpy as np
import pytest
from PIL import Image

from lightshow.content.limits import ContentLimits
from lightshow.content.rejection import ContentRejected
from lightshow.content.stored_form import encode_stored_artwork
from lightshow.content.validation import DEFAULT_FRAME_MS, decode_artwork, sniff_format
from tests.content.pictures import animation, encoded, gradient_jpeg, handmade_gif, solid


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "GIF"])
def test_a_still_of_each_allowed_format_decodes(fmt):
    art = decode_artwork(solid((200, 30, 40), (64, 48), fmt))
    assert (art.source_format, art.width, art.height, art.n_frames) == (fmt, 64, 48, 1)
    assert art.durations_ms == (0,)
    assert np.abs(art.frames[0][10, 10, :3].astype(int) - (200, 30, 40)).max() <= 8


def test_the_format_is_told_by_content_not_name():
    assert sniff_format(solid(fmt="JPEG")) == "JPEG"
    with pytest.raises(ContentRejected) as refused:
        sniff_format(b"GIF88a not really")
    assert refused.value.status == 415


@pytest.mark.parametrize("fmt", ["GIF", "WEBP", "PNG"])
def test_an_animation_keeps_its_frames_and_timing(fmt):
    colours = [(255, 0, 0), (0, 255, 0), (0, 0, 255)]
    art = decode_artwork(animation(colours, [100, 250, 400], fmt))
    assert art.n_frames == 3
    assert art.durations_ms == (100, 250, 400)
    for frame, colour in zip(art.frames, colours):
        assert np.abs(frame[5, 5, :3].astype(int) - colour).max() <= 8


def test_gif_frames_of_zero_delay_show_as_browsers_show_them():
    art = decode_artwork(handmade_gif(16, 16, 3, delay_cs=0))
    assert art.durations_ms == (DEFAULT_FRAME_MS,) * 3


def test_a_large_photo_is_reduced_but_keeps_its_aspect():
    art = decode_artwork(gradient_jpeg(4000, 3000))
    assert max(art.width, art.height) <= ContentLimits().max_side_px
    assert art.width / art.height == pytest.approx(4 / 3, rel=0.01)


def test_exif_orientation_is_applied():
    image = Image.new("RGB", (40, 20), (10, 200, 10))
    exif = image.getexif()
    exif[0x0112] = 6          # rotate 90° clockwise to view
    art = decode_artwork(encoded(image, "JPEG", exif=exif))
    assert (art.width, art.height) == (20, 40)


def test_transparency_is_kept_as_alpha():
    art = decode_artwork(solid((10, 20, 30, 0), (16, 16), "PNG", mode="RGBA"))
    assert art.has_alpha and art.frames[0][0, 0, 3] == 0


def test_limits_are_exact():
    limits = ContentLimits(max_pixels=64 * 48, max_frames=3, max_duration_s=0.6)
    assert decode_artwork(solid(size=(64, 48)), limits).width == 64
    with pytest.raises(ContentRejected, match="too large"):
        decode_artwork(solid(size=(65, 48)), limits)
    assert decode_artwork(animation([(1, 1, 1), (9, 9, 9)] * 1 + [(5, 5, 5)], [200] * 3), limits)
    with pytest.raises(ContentRejected) as refused:
        decode_artwork(animation([(1, 1, 1), (9, 9, 9)] * 2, [100] * 4), limits)
    assert refused.value.code == "too-many-frames"
    with pytest.raises(ContentRejected) as refused:
        decode_artwork(animation([(1, 1, 1), (9, 9, 9), (5, 5, 5)], [300] * 3), limits)
    assert refused.value.code == "animation-too-long"


def test_the_stored_form_decodes_to_the_same_frames():
    for data in (solid(), animation([(255, 0, 0), (0, 0, 255)], [120, 80]),
                 solid((1, 2, 3, 128), mode="RGBA")):
        art = decode_artwork(data)
        stored, ext = encode_stored_artwork(art)
        again = decode_artwork(stored)
        assert ext == "png" and again.durations_ms == art.durations_ms
        assert all(np.array_equal(a, b) for a, b in zip(art.frames, again.frames))


def test_a_photo_is_stored_as_a_clean_jpeg():
    art = decode_artwork(gradient_jpeg(320, 240))
    stored, ext = encode_stored_artwork(art)
    assert ext == "jpg" and Image.open(io.BytesIO(stored)).format == "JPEG"
    assert decode_artwork(stored).width == 320


@pytest.mark.parametrize("size, code, says", [
    ((1, 1), "too-small", "the picture is 1×1 pixels; each side needs at least 16"),
    ((15, 200), "too-small", "the picture is 15×200 pixels"),
    ((400, 40), "bad-aspect", "the picture is 400×40: longer than 8:1"),
    ((40, 400), "bad-aspect", "longer than 8:1"),
])
def test_a_work_too_small_or_too_thin_for_a_facade_is_refused_with_the_reason(size, code, says):
    with pytest.raises(ContentRejected) as refused:
        decode_artwork(solid(size=size))
    assert refused.value.status == 422 and refused.value.code == code and says in refused.value.reason_en


def test_the_smallest_and_thinnest_accepted_works():
    assert decode_artwork(solid(size=(16, 16))).width == 16
    assert decode_artwork(solid(size=(128, 16))).width == 128
