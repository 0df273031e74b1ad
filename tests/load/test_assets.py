"""Asset steps: text masks from fonts, images from files, and their clear errors."""

import os
import shutil

import numpy as np
import pytest
from PIL import Image, ImageFile

from lightshow.errors import LightshowError
from lightshow.load import assets
from lightshow.load.assets import PREPARERS, find_font, has_cjk, missing_glyphs, prepare_image, prepare_text

NOTO = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
needs_noto = pytest.mark.skipif(not os.path.exists(NOTO), reason="fonts-noto-cjk is not installed")
needs_dejavu = pytest.mark.skipif(not os.path.exists(DEJAVU), reason="fonts-dejavu is not installed")

TEXT_DEFAULTS = {"font": "", "color": (1.0, 1.0, 1.0), "background": (0.0, 0.0, 0.0), "height": 0.8,
                 "scroll_speed_m_s": 0.0, "align": "center"}
IMAGE_DEFAULTS = {"fit": "fit", "background": (0.0, 0.0, 0.0), "brightness": 1.0}


def text_params(text, **kw):
    return {**TEXT_DEFAULTS, "text": text, **kw}


def test_preparers_match_the_effects():
    from lightshow.core.effects import image, text
    assert PREPARERS == {"text": prepare_text, "image": prepare_image}
    assert text.EFFECT.prepare in PREPARERS and image.EFFECT.prepare in PREPARERS


# -- text ------------------------------------------------------------------------------------

def test_text_mask_is_float32_antialiased_and_keeps_other_params():
    params = text_params("Hello")
    out = prepare_text(params, ".")
    mask = out["text_mask"]
    assert mask.dtype == np.float32 and mask.ndim == 2
    assert 40 <= mask.shape[0] <= 80 and mask.shape[1] > mask.shape[0] * 2
    assert mask.min() == 0.0 and mask.max() == 1.0
    assert ((mask > 0.05) & (mask < 0.95)).any()          # anti-aliased edges
    assert "text_mask" not in params                       # a new dict; the input is untouched
    assert {k: v for k, v in out.items() if k not in ("text_mask", "text_band")} == params
    top, bottom = out["text_band"]                         # the capital band, inside the mask
    assert 0.0 <= top < bottom <= mask.shape[0] and bottom - top > 30


def test_mask_is_cropped_to_ink_sideways():
    mask = prepare_text(text_params("I"), ".")["text_mask"]
    assert mask[:, 0].any() and mask[:, -1].any()
    assert mask.shape[1] < mask.shape[0] / 2              # an I is tall and thin


def test_lowercase_is_not_stretched_to_capital_height():
    cap = prepare_text(text_params("H"), ".")["text_mask"]
    low = prepare_text(text_params("ace"), ".")["text_mask"]
    assert abs(low.shape[0] - cap.shape[0]) <= 2            # round letters overshoot the baseline
    assert not low[:5].any()                              # no ink above the x-height


def test_the_band_is_the_capital_height_whatever_the_letters():
    caps = prepare_text(text_params("HELLO"), ".")
    desc = prepare_text(text_params("Hgjpy"), ".")
    low = prepare_text(text_params("ace"), ".")
    heights = {round(p["text_band"][1] - p["text_band"][0], 3) for p in (caps, desc, low)}
    assert len(heights) == 1
    # the H of "Hgjpy" fills the band; the descenders hang below it
    top, bottom = desc["text_band"]
    mask = desc["text_mask"]
    h_rows = np.flatnonzero(mask[:, :3].max(axis=1) > 0.5)
    assert abs(h_rows[0] - top) <= 1 and abs(h_rows[-1] + 1 - bottom) <= 1
    assert (mask[int(bottom) + 3:] > 0.5).any()
    assert mask.shape[0] > caps["text_mask"].shape[0] + 5


@needs_noto
def test_cjk_band_is_the_ideographs_and_mixed_text_keeps_the_capital_band():
    cjk = prepare_text(text_params("山泉", font=NOTO), ".")
    rows = np.flatnonzero(cjk["text_mask"].max(axis=1) > 0.5)
    top, bottom = cjk["text_band"]
    assert abs(rows[0] - top) <= 2 and abs(rows[-1] + 1 - bottom) <= 2
    latin = prepare_text(text_params("H", font=NOTO), ".")
    mixed = prepare_text(text_params("H 山泉", font=NOTO), ".")
    top, bottom = latin["text_band"]
    assert mixed["text_band"][1] - mixed["text_band"][0] == pytest.approx(bottom - top)
    ideographs = mixed["text_mask"][:, latin["text_mask"].shape[1] + 5:]   # scaled onto the band
    rows = np.flatnonzero(ideographs.max(axis=1) > 0.5)
    assert abs(rows[0] - mixed["text_band"][0]) <= 2 and abs(rows[-1] + 1 - mixed["text_band"][1]) <= 2


