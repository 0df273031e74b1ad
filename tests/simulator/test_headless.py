"""Pictures, contact sheets and videos without a screen, through the command line."""

import json
import shutil
import subprocess

import numpy as np
import pytest
from PIL import Image

from lightshow import cli


def roof_colour(sim_show, picture_path):
    """Mean screen colour at the roof's pixels."""
    from lightshow.core.pixelmap import PixelMap
    from lightshow.load.project import load_show
    from simulator.scene import Scene

    show = load_show(sim_show)
    pixels = PixelMap(show.rig)
    image = np.asarray(Image.open(picture_path).convert("RGB")).astype(int)
    scene = Scene(pixels, (image.shape[1], image.shape[0]))
    roof = pixels.pixels_of(("roof",))
    return image[scene.pixel_y[roof], scene.pixel_x[roof]].mean(axis=0)


def test_a_still_at_a_chapter_shows_that_chapter(sim_show, capsys):
    assert cli.run(["preview", sim_show, "--at", "second", "-o", "second.png", "--size", "320x180"]) == 0
    assert cli.run(["preview", sim_show, "--at", "0.5", "-o", "first.png", "--size", "320x180"]) == 0
    assert np.asarray(Image.open("second.png")).shape == (180, 320, 3)
    red, green, blue = roof_colour(sim_show, "first.png")          # chapter one: a red roof
    assert red == 255 and green < 60 and blue < 80
    red, green, blue = roof_colour(sim_show, "second.png")         # chapter two: all blue
    assert blue == 255 and red < 60 and green < 60
    assert "wrote second.png" in capsys.readouterr().err


def test_the_contact_sheet_has_a_row_per_chapter(sim_show):
    assert cli.run(["preview", sim_show, "--sheet", "-o", "sheet.png", "--size", "200x120"]) == 0
    sheet = Image.open("sheet.png")
    assert sheet.size == (3 * 200, 2 * 120)


def test_an_animated_gif_keeps_the_show_frame_timing(sim_show):
    assert cli.run(["preview", sim_show, "--video", "clip.gif", "--from", "1.5", "--duration", "1",
                    "--size", "160x90", "-q"]) == 0
    clip = Image.open("clip.gif")
    durations = []
    for n in range(clip.n_frames):          # equal frames in a row merge into longer ones
        clip.seek(n)
        durations.append(clip.info["duration"])
    assert sum(durations) == 1000 and min(durations) % 50 == 0     # 20 frames at the show's 20 fps
    clip.save("last.png")
    assert roof_colour(sim_show, "last.png")[2] == 255             # ends in chapter two: blue


@pytest.mark.skipif(not shutil.which("ffmpeg"), reason="ffmpeg is not installed (.ci/install installs it)")
def test_an_mp4_through_ffmpeg(sim_show):
    assert cli.run(["preview", sim_show, "--video", "clip.mp4", "--duration", "2", "--size", "160x90",
                    "-q"]) == 0
    probe = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-count_frames",
                            "-show_entries", "stream=nb_read_frames,r_frame_rate,width,height",
                            "-of", "json", "clip.mp4"], capture_output=True, text=True, check=True)
    (stream,) = json.loads(probe.stdout)["streams"]
    assert stream == {"width": 160, "height": 90, "r_frame_rate": "20/1", "nb_read_frames": "40"}


@pytest.mark.parametrize("argv, message", [
    (["--at", "9:99"], "expected a time in 0..3 s"),
    (["--at", "nowhere"], "or a chapter or cue id, found 'nowhere'"),
    (["--size", "big"], "--size expects WIDTHxHEIGHT"),
])
def test_bad_arguments_are_usage_errors(sim_show, capsys, argv, message):
    assert cli.run(["preview", sim_show, *argv]) == 2
    assert message in capsys.readouterr().err


def test_an_fseq_alone_is_not_enough(capsys, tmp_path):
    assert cli.run(["preview", str(tmp_path / "x.fseq")]) == 2
    assert "give the show file" in capsys.readouterr().err


def test_simulate_without_a_display_says_so(sim_show, capsys, monkeypatch):
    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    assert cli.run(["simulate", sim_show]) == 1
    assert "no display here" in capsys.readouterr().err


@pytest.mark.skipif(not shutil.which("ffmpeg"), reason="ffmpeg is not installed (.ci/install installs it)")
def test_an_mp4_carries_the_soundtrack_in_time_with_the_pictures(project):
    from lightshow.load.audio_file import write_audio
    from tests.projects import RGB_PIXEL_BAR

    rate = 48000
    song = np.zeros((rate * 4, 2), dtype=np.float32)
    song[rate:rate + 480] = 0.9                            # a click at song time 1.0 s
    write_audio(str(project.root / "shows" / "song.wav"), song, rate)
    project.fixture("bar8", RGB_PIXEL_BAR.format(n=8))
    project.rig("name: t\npatch:\n  - {id: b, profile: bar8, universe: 1, address: 1}\n")
    project.show("title: t\nrig: rig.yaml\nfps: 20\naudio: {path: song.wav, offset_s: 0.5}\n"
                 "chapters:\n  - id: one\n    duration: 4\n    cues:\n"
                 "      - {id: flash, start: 1.5, target: all, effect: solid, params: {color: white}, duration: 1}\n")
    assert cli.run(["preview", "shows/show.yaml", "--video", "clip.mp4", "--from", "1", "--duration", "1.5",
                    "--size", "160x90", "-q"]) == 0
    sound = subprocess.run(["ffmpeg", "-v", "error", "-i", "clip.mp4", "-f", "f32le", "-ac", "1", "-ar", str(rate),
                            "-"], capture_output=True, check=True).stdout
    sound = np.abs(np.frombuffer(sound, dtype=np.float32))
    click_s = np.argmax(sound > 0.3) / rate
    pictures = subprocess.run(["ffmpeg", "-v", "error", "-i", "clip.mp4", "-f", "rawvideo", "-pix_fmt", "gray",
                               "-"], capture_output=True, check=True).stdout
    brightness = np.frombuffer(pictures, dtype=np.uint8).reshape(-1, 90 * 160).mean(axis=1)
    flash_s = np.argmax(brightness - brightness[0] > (brightness.max() - brightness[0]) / 2) / 20
    assert click_s == pytest.approx(0.5, abs=0.01)         # song 1.0 s = show 1.5 s = clip 0.5 s
    assert flash_s == pytest.approx(0.5, abs=0.001)
    assert len(brightness) == 30 and len(sound) / rate == pytest.approx(1.5, abs=0.05)
