"""LTC (SMPTE linear timecode audio) through libltc, the C library Falcon Player's SMPTE plugin uses.

Debian's ``libltc11`` is loaded with ctypes (no maintained Python binding exists).  Timecode types
are ArtTimeCode's (``TIMECODE_*``: 24, 25, 29.97 drop frame, 30), so an LTC label and an ArtTimeCode
label chase the same way (:mod:`lightshow.core.timecode_chase`).

- :func:`encode_ltc` writes ``n_frames`` of LTC from a start label as float32 samples in -1..1.
- :class:`LtcDecoder` is fed audio block by block (``write(samples)``, any length) and returns the
  frames completed so far as :class:`LtcFrame` (the sample index at which each frame started, its
  label, its timecode type); :func:`decode_ltc` decodes a whole buffer.  The rate is told from the
  frame's length in samples (80 times its bits' median length) and its drop-frame bit (29.97 without the bit reads as 30: the two
  differ by 0.1 %, less than one frame's length can tell).
"""

from __future__ import annotations

import ctypes
import ctypes.util
from dataclasses import dataclass

import numpy as np

from lightshow.errors import LightshowError
from lightshow.protocol.artnet_timecode import (TIMECODE_DF, TIMECODE_EBU, TIMECODE_FILM, TIMECODE_SMPTE,
                                                timecode_fps)

_TV_525_60, _TV_625_50, _TV_FILM_24 = 0, 1, 3
_STANDARD = {TIMECODE_FILM: _TV_FILM_24, TIMECODE_EBU: _TV_625_50, TIMECODE_DF: _TV_525_60,
             TIMECODE_SMPTE: _TV_525_60}


class _SMPTETimecode(ctypes.Structure):
    _fields_ = [("timezone", ctypes.c_char * 6), ("years", ctypes.c_ubyte), ("months", ctypes.c_ubyte),
                ("days", ctypes.c_ubyte), ("hours", ctypes.c_ubyte), ("mins", ctypes.c_ubyte),
                ("secs", ctypes.c_ubyte), ("frame", ctypes.c_ubyte)]


class _LTCFrameExt(ctypes.Structure):
    _fields_ = [("ltc", ctypes.c_ubyte * 12),        # struct LTCFrame: 80 bits of bitfields, 12 bytes
                ("off_start", ctypes.c_longlong), ("off_end", ctypes.c_longlong), ("reverse", ctypes.c_int),
                ("biphase_tics", ctypes.c_float * 80), ("sample_min", ctypes.c_ubyte),
                ("sample_max", ctypes.c_ubyte), ("volume", ctypes.c_double)]


_lib = None


def _libltc():
    """libltc, loaded once; LightshowError when it is not installed."""
    global _lib
    if _lib is not None:
        return _lib
    path = ctypes.util.find_library("ltc") or "libltc.so.11"
    try:
        lib = ctypes.CDLL(path)
    except OSError as exc:
        raise LightshowError(f"LTC needs libltc (Debian package libltc11): {exc}") from None
    vp, sz = ctypes.c_void_p, ctypes.c_size_t
    lib.ltc_encoder_create.restype = vp
    lib.ltc_encoder_create.argtypes = [ctypes.c_double, ctypes.c_double, ctypes.c_int, ctypes.c_int]
    lib.ltc_encoder_free.argtypes = [vp]
    lib.ltc_encoder_set_timecode.argtypes = [vp, ctypes.POINTER(_SMPTETimecode)]
    lib.ltc_encoder_set_volume.argtypes = [vp, ctypes.c_double]
    lib.ltc_encoder_encode_frame.argtypes = [vp]
    lib.ltc_encoder_inc_timecode.argtypes = [vp]
    lib.ltc_encoder_copy_buffer.argtypes = [vp, ctypes.POINTER(ctypes.c_ubyte)]
    lib.ltc_encoder_get_buffersize.restype = sz
    lib.ltc_encoder_get_buffersize.argtypes = [vp]
    lib.ltc_decoder_create.restype = vp
    lib.ltc_decoder_create.argtypes = [ctypes.c_int, ctypes.c_int]
    lib.ltc_decoder_free.argtypes = [vp]
    lib.ltc_decoder_write_float.argtypes = [vp, ctypes.POINTER(ctypes.c_float), sz, ctypes.c_longlong]
    lib.ltc_decoder_read.argtypes = [vp, ctypes.POINTER(_LTCFrameExt)]
    lib.ltc_frame_to_time.argtypes = [ctypes.POINTER(_SMPTETimecode), ctypes.c_void_p, ctypes.c_int]
    _lib = lib
    return lib


