"""The simulator window: the rig at night, a timeline, and keys to move through the show.

The window is a view of a running player (its output, its status) and its keys are the
player's commands: space play/pause, left/right -/+ 5 s (with shift 30 s), n next cue
(and play), p previous cue, 1-9 chapter, home start, b blackout, f frame-rate display,
q or escape quit.  Click or drag on the timeline to scrub.  In live mode the window shows whatever
Art-Net arrives, with packet counts.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
import pygame

from lightshow.load.assets import font_paths
from simulator.painter import Painter
from simulator.live_artnet import LiveArtnet

TIMELINE_PX = 34
HUD_COLOUR = (220, 220, 225)
ERROR_COLOUR = (255, 120, 100)
MAX_NOTES = 8            # diagnostics lines drawn over the picture
CHAPTER_COLOURS = ((200, 60, 50), (60, 170, 110), (220, 170, 40), (90, 120, 220))


class Controller(Protocol):
    def frame(self) -> np.ndarray: ...
    def status(self) -> str: ...
    def key(self, event: pygame.event.Event) -> None: ...
    def draw_timeline(self, surface: pygame.Surface, font: pygame.font.Font) -> None: ...
    def click(self, x: int, width: int) -> None: ...


class LiveController:
    """Whatever Art-Net arrives."""

    def __init__(self, live: LiveArtnet):
        self.live = live

    def frame(self) -> np.ndarray:
        return self.live.frame()

    def status(self) -> str:
        stats = self.live.stats
        return (f"live Art-Net on {self.live.bind_ip}:{self.live.port}  {stats.packets} packets  "
                f"{len(stats.universes_seen)}/{len(self.live.universes)} universes  "
                f"{stats.polls_answered} polls answered")

    def key(self, event: pygame.event.Event) -> None:
        pass

    def click(self, x: int, width: int) -> None:
        pass

    def draw_timeline(self, surface: pygame.Surface, font: pygame.font.Font) -> None:
        pass


def draw_timeline(surface: pygame.Surface, font: pygame.font.Font, total_frames: float,
                  chapters: list[tuple[int, int, str]], cue_frames: list[int], position: int) -> None:
    """The bar under the picture: chapters (start, stop, title) in colour, cue ticks, the playhead."""
    width, height = surface.get_size()
    top = height - TIMELINE_PX
    surface.fill((12, 12, 16), (0, top, width, TIMELINE_PX))
    total = max(total_frames, 1)
    for n, (start, stop, title) in enumerate(chapters):
        x0, x1 = int(start / total * width), int(stop / total * width)
        surface.fill(CHAPTER_COLOURS[n % len(CHAPTER_COLOURS)], (x0, top + 4, max(x1 - x0 - 1, 1), 6))
        surface.blit(font.render(title, True, HUD_COLOUR), (x0 + 4, top + 13))
    for frame in cue_frames:
        surface.fill((120, 120, 130), (int(frame / total * width), top + 2, 1, 10))
    x = int(position / total * width)
    surface.fill((255, 255, 255), (x - 1, top, 3, TIMELINE_PX))


def caption_font(size: int = 15) -> pygame.font.Font:
    """The first of the text effect's candidate fonts (CJK first) that pygame opens, else its own."""
    for path in font_paths():
        try:
            return pygame.font.Font(path, size)
        except (OSError, pygame.error):
            continue
    return pygame.font.Font(None, size + 4)


