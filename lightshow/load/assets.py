"""Asset steps: turn file-backed effect params (a text and font, an image) into arrays.

An effect whose ``prepare`` names one of :data:`PREPARERS` gets its params
passed through that step before compiling, so that the pure core never opens a
file.  Each step returns a new params dict with the arrays added; every problem
a user can cause is a :class:`~lightshow.errors.LightshowError` with a clear
message.
"""

from __future__ import annotations

import glob
import os
import unicodedata
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

from lightshow.diagnostics import quote
from lightshow.errors import LightshowError

# -- text ------------------------------------------------------------------------------------

TEXT_FONT_SIZE = 64          # glyphs are drawn at this size (pixels per em)
# ``height`` sizes the capital height: the ink of the first of these the font has, top to
# baseline (a font with none: CAP_HEIGHT_EM of its size).  Text in Chinese/Japanese/Korean
# only is sized by its ideographs instead: the mean ink of those of IDEOGRAPH_REFERENCES the
# font has.
CAP_REFERENCES = "HIEFLTZ17"
CAP_HEIGHT_EM = 0.7
IDEOGRAPH_REFERENCES = "永国水山同"

# Searched in order (no fontconfig); globs allowed.  The first font that has every
# character of the text is used.  Bold CJK first: it reads best on coarse pixels.
FONT_CANDIDATES: list[str] = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-*.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK*.tt[cf]",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-*.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/*.ttc",
    "/usr/share/fonts/truetype/arphic/*.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
]

_CJK_RANGES = (
    (0x2E80, 0x2FDF),    # radicals
    (0x3000, 0x303F),    # CJK punctuation
    (0x3040, 0x30FF),    # kana
    (0x3100, 0x312F),    # bopomofo
    (0x3400, 0x4DBF),    # extension A
    (0x4E00, 0x9FFF),    # unified ideographs
    (0xAC00, 0xD7AF),    # hangul
    (0xF900, 0xFAFF),    # compatibility ideographs
    (0xFF00, 0xFFEF),    # full-width forms
    (0x20000, 0x3FFFF),  # extensions B and later
)


def has_cjk(text: str) -> bool:
    return any(lo <= ord(ch) <= hi for ch in text for lo, hi in _CJK_RANGES)


def _path_text(path: str) -> str:
    """A path as written by the user, quoted (long paths are not shortened)."""
    return quote(path, limit=300)


def _resolve(path: str, base_dir: str) -> str:
    path = os.path.expanduser(path)
    return path if os.path.isabs(path) else os.path.normpath(os.path.join(base_dir or ".", path))


def _load_font(path: str, size: int) -> ImageFont.FreeTypeFont:
    """A font file at ``size``; in a collection (.ttc) the Simplified Chinese face if there is one."""
    font = ImageFont.truetype(path, size, index=0)
    if path.lower().endswith((".ttc", ".otc")):
        for index in range(1, 32):
            try:
                face = ImageFont.truetype(path, size, index=index)
            except OSError:
                break
            family = face.getname()[0] or ""
            if " SC" in family and "Mono" not in family:
                return face
    return font


def _glyph(font: ImageFont.FreeTypeFont, ch: str) -> np.ndarray:
    box = font.getbbox(ch)
    w, h = max(box[2] - box[0], 1), max(box[3] - box[1], 1)
    image = Image.new("L", (w, h))
    ImageDraw.Draw(image).text((-box[0], -box[1]), ch, font=font, fill=255)
    return np.asarray(image)


def _drawable(ch: str) -> bool:
    """Characters that must show ink (spaces and control/format characters need not)."""
    return unicodedata.category(ch)[0] not in "ZC"


def missing_glyphs(font: ImageFont.FreeTypeFont, text: str) -> list[str]:
    """Characters of ``text`` that ``font`` would draw as its 'missing glyph' box or not at all."""
    notdef = _glyph(font, "\uffff")       # a non-character: every font draws its .notdef for it
    missing = []
    for ch in dict.fromkeys(text):
        if not _drawable(ch):
            continue
        glyph = _glyph(font, ch)
        is_notdef = notdef.any() and glyph.shape == notdef.shape and np.array_equal(glyph, notdef)
        if is_notdef or not glyph.any():
            missing.append(ch)
    return missing


