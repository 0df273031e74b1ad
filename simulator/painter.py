"""Draws a frame of DMX as the river-front at night, with pygame surfaces.

Layers, all additive on a dark background: every rig pixel as a point of its
light (mean light per screen cell), a soft glow around them, washers and
floods as broad washes up their wall, moving heads as beams whose direction
follows pan/tilt, and the whole lit skyline reflected, streaked, in the river.
Channel values are linear light; the screen gets them sRGB-encoded, so a full
red channel is (255, 0, 0) on screen.
"""

from __future__ import annotations

import math

import numpy as np
import pygame

from simulator.appearance import AppearanceMap, Beams
from lightshow.model.profile import ChannelKind
from simulator.scene import Scene

SKY_TOP = np.array([4, 7, 20], dtype=np.float32)
SKY_HORIZON = np.array([18, 22, 42], dtype=np.float32)
RIVER_NEAR = np.array([2, 4, 10], dtype=np.float32)
RIVER_FAR = np.array([8, 12, 26], dtype=np.float32)
BUILDING = (15, 17, 25)
BUILDING_EDGE = (27, 30, 42)
QUAY = (34, 34, 40)
REFLECTION_TINT = (150, 165, 190)     # the river keeps about two thirds of the light, bluish
HALO_DIVISOR = 3                      # glow, washes and beams are drawn at a third of the size
WASH_DIVISOR = 4                      # and washes blurred four times more
WASH_HEIGHT_M = 24.0                  # how far up its wall a washer's light reaches
BEAM_LENGTH = 1.4                     # beam length as a multiple of the screen height
BEAM_HALF_ANGLE_DEG = 1.2
BEAM_SEGMENTS = 16
BEAM_LIGHT = 0.35                     # a beam in haze is dimmer than its lens
BEAM_FADE = BEAM_LIGHT * (1.0 - np.arange(BEAM_SEGMENTS) / BEAM_SEGMENTS) ** 2


def srgb_table(size: int = 4096) -> np.ndarray:
    """Linear light 0..1 (as an index of ``size`` steps) -> sRGB byte."""
    x = np.linspace(0.0, 1.0, size)
    encoded = np.where(x <= 0.0031308, 12.92 * x, 1.055 * np.power(x, 1 / 2.4) - 0.055)
    return np.round(encoded * 255).astype(np.uint8)


SRGB = srgb_table()


def encode(light: np.ndarray) -> np.ndarray:
    """Linear light floats -> sRGB bytes."""
    return SRGB[np.clip(light * (len(SRGB) - 1) + 0.5, 0, len(SRGB) - 1).astype(np.intp)]