class LtcEncoder:
    """A persistent libltc encoder: one frame of LTC at a time, each with any label.

    One encoder for a whole stream keeps the biphase polarity running across frames, so frames
    written one after another (with labels that need not follow each other) are one clean signal."""

    def __init__(self, kind: int, sample_rate: int = 48000, volume_dbfs: float = -18.0):
        self.lib, self.kind, self.sample_rate = _libltc(), kind, sample_rate
        self._encoder = self.lib.ltc_encoder_create(float(sample_rate), timecode_fps(kind), _STANDARD[kind], 0)
        if not self._encoder:
            raise LightshowError(f"libltc cannot encode at {sample_rate} Hz")
        self.lib.ltc_encoder_set_volume(self._encoder, volume_dbfs)
        self._buffer = (ctypes.c_ubyte * (self.lib.ltc_encoder_get_buffersize(self._encoder) + 16))()

    def frame(self, label: tuple[int, int, int, int]) -> np.ndarray:
        """The samples (float32, -1..1) of one LTC frame labelled ``label`` (hours, minutes, seconds,
        frames); about ``sample_rate / fps`` of them (29.97 alternates to keep the rate exact)."""
        hours, minutes, seconds, frames = label
        stamp = _SMPTETimecode(b"+0000", 0, 0, 0, hours, minutes, seconds, frames)
        self.lib.ltc_encoder_set_timecode(self._encoder, ctypes.byref(stamp))
        self.lib.ltc_encoder_encode_frame(self._encoder)
        n = self.lib.ltc_encoder_copy_buffer(self._encoder, self._buffer)
        samples = np.frombuffer(self._buffer, dtype=np.uint8, count=n)
        return ((samples.astype(np.float32) - 128.0) / 127.0).clip(-1.0, 1.0)

    def close(self) -> None:
        if self._encoder:
            self.lib.ltc_encoder_free(self._encoder)
            self._encoder = None

    def __del__(self):
        self.close()


def encode_ltc(start: tuple[int, int, int, int], kind: int, n_frames: int, sample_rate: int = 48000,
               volume_dbfs: float = -18.0) -> np.ndarray:
    """``n_frames`` of LTC counting up from ``start`` (hours, minutes, seconds, frames) at the rate of
    ArtTimeCode type ``kind``, as float32 samples in -1..1."""
    from lightshow.protocol.timecode import frame_count, timecode_at

    encoder = LtcEncoder(kind, sample_rate, volume_dbfs)
    try:
        first, fps = frame_count(*start, kind), timecode_fps(kind)
        chunks = [encoder.frame(timecode_at((first + n) / fps, kind)) for n in range(n_frames)]
    finally:
        encoder.close()
    return np.concatenate(chunks) if chunks else np.zeros(0, np.float32)


@dataclass(frozen=True)
class LtcFrame:
    sample_idx: int                                   # where the frame started in the stream
    timecode: tuple[int, int, int, int]               # hours, minutes, seconds, frames
    kind: int                                         # TIMECODE_FILM / _EBU / _DF / _SMPTE
    reverse: bool = False


class LtcDecoder:
    """A stateful LTC decoder: ``write`` blocks of audio as they come, read the frames completed."""

    def __init__(self, sample_rate: int = 48000, expected_fps: float = 25.0, queue_frames: int = 64):
        self.lib, self.sample_rate = _libltc(), sample_rate
        self._decoder = self.lib.ltc_decoder_create(int(sample_rate / expected_fps), queue_frames)
        if not self._decoder:
            raise LightshowError("libltc could not make a decoder")
        self.samples_written = 0
        self._frame = _LTCFrameExt()
        self._stamp = _SMPTETimecode()

    def write(self, samples: np.ndarray) -> list[LtcFrame]:
        """Feed the next block (float samples in -1..1, mono); the frames it completed."""
        block = np.ascontiguousarray(samples, dtype=np.float32)
        if block.size:
            self.lib.ltc_decoder_write_float(self._decoder, block.ctypes.data_as(ctypes.POINTER(ctypes.c_float)),
                                             block.size, self.samples_written)
            self.samples_written += block.size
        out = []
        while self.lib.ltc_decoder_read(self._decoder, ctypes.byref(self._frame)):
            frame = self._frame
            self.lib.ltc_frame_to_time(ctypes.byref(self._stamp), ctypes.addressof(frame.ltc), 0)
            drop = bool(frame.ltc[1] & 0x04)                 # dfbit: bit 10 of the frame
            # the frame's length from its bits' median length: off_end - off_start spans any silence
            # before the frame (a dropout), which would read as another rate
            tics = np.ctypeslib.as_array(frame.biphase_tics)
            length = float(np.median(tics)) * 80 if tics.any() else frame.off_end - frame.off_start + 1
            out.append(LtcFrame(int(frame.off_start),
                                (self._stamp.hours, self._stamp.mins, self._stamp.secs, self._stamp.frame),
                                _kind_of(self.sample_rate / max(length, 1), drop), bool(frame.reverse)))
        return out

    def close(self) -> None:
        if self._decoder:
            self.lib.ltc_decoder_free(self._decoder)
            self._decoder = None

    def __del__(self):
        self.close()


def _kind_of(fps: float, drop: bool) -> int:
    if drop:
        return TIMECODE_DF
    return min((TIMECODE_FILM, TIMECODE_EBU, TIMECODE_SMPTE), key=lambda k: abs(timecode_fps(k) - fps))


def decode_ltc(samples: np.ndarray, sample_rate: int = 48000, block: int = 4096) -> list[LtcFrame]:
    """Every LTC frame in ``samples`` (fed to an :class:`LtcDecoder` in blocks of ``block``)."""
    decoder = LtcDecoder(sample_rate)
    try:
        frames = []
        for first in range(0, len(samples), block):
            frames += decoder.write(samples[first:first + block])
        return frames
    finally:
        decoder.close()