def font_paths() -> list[str]:
    """Existing font files among the candidates, in order (globs expanded)."""
    paths: list[str] = []
    for pattern in FONT_CANDIDATES:
        found = sorted(glob.glob(pattern)) if any(c in pattern for c in "*?[") else [pattern]
        paths.extend(p for p in found if p not in paths and os.path.isfile(p))
    return paths


def find_font(text: str, size: int = TEXT_FONT_SIZE) -> ImageFont.FreeTypeFont:
    """The first candidate font that has every character of ``text``."""
    for path in font_paths():
        try:
            font = _load_font(path, size)
        except OSError:
            continue
        if not missing_glyphs(font, text):
            return font
    builtin = ImageFont.load_default(size)      # Pillow's own (Latin) font, if FreeType is there
    if isinstance(builtin, ImageFont.FreeTypeFont) and not missing_glyphs(builtin, text):
        return builtin
    if has_cjk(text):
        raise LightshowError(
            f"text {quote(text)} needs a font with Chinese characters; install the Debian package "
            "fonts-noto-cjk or give font: PATH")
    raise LightshowError(f"text {quote(text)} has characters that no font found here can draw; "
                         "give font: PATH of a font that has them")


def _font_for(params: dict, text: str, base_dir: str) -> ImageFont.FreeTypeFont:
    given = params.get("font") or ""
    if not given:
        return find_font(text)
    path = _resolve(given, base_dir)
    if not os.path.isfile(path):
        raise LightshowError(f"font {_path_text(given)} not found (looked for {path})")
    try:
        font = _load_font(path, TEXT_FONT_SIZE)
    except OSError as exc:
        raise LightshowError(f"font {_path_text(given)} cannot be read as a font: {exc}") from None
    missing = missing_glyphs(font, text)
    if missing:
        chars = "".join(missing[:10])
        if has_cjk("".join(missing)):
            raise LightshowError(
                f"text {quote(text)} needs a font with Chinese characters, and font {_path_text(given)} has "
                f"none for {quote(chars)}; install the Debian package fonts-noto-cjk or give font: PATH "
                "of a font that has them")
        raise LightshowError(f"font {_path_text(given)} has no characters for {quote(chars)} "
                             f"of text {quote(text)}")
    return font


def _is_cjk(ch: str) -> bool:
    return any(lo <= ord(ch) <= hi for lo, hi in _CJK_RANGES)


def _script(ch: str) -> str | None:
    """'cjk', 'other' (a letter or digit of Latin, Greek, Cyrillic, …) or None (spaces,
    punctuation and symbols, which follow the run they are in)."""
    if _is_cjk(ch):
        return "cjk"
    return "other" if unicodedata.category(ch)[0] in "LN" else None


def _runs(line: str) -> list[tuple[str, str]]:
    """``line`` split into (script, text) runs; neutral characters join the run before them
    (or, at the start, the first run after them)."""
    runs: list[list[Any]] = []          # [script or None, text]
    for ch in line:
        script = _script(ch)
        if runs and (script is None or script == runs[-1][0]):
            runs[-1][1] += ch
        elif runs and runs[-1][0] is None:          # leading neutral characters
            runs[-1] = [script, runs[-1][1] + ch]
        else:
            runs.append([script, ch])
    return [(script or "other", text) for script, text in runs]


def _inked_boxes(draw: ImageDraw.ImageDraw, font: ImageFont.FreeTypeFont, chars: str) -> list:
    """Ink boxes, relative to the baseline, of those ``chars`` that ``font`` has and that have ink."""
    boxes = [draw.textbbox((0, 0), ch, font=font, anchor="ls")
             for ch in dict.fromkeys(chars) if ch not in missing_glyphs(font, ch)]
    return [box for box in boxes if box[3] > box[1]]


def _ink_band(draw: ImageDraw.ImageDraw, font: ImageFont.FreeTypeFont, chars: str) -> tuple[float, float] | None:
    """Mean (top, bottom) of the ink of those ``chars`` that ``font`` has, relative to the baseline."""
    boxes = _inked_boxes(draw, font, chars)
    if not boxes:
        return None
    return float(np.mean([b[1] for b in boxes])), float(np.mean([b[3] for b in boxes]))