class Painter:
    """Turns frame buffers into pictures of the rig, at one size."""

    def __init__(self, appearance: AppearanceMap, size: tuple[int, int] = (1280, 720), glow: bool = True):
        self.appearance = appearance
        self.scene = Scene(appearance.pixels, size)
        self.size = size
        self.glow = glow
        self.background = self._background()
        self.lights = pygame.Surface(size)
        self.halo_size = (max(size[0] // HALO_DIVISOR, 1), max(size[1] // HALO_DIVISOR, 1))
        self.wash_layer = pygame.Surface(self.halo_size)     # reused every frame
        self.beam_layer = pygame.Surface(self.halo_size)
        wash = np.zeros(appearance.n_pixels, dtype=bool)
        for source in appearance.sources.get(ChannelKind.INTENSITY, []):
            wash[source.pixels] = True
        wash[appearance.beam_pixels] = False
        self.wash_pixels = np.flatnonzero(wash)

    # -- the still parts -------------------------------------------------------------------
    def _background(self) -> pygame.Surface:
        width, height = self.size
        quay = self.scene.quay_y
        rows = np.zeros((height, 3), dtype=np.float32)
        t = np.linspace(0, 1, quay)[:, None]
        rows[:quay] = SKY_TOP + (SKY_HORIZON - SKY_TOP) * t ** 1.5
        t = np.linspace(0, 1, height - quay)[:, None]
        rows[quay:] = RIVER_FAR + (RIVER_NEAR - RIVER_FAR) * t
        image = np.repeat(rows[None, :, :], width, axis=0).astype(np.uint8)   # (W, H, 3)
        stars = np.random.default_rng(7)
        n_stars = width * quay // 2500
        sx, sy = stars.integers(0, width, n_stars), stars.integers(0, max(quay * 2 // 3, 1), n_stars)
        image[sx, sy] = np.clip(image[sx, sy] + stars.integers(20, 70, (n_stars, 1)), 0, 255)
        surface = pygame.surfarray.make_surface(image)
        for building in self.scene.buildings:
            (left, right), (top, _) = self.scene.to_screen([building.left_m, building.right_m],
                                                           [building.top_m + 1.0, 0.0])
            rect = pygame.Rect(int(left) - 2, int(top), int(right - left) + 5, quay - int(top))
            surface.fill(BUILDING, rect)
            pygame.draw.rect(surface, BUILDING_EDGE, rect, 1)
        pygame.draw.line(surface, QUAY, (0, quay), (width, quay), 2)
        return surface

    # -- a frame ---------------------------------------------------------------------------
    def paint(self, frame: np.ndarray) -> pygame.Surface:
        """The picture of one frame buffer (uint8, the rig's universes in order)."""
        light = self.appearance.light(frame)
        scene = self.scene
        self.lights.fill((0, 0, 0))
        cells = encode(scene.cell_light(light))
        view = pygame.surfarray.pixels3d(self.lights)
        view[scene.cell_x, scene.cell_y] = cells
        del view
        picture = self.background.copy()
        if self.glow:
            halo = self._halo(light, frame)
            self.lights.blit(pygame.transform.smoothscale(halo, self.size), (0, 0),
                             special_flags=pygame.BLEND_RGB_ADD)
        picture.blit(self.lights, (0, 0), special_flags=pygame.BLEND_RGB_ADD)
        if self.glow:
            self._add_reflection(picture, halo)
        return picture

    def _halo(self, light: np.ndarray, frame: np.ndarray) -> pygame.Surface:
        """Glow, washes and beams, drawn at a third of the size (added back blurred)."""
        halo = pygame.transform.smoothscale(self.lights, self.halo_size)
        halo.blit(halo.copy(), (0, 0), special_flags=pygame.BLEND_RGB_ADD)
        if len(self.wash_pixels):
            self._add_washes(halo, light)
        if len(self.appearance.beam_pixels):
            self._add_beams(halo, light, self.appearance.beams(frame))
        return halo

    def _add_washes(self, halo: pygame.Surface, light: np.ndarray) -> None:
        scene = self.scene
        index = self.wash_pixels
        colour = light[index]
        x = scene.pixel_x[index] // HALO_DIVISOR
        y = scene.pixel_y[index] // HALO_DIVISOR
        reach = max(int(WASH_HEIGHT_M * scene.scale / HALO_DIVISOR), 1)
        self.wash_layer.fill((0, 0, 0))
        view = pygame.surfarray.pixels3d(self.wash_layer)
        for step in range(reach):
            view[x, np.maximum(y - step, 0)] = encode(colour * (1.0 - step / reach))
        del view
        width, height = self.halo_size
        washes = pygame.transform.smoothscale(
            self.wash_layer, (max(width // WASH_DIVISOR, 1), max(height // WASH_DIVISOR, 1)))
        washes = pygame.transform.smoothscale(washes, self.halo_size)
        for _ in range(3):
            halo.blit(washes, (0, 0), special_flags=pygame.BLEND_RGB_ADD)

    def _add_beams(self, halo: pygame.Surface, light: np.ndarray, beams: Beams) -> None:
        scene = self.scene
        layer = self.beam_layer
        layer.fill((0, 0, 0))
        length = BEAM_LENGTH * self.halo_size[1]
        spread = math.tan(math.radians(BEAM_HALF_ANGLE_DEG))
        for pixel, pan, tilt in zip(beams.pixels, beams.pan_deg, beams.tilt_deg):
            colour = light[pixel]
            if colour.max() <= 0.0:
                continue
            pan_r, tilt_r = math.radians(float(pan)), math.radians(float(tilt))
            dx, dy = math.sin(tilt_r) * math.sin(pan_r), math.cos(tilt_r)
            norm = math.hypot(dx, dy)
            if norm < 1e-3:
                continue                         # pointing straight at the viewer
            x0 = float(scene.pixel_x[pixel]) / HALO_DIVISOR
            y0 = float(scene.pixel_y[pixel]) / HALO_DIVISOR
            ux, uy = dx / norm, -dy / norm
            px, py = -uy, ux
            reach = length * norm
            shades = encode(colour[None, :] * BEAM_FADE[:, None]).tolist()
            for step in range(BEAM_SEGMENTS, 0, -1):   # longest and dimmest first: a fading cone
                end = reach * step / BEAM_SEGMENTS
                width = 0.5 + end * spread
                points = [(x0 + px * 0.5, y0 + py * 0.5),
                          (x0 + ux * end + px * width, y0 + uy * end + py * width),
                          (x0 + ux * end - px * width, y0 + uy * end - py * width),
                          (x0 - px * 0.5, y0 - py * 0.5)]
                pygame.draw.polygon(layer, shades[step - 1], points)
        halo.blit(layer, (0, 0), special_flags=pygame.BLEND_RGB_ADD)

    def _add_reflection(self, picture: pygame.Surface, halo: pygame.Surface) -> None:
        """The lit skyline mirrored in the river, streaked vertically; drawn from the halo."""
        width, height = self.size
        quay = self.scene.quay_y
        depth = min(height - quay, quay)
        small_quay, small_depth = quay // HALO_DIVISOR, depth // HALO_DIVISOR
        if small_depth <= 2:
            return
        above = halo.subsurface((0, small_quay - small_depth, halo.get_width(), small_depth))
        streaks = pygame.transform.smoothscale(above, (halo.get_width(), max(small_depth // 4, 1)))
        streaks = pygame.transform.flip(streaks, False, True)
        streaks = pygame.transform.smoothscale(streaks, (width, depth))
        streaks.fill(REFLECTION_TINT, special_flags=pygame.BLEND_RGB_MULT)
        picture.blit(streaks, (0, quay + 2), special_flags=pygame.BLEND_RGB_ADD)