def run_window(painter: Painter, controller: Controller, title: str, max_fps: float = 60.0) -> None:
    """Open the window and draw until it is closed."""
    pygame.display.init()
    pygame.font.init()
    width, height = painter.size
    screen = pygame.display.set_mode((width, height + TIMELINE_PX))
    pygame.display.set_caption(title)
    font = caption_font()
    show_fps, ticker = False, pygame.time.Clock()
    try:
        while True:
            for event in pygame.event.get():
                if event.type == pygame.QUIT or (event.type == pygame.KEYDOWN
                                                 and event.key in (pygame.K_q, pygame.K_ESCAPE)):
                    return
                if event.type == pygame.KEYDOWN:
                    if event.key == pygame.K_f:
                        show_fps = not show_fps
                    controller.key(event)
                elif event.type in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEMOTION):
                    buttons = getattr(event, "buttons", (1,))
                    if event.pos[1] >= height and (event.type == pygame.MOUSEBUTTONDOWN or buttons[0]):
                        controller.click(event.pos[0], width)
            painter = getattr(controller, "painter", None) or painter   # a reloaded rig
            screen.blit(painter.paint(controller.frame()), (0, 0))
            status = controller.status() + (f"  {ticker.get_fps():.0f} fps" if show_fps else "")
            screen.blit(font.render(status, True, HUD_COLOUR), (10, 8))
            notes = getattr(controller, "notes", lambda: [])()
            for n, line in enumerate(notes[:MAX_NOTES]):
                screen.blit(font.render(line, True, ERROR_COLOUR), (10, 30 + 18 * n))
            controller.draw_timeline(screen, font)
            pygame.display.flip()
            ticker.tick(max_fps)
    finally:
        pygame.display.quit()


class PlayerController:
    """The window as a view of a running player: its output, its status, keys as commands."""

    def __init__(self, player, latest, live=None, painter_of=None):
        self.player, self.latest = player, latest
        self.live = live                 # a LiveShow (--watch): its diagnostics are drawn
        self.painter = None              # drawn instead of the window's painter once the rig changed
        if live is not None and painter_of is not None:
            live.listeners.append(lambda result: self._reloaded(result, painter_of))

    def _reloaded(self, result, painter_of) -> None:
        if result.ok and result.diff.everything:
            self.painter = painter_of(result.show, self.player.source)

    def notes(self) -> list[str]:
        """The last reload's diagnostics, while the last good show plays on."""
        if self.live is None or not self.live.errors:
            return []
        return ["not reloaded, the last good show plays on:"] + [d.format() for d in self.live.errors]

    def frame(self) -> np.ndarray:
        return self.latest.frame()

    def status(self) -> str:
        s = self.player.status()
        return (f"{int(s['time_s'] // 60)}:{s['time_s'] % 60:05.2f}  {s['state']}  {s['chapter_title'] or ''}"
                f"  master {s['master'] * 100:.0f}%" + ("  BLACKOUT" if s["blackout_target"] > 0 else ""))

    def key(self, event: pygame.event.Event) -> None:
        player, s = self.player, self.player.status()
        step = 30 if event.mod & pygame.KMOD_SHIFT else 5
        try:
            if event.key == pygame.K_SPACE:
                {"playing": player.pause, "paused": player.resume}.get(s["state"], player.play)()
            elif event.key in (pygame.K_RIGHT, pygame.K_LEFT):
                direction = 1 if event.key == pygame.K_RIGHT else -1
                player.seek_s(min(max(s["time_s"] + direction * step, 0.0), s["duration_s"]))
            elif event.key == pygame.K_HOME:
                player.seek_s(0.0)
            elif event.key == pygame.K_n:
                player.go()
            elif event.key == pygame.K_p:
                player.back()
            elif event.key == pygame.K_b:
                player.set_blackout(s["blackout_target"] == 0, 1.0)
            elif pygame.K_1 <= event.key <= pygame.K_9:
                player.goto_chapter(str(event.key - pygame.K_0))
        except Exception as exc:       # noqa: BLE001 - a key must never close the window
            print(f"lightshow: {exc}")

    def click(self, x: int, width: int) -> None:
        self.player.seek_s(x / max(width, 1) * self.player.status()["duration_s"])

    def draw_timeline(self, surface: pygame.Surface, font: pygame.font.Font) -> None:
        index, s = self.player.index, self.player.status()
        draw_timeline(surface, font, s["duration_s"] * index.fps,
                      [(c.start_frame, c.stop_frame, c.title or c.id) for c in index.chapters],
                      [q.start_frame for q in index.cues], s["frame"])