def _cap_band(draw: ImageDraw.ImageDraw, font: ImageFont.FreeTypeFont) -> tuple[float, float]:
    """The capital height band (top, bottom = baseline) of ``font``, from its first reference letter."""
    for ch in CAP_REFERENCES:
        band = _ink_band(draw, font, ch)
        if band is not None:
            return band[0], 0.0
    return -CAP_HEIGHT_EM * font.size, 0.0        # a font without capitals or digits


def _ideograph_band(draw: ImageDraw.ImageDraw, font: ImageFont.FreeTypeFont, text: str) -> tuple[float, float]:
    """The height band (top, bottom) of ``font``'s ideographs: the mean ink of its reference
    ideographs; for a font that has none of them (a subset font), the median ink of the text's
    own CJK letters."""
    band = _ink_band(draw, font, IDEOGRAPH_REFERENCES)
    if band is not None:
        return band
    letters = "".join(ch for ch in text if _is_cjk(ch) and unicodedata.category(ch)[0] in "LN")
    boxes = _inked_boxes(draw, font, letters)
    if not boxes:
        return _cap_band(draw, font)
    return float(np.median([b[1] for b in boxes])), float(np.median([b[3] for b in boxes]))


def layout_text(text: str, font: ImageFont.FreeTypeFont) -> tuple[np.ndarray, tuple[float, float]]:
    """The text's mask and its height band.

    The mask is (H, W) float32 0..1 anti-aliased coverage, cropped to the ink sideways and
    vertically spanning the ink and at least the band.  The band (top row, bottom row, floats)
    is what the effect's ``height`` sizes: the capital height (top of "H" to the baseline), or
    for text whose letters are all Chinese/Japanese/Korean the height of the font's ideographs.
    It comes from the font alone, so the letters are the same size whatever the string holds;
    descenders and accents reach outside it.  In mixed text the CJK runs are drawn smaller so
    that their ideographs fill the capital band too.
    """
    line = "".join(" " if ch in "\t\r\n\v\f" else ch for ch in text)      # one line
    draw = ImageDraw.Draw(Image.new("L", (1, 1)))
    runs = _runs(line)
    scripts = {script for script, _ in runs}
    cap = _cap_band(draw, font)
    band, cjk_font, cjk_shift = cap, font, 0.0
    if scripts == {"cjk"}:
        band = _ideograph_band(draw, font, line)
    elif "cjk" in scripts:                          # ideographs scaled onto the capital band
        ideo = _ideograph_band(draw, font, line)
        k = (cap[1] - cap[0]) / max(ideo[1] - ideo[0], 1e-6)
        cjk_font = font.font_variant(size=font.size * k)
        cjk_shift = cap[0] - ideo[0] * k            # baseline offset that lines the bands up
    placed = [(run, cjk_font, cjk_shift) if script == "cjk" else (run, font, 0.0) for script, run in runs]

    pieces, x = [], 0.0
    for run, run_font, dy in placed:
        pieces.append((x, dy, run, run_font, draw.textbbox((x, dy), run, font=run_font, anchor="ls")))
        x += run_font.getlength(run)
    inked = [box for *_, box in pieces if box[2] > box[0] and box[3] > box[1]]
    if not inked:                                   # nothing to draw (only spaces)
        return np.zeros((max(int(np.ceil(band[1] - band[0])), 1), 1), dtype=np.float32), (0.0, band[1] - band[0])
    left = int(np.floor(min(b[0] for b in inked)))
    right = int(np.ceil(max(b[2] for b in inked)))
    top = int(np.floor(min([b[1] for b in inked] + [band[0]])))
    bottom = int(np.ceil(max([b[3] for b in inked] + [band[1]])))
    image = Image.new("L", (max(right - left, 1), max(bottom - top, 1)))
    canvas = ImageDraw.Draw(image)
    for x, dy, run, run_font, _ in pieces:
        canvas.text((x - left, dy - top), run, font=run_font, fill=255, anchor="ls")
    mask = np.asarray(image, dtype=np.float32) / 255.0
    rows = (band[0] - top, band[1] - top)
    columns = np.flatnonzero(mask.any(axis=0))      # the box includes side bearings: crop to ink
    if len(columns) == 0:
        return np.zeros((mask.shape[0], 1), dtype=np.float32), rows
    return np.ascontiguousarray(mask[:, columns[0]:columns[-1] + 1]), rows