@needs_noto
def test_cjk_renders_with_the_noto_font():
    mask = prepare_text(text_params("同心"), ".")["text_mask"]
    assert (mask > 0.5).sum() > 500
    assert 1.6 < mask.shape[1] / mask.shape[0] < 2.4      # two square glyphs
    explicit = prepare_text(text_params("同心", font=NOTO), ".")["text_mask"]
    assert (explicit > 0.5).sum() > 500


@needs_noto
def test_the_default_search_finds_a_cjk_font():
    font = find_font("同心 Hello")
    assert missing_glyphs(font, "同心 Hello") == []
    assert "CJK" in font.getname()[0]


@needs_dejavu
def test_clear_error_when_only_a_non_cjk_font_is_found(monkeypatch):
    monkeypatch.setattr(assets, "FONT_CANDIDATES", [DEJAVU])
    with pytest.raises(LightshowError) as err:
        prepare_text(text_params("同心"), ".")
    assert str(err.value) == ("text '同心' needs a font with Chinese characters; install the Debian "
                              "package fonts-noto-cjk or give font: PATH")
    # Latin text is fine with that font
    assert prepare_text(text_params("Hello"), ".")["text_mask"].any()


def test_clear_error_when_no_font_at_all(monkeypatch):
    monkeypatch.setattr(assets, "FONT_CANDIDATES", ["/nonexistent/font.ttf"])
    with pytest.raises(LightshowError, match="fonts-noto-cjk"):
        prepare_text(text_params("欢迎"), ".")
    with pytest.raises(LightshowError, match="give font: PATH"):
        prepare_text(text_params("Hi ☃"), ".")
    # plain Latin text falls back on Pillow's built-in font
    assert prepare_text(text_params("Hi"), ".")["text_mask"].any()


@needs_dejavu
def test_a_given_font_without_chinese_is_a_clear_error():
    with pytest.raises(LightshowError) as err:
        prepare_text(text_params("同心", font=DEJAVU), ".")
    message = str(err.value)
    assert "needs a font with Chinese characters" in message and "DejaVuSans.ttf" in message
    assert "fonts-noto-cjk" in message


def test_a_missing_font_file_is_named(tmp_path):
    with pytest.raises(LightshowError) as err:
        prepare_text(text_params("Hi", font="fonts/nope.ttf"), str(tmp_path))
    assert "'fonts/nope.ttf' not found" in str(err.value)
    assert str(tmp_path / "fonts" / "nope.ttf") in str(err.value)


def test_a_file_that_is_no_font_is_a_clear_error(tmp_path):
    (tmp_path / "bad.ttf").write_text("not a font")
    with pytest.raises(LightshowError, match="'bad.ttf' cannot be read as a font"):
        prepare_text(text_params("Hi", font="bad.ttf"), str(tmp_path))


@needs_dejavu
def test_font_path_is_relative_to_the_show(tmp_path):
    (tmp_path / "fonts").mkdir()
    shutil.copy(DEJAVU, tmp_path / "fonts" / "mine.ttf")
    mask = prepare_text(text_params("Hi", font="fonts/mine.ttf"), str(tmp_path))["text_mask"]
    assert mask.any()


def test_blank_text_gives_an_empty_mask():
    mask = prepare_text(text_params("   "), ".")["text_mask"]
    assert mask.dtype == np.float32 and not mask.any()


def test_has_cjk():
    assert has_cjk("Hi 同心") and has_cjk("ー") and not has_cjk("Hello, world! é")


# -- image ------------------------------------------------------------------------------------

def save(path, array):
    Image.fromarray(np.asarray(array, dtype=np.uint8)).save(path)


def test_image_is_read_as_float_rgb(tmp_path):
    save(tmp_path / "a.png", [[[255, 0, 0], [0, 0, 255]], [[0, 255, 0], [255, 255, 255]]])
    out = prepare_image({**IMAGE_DEFAULTS, "path": "a.png"}, str(tmp_path))
    rgb = out["image_rgb"]
    assert rgb.dtype == np.float32 and rgb.shape == (2, 2, 3)
    assert rgb[0, 0].tolist() == [1.0, 0.0, 0.0] and rgb[1, 1].tolist() == [1.0, 1.0, 1.0]
    assert out["path"] == "a.png"


