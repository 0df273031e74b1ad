"""Reading a soundtrack or a song: WAV, FLAC, Ogg (Vorbis, Opus) and MP3 through libsndfile.

soundfile's wheels carry libsndfile 1.2, which decodes all four formats the show language
names, so no external decoder process is needed.  Every failure is a :class:`AudioFileError`
with one line a designer can act on; the loader turns it into a positioned diagnostic.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from lightshow.errors import LightshowError

SUFFIXES = (".wav", ".flac", ".ogg", ".opus", ".oga", ".mp3")


class AudioFileError(LightshowError):
    """A soundtrack that is missing, unreadable or not audio."""


@dataclass(frozen=True)
class AudioInfo:
    path: str
    sample_rate: int
    channels: int
    n_samples: int
    format: str

    @property
    def duration_s(self) -> float:
        return self.n_samples / self.sample_rate


def _open(path: str):
    import soundfile

    if not os.path.isfile(path):
        raise AudioFileError(f"no audio file at {path}")
    try:
        return soundfile.SoundFile(path)
    except (soundfile.LibsndfileError, RuntimeError, TypeError) as error:
        raise AudioFileError(f"{path} cannot be decoded as audio ({error})") from None


def audio_info(path: str) -> AudioInfo:
    """Rate, channels and length of an audio file, without decoding it all."""
    with _open(path) as sound:
        n_samples = sound.frames
        if n_samples <= 0:                      # some containers (Ogg/Opus) report no length
            n_samples = sum(len(block) for block in sound.blocks(blocksize=65536, dtype="float32"))
        return AudioInfo(path, sound.samplerate, sound.channels, int(n_samples), sound.format)


def read_audio(path: str) -> tuple[np.ndarray, int]:
    """All of an audio file as float32 samples shaped (n_samples, channels), and its rate."""
    import soundfile

    with _open(path) as sound:
        try:
            samples = sound.read(dtype="float32", always_2d=True)
        except (soundfile.LibsndfileError, RuntimeError) as error:
            raise AudioFileError(f"{path} cannot be decoded as audio ({error})") from None
        if len(samples) == 0:
            raise AudioFileError(f"{path} holds no audio")
        return samples, sound.samplerate


def write_audio(path: str, samples: np.ndarray, sample_rate: int) -> None:
    """Write float samples (n, channels) in the format the suffix names (.wav, .flac, .ogg, .opus, .mp3)."""
    import soundfile

    suffix = os.path.splitext(path)[1].lower()
    kinds = {".wav": ("WAV", "FLOAT"), ".flac": ("FLAC", "PCM_24"), ".ogg": ("OGG", "VORBIS"),
             ".opus": ("OGG", "OPUS"), ".mp3": ("MP3", "MPEG_LAYER_III")}
    if suffix not in kinds:
        raise AudioFileError(f"{path}: cannot write {suffix or 'a file without a suffix'} "
                             f"(choose one of {', '.join(kinds)})")
    container, subtype = kinds[suffix]
    soundfile.write(path, np.asarray(samples, dtype=np.float32), sample_rate, format=container, subtype=subtype)
