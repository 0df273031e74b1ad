"""LTC through libltc: our decoder against x42's ltcgen, our encoder against x42's ltcdump."""

import shutil
import subprocess

import numpy as np
import pytest
import soundfile

from lightshow.output.libltc import LtcDecoder, decode_ltc, encode_ltc
from lightshow.protocol.artnet_timecode import TIMECODE_DF, TIMECODE_EBU, TIMECODE_FILM, TIMECODE_SMPTE
from lightshow.protocol.timecode import frame_count, parse_timecode

needs_ltc_tools = pytest.mark.skipif(shutil.which("ltcgen") is None or shutil.which("ltcdump") is None,
                                     reason="ltc-tools (ltcgen, ltcdump) are installed by .ci/install")
RATES = [("24", TIMECODE_FILM), ("25", TIMECODE_EBU), ("30000/1001df", TIMECODE_DF), ("30", TIMECODE_SMPTE)]


def ltcdump(path):
    """[(first sample, (h, m, s, f))] as ltcdump reads ``path``."""
    out = subprocess.run(["ltcdump", str(path)], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines():
        if line.startswith("#") or "|" not in line:
            continue
        label, where = line.split()[1].replace(".", ":"), line.split("|")[1].split()   # drop frame: HH:MM:SS.FF
        rows.append((int(where[0]), parse_timecode(label)))
    return rows


@needs_ltc_tools
@pytest.mark.parametrize("fps,kind", RATES)
def test_we_decode_what_ltcgen_writes_as_ltcdump_does(tmp_path, fps, kind):
    wav = tmp_path / "gen.wav"
    subprocess.run(["ltcgen", "-f", fps, "-t", "10:00:58:00", "-l", "00:00:03:00", "-s", "48000", str(wav)],
                   check=True, capture_output=True)
    samples, rate = soundfile.read(wav, dtype="float32")
    ours = decode_ltc(samples, rate)
    theirs = ltcdump(wav)
    assert len(ours) >= 70 and [f.timecode for f in ours] == [t for _, t in theirs][:len(ours)]
    assert [f.sample_idx for f in ours] == [s for s, _ in theirs][:len(ours)]
    assert {f.kind for f in ours} == {kind}
    counts = [frame_count(*f.timecode, kind) for f in ours]
    assert np.all(np.diff(counts) == 1)                       # in sequence, through the minute


@needs_ltc_tools
@pytest.mark.parametrize("fps,kind", RATES)
def test_ltcdump_decodes_what_we_encode(tmp_path, fps, kind):
    samples = encode_ltc((10, 0, 59, 20), kind, 40, 48000)
    wav = tmp_path / "ours.wav"
    soundfile.write(wav, samples, 48000, subtype="PCM_16")
    theirs = ltcdump(wav)
    expected_first = frame_count(10, 0, 59, 20, kind)
    assert len(theirs) >= 39                                # the last frame ends the file: ltcdump may not see it
    assert [frame_count(*t, kind) for _, t in theirs] == list(range(expected_first, expected_first + len(theirs)))
    if kind == TIMECODE_DF:
        assert (10, 1, 0, 2) in [t for _, t in theirs]       # ;00 and ;01 dropped at the minute


def test_the_decoder_takes_audio_block_by_block():
    samples = encode_ltc((1, 2, 3, 4), TIMECODE_EBU, 25, 48000)
    whole = decode_ltc(samples, 48000, block=len(samples))
    decoder, pieces = LtcDecoder(48000), []
    for first in range(0, len(samples), 256):
        pieces += decoder.write(samples[first:first + 256])
    decoder.close()
    assert pieces == whole and whole[0].timecode == (1, 2, 3, 4) and whole[0].sample_idx == 0
    assert [f.sample_idx for f in whole[:3]] == [0, 1920, 3840]   # 48000 / 25 samples a frame