def test_alpha_is_composited_on_the_background(tmp_path):
    save(tmp_path / "a.png", [[[255, 0, 0, 255], [255, 0, 0, 0], [255, 0, 0, 51]]])
    rgb = prepare_image({**IMAGE_DEFAULTS, "path": "a.png", "background": (0.0, 0.0, 1.0)},
                        str(tmp_path))["image_rgb"]
    assert rgb[0].tolist()[0] == [1.0, 0.0, 0.0]
    assert rgb[0].tolist()[1] == [0.0, 0.0, 1.0]
    assert rgb[0, 2] == pytest.approx([0.2, 0.0, 0.8], abs=1e-6)


def test_grey_and_palette_images_become_rgb(tmp_path):
    save(tmp_path / "g.png", [[0, 128, 255]])
    rgb = prepare_image({**IMAGE_DEFAULTS, "path": "g.png"}, str(tmp_path))["image_rgb"]
    assert rgb.shape == (1, 3, 3) and rgb[0, 2].tolist() == [1.0, 1.0, 1.0]
    Image.new("RGB", (4, 2), (0, 200, 0)).convert("P").save(tmp_path / "p.gif")
    rgb = prepare_image({**IMAGE_DEFAULTS, "path": "p.gif"}, str(tmp_path))["image_rgb"]
    assert rgb.shape == (2, 4, 3) and rgb[0, 0, 1] > 0.7


def test_missing_image_is_named(tmp_path):
    with pytest.raises(LightshowError) as err:
        prepare_image({**IMAGE_DEFAULTS, "path": "pics/logo.png"}, str(tmp_path))
    assert "image 'pics/logo.png' not found" in str(err.value)


def test_undecodable_image_is_a_clear_error(tmp_path):
    (tmp_path / "logo.png").write_bytes(b"this is not a png")
    with pytest.raises(LightshowError, match="'logo.png' is not an image file"):
        prepare_image({**IMAGE_DEFAULTS, "path": "logo.png"}, str(tmp_path))


def test_truncated_image_is_a_clear_error(tmp_path):
    save(tmp_path / "full.png", np.random.default_rng(0).integers(0, 255, (64, 64, 3)))
    data = (tmp_path / "full.png").read_bytes()
    (tmp_path / "cut.png").write_bytes(data[: len(data) // 2])
    with pytest.raises(LightshowError, match="'cut.png' cannot be"):
        prepare_image({**IMAGE_DEFAULTS, "path": "cut.png"}, str(tmp_path))


def test_a_directory_is_not_an_image(tmp_path):
    (tmp_path / "pics").mkdir()
    with pytest.raises(LightshowError, match="is a directory"):
        prepare_image({**IMAGE_DEFAULTS, "path": "pics"}, str(tmp_path))


def test_too_many_pixels_is_refused_before_decoding(tmp_path, monkeypatch):
    save(tmp_path / "a.png", np.zeros((4, 5, 3)))
    monkeypatch.setattr(assets, "MAX_IMAGE_PIXELS", 19)
    decoded = []
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: decoded.append(1))
    with pytest.raises(LightshowError, match="too large: 5×4"):
        prepare_image({**IMAGE_DEFAULTS, "path": "a.png"}, str(tmp_path))
    assert decoded == []


def test_the_limit_is_40_megapixels():
    assert assets.MAX_IMAGE_PIXELS == 40_000_000


def test_big_images_are_reduced(tmp_path, monkeypatch):
    monkeypatch.setattr(assets, "MAX_IMAGE_SIDE", 8)
    save(tmp_path / "a.png", np.full((16, 32, 3), 200))
    rgb = prepare_image({**IMAGE_DEFAULTS, "path": "a.png"}, str(tmp_path))["image_rgb"]
    assert rgb.shape == (4, 8, 3) and rgb == pytest.approx(np.full((4, 8, 3), 200 / 255), abs=2e-3)


def test_absolute_paths_work(tmp_path):
    save(tmp_path / "a.png", np.zeros((1, 1, 3)))
    out = prepare_image({**IMAGE_DEFAULTS, "path": str(tmp_path / "a.png")}, "/somewhere/else")
    assert out["image_rgb"].shape == (1, 1, 3)