def prepare_text(params: dict[str, Any], base_dir: str) -> dict[str, Any]:
    """``params`` with ``text_mask`` (H, W) float32 0..1 of the text drawn in its font, and
    ``text_band`` (top, bottom), the rows of the mask that the effect's ``height`` sizes."""
    text = str(params.get("text") or "")
    if not text.strip():
        mask, band = np.zeros((TEXT_FONT_SIZE, 1), dtype=np.float32), (0.0, float(TEXT_FONT_SIZE))
    else:
        mask, band = layout_text(text, _font_for(params, text, base_dir))
    return {**params, "text_mask": mask, "text_band": (float(band[0]), float(band[1]))}


# -- image ------------------------------------------------------------------------------------

MAX_IMAGE_PIXELS = 40_000_000   # refused before decoding
MAX_IMAGE_SIDE = 1024           # larger images are reduced (a facade has far fewer pixels)


def _open_image(path: str, shown: str) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(path)
    except Image.DecompressionBombError:
        raise LightshowError(f"image {_path_text(shown)} is too large (more than "
                             f"{MAX_IMAGE_PIXELS / 1e6:g} megapixels)") from None
    except UnidentifiedImageError:
        raise LightshowError(f"image {_path_text(shown)} is not an image file Pillow can read "
                             "(expected PNG, JPEG, GIF, BMP, WebP, …)") from None
    except OSError as exc:
        raise LightshowError(f"image {_path_text(shown)} cannot be read: {exc.strerror or exc}") from None
    w, h = image.size
    if w * h > MAX_IMAGE_PIXELS:
        image.close()
        raise LightshowError(f"image {_path_text(shown)} is too large: {w}×{h} is more than "
                             f"{MAX_IMAGE_PIXELS / 1e6:g} megapixels")
    return image


def load_image_rgb(path: str, background, shown: str | None = None) -> np.ndarray:
    """(H, W, 3) float32 0..1: the image upright, alpha composited over ``background``."""
    shown = path if shown is None else shown
    image = _open_image(path, shown)
    try:
        with image:
            image.load()
            image = ImageOps.exif_transpose(image)
            transparent = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info
            image = image.convert("RGBA" if transparent else "RGB")
            if max(image.size) > MAX_IMAGE_SIDE:
                image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE), Image.Resampling.LANCZOS)
            data = np.asarray(image, dtype=np.float32) / 255.0
    except (OSError, SyntaxError, ValueError) as exc:
        raise LightshowError(f"image {_path_text(shown)} cannot be decoded: {exc}") from None
    if data.shape[2] == 4:
        alpha = data[:, :, 3:4]
        bg = np.asarray(background, dtype=np.float32).reshape(1, 1, 3)
        data = data[:, :, :3] * alpha + bg * (1.0 - alpha)
    return np.ascontiguousarray(data, dtype=np.float32)


def prepare_image(params: dict[str, Any], base_dir: str) -> dict[str, Any]:
    """``params`` with ``image_rgb`` (H, W, 3) float32 0..1 read from ``params['path']``."""
    given = str(params.get("path") or "")
    if not given:
        raise LightshowError("the image effect needs path: an image file")
    path = _resolve(given, base_dir)
    if not os.path.exists(path):
        raise LightshowError(f"image {_path_text(given)} not found (looked for {path})")
    if os.path.isdir(path):
        raise LightshowError(f"image {_path_text(given)} is a directory, not an image file")
    background = params.get("background") or (0.0, 0.0, 0.0)
    return {**params, "image_rgb": load_image_rgb(path, background, given)}


PREPARERS: dict[str, Callable[[dict[str, Any], str], dict[str, Any]]] = {
    "text": prepare_text,
    "image": prepare_image,
}
