"""FSEQ export for Falcon Player, read back by a small reader written here from the format
table (struct, zlib, zstandard; nothing from lightshow), and ``lightshow inspect``."""

import struct
import zlib

import numpy as np
import pytest
import zstandard

from lightshow import cli
from lightshow.core.render import ShowRenderer
from lightshow.load.project import load_show
from tests.projects import RGB_PIXEL_BAR


def read_fseq(data: bytes) -> dict:
    """FSEQ v2: 32-byte fixed header, block index, sparse ranges, then frames (LE)."""
    assert data[:4] == b"PSEQ" and data[7] == 2
    (data_offset, minor, _major, first_var, stored, n_frames, step_ms, _flags, comp_byte,
     blocks_low, n_ranges, _flags2, _uid) = struct.unpack_from("<HBBHIIBBBBBBQ", data, 4)
    n_blocks = blocks_low | ((comp_byte & 0xF0) << 4)
    compression = comp_byte & 0x0F
    pos = 32
    blocks = []
    for _ in range(n_blocks):
        first, length = struct.unpack_from("<II", data, pos)
        pos += 8
        if length:
            blocks.append((first, length))
    ranges = []
    for _ in range(n_ranges):
        start = int.from_bytes(data[pos:pos + 3], "little")
        count = int.from_bytes(data[pos + 3:pos + 6], "little")
        ranges.append((start, count))
        pos += 6
    assert first_var == pos and data_offset % 4 == 0
    if compression == 0:
        raw = data[data_offset:data_offset + n_frames * stored]
    else:
        parts, at = [], data_offset
        for _, length in blocks:
            chunk = data[at:at + length]
            at += length
            if compression == 1:
                parts.append(zstandard.ZstdDecompressor().decompressobj().decompress(chunk))
            else:
                assert compression == 2
                parts.append(zlib.decompress(chunk))
        raw = b"".join(parts)
    assert len(raw) == n_frames * stored
    return {"compression": compression, "stored": stored, "n_frames": n_frames, "step_ms": step_ms,
            "ranges": ranges, "blocks": blocks, "minor": minor,
            "frames": np.frombuffer(raw, dtype=np.uint8).reshape(n_frames, stored)}


@pytest.fixture
def show(project):
    project.fixture("bar10", RGB_PIXEL_BAR.format(n=10))
    project.rig("name: t\npatch:\n  - {id: b, profile: bar10, universe: 1, address: 101}\n"
                "  - {id: p, profile: par, universe: 3, address: 1}\n"
                "  - {id: q, profile: par, universe: 3, address: 5}\n")
    project.show("title: t\nrig: rig.yaml\nfps: 20\nchapters:\n  - id: one\n    cues:\n"
                 "      - {id: rain, target: all, effect: rainbow, duration: 3}\n")
    return load_show("shows/show.yaml")


def fpp_frames(show) -> np.ndarray:
    """The rendered frames in FPP numbering: universe u at channel u * 512."""
    frames = ShowRenderer(show).render(0, 60)
    out = np.zeros((60, 4 * 512), dtype=np.uint8)
    out[:, 512:1024] = frames[:, :512]     # universe 1 is the first patched universe
    out[:, 1536:2048] = frames[:, 512:]    # universe 3 the second
    return out


@pytest.mark.parametrize("jobs", ["1", "3"])
@pytest.mark.parametrize("compression", ["zstd", "zlib", "none"])
def test_sparse_export_stores_the_patched_slots(show, tmp_path, compression, jobs):
    path = tmp_path / "out.fseq"
    assert cli.run(["export", "shows/show.yaml", "--fseq", str(path), "--sparse",
                    "--compression", compression, "--jobs", jobs]) == 0
    found = read_fseq(path.read_bytes())
    assert found["compression"] == {"none": 0, "zstd": 1, "zlib": 2}[compression]
    assert found["ranges"] == [(512 + 100, 30), (1536, 8)]
    assert found["stored"] == 38 and found["n_frames"] == 60 and found["step_ms"] == 50
    if compression != "none":
        assert found["blocks"][0] == (0, found["blocks"][0][1]) and len(found["blocks"]) >= 2
    expected = fpp_frames(show)
    columns = np.r_[612:642, 1536:1544]
    assert np.array_equal(found["frames"], expected[:, columns])
    assert found["frames"].any()


def test_full_export_numbers_channels_by_universe(show, tmp_path):
    path = tmp_path / "full.fseq"
    assert cli.run(["export", "shows/show.yaml", "--fseq", str(path), "--compression", "zlib"]) == 0
    found = read_fseq(path.read_bytes())
    assert found["ranges"] == [] and found["stored"] == 4 * 512
    assert np.array_equal(found["frames"], fpp_frames(show))


def test_inspect_prints_header_ranges_blocks_and_a_frame(show, tmp_path, capsys):
    path = tmp_path / "out.fseq"
    cli.run(["export", "shows/show.yaml", "--fseq", str(path), "--sparse"])
    capsys.readouterr()
    assert cli.run(["inspect", str(path), "--frame", "5"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].startswith("FSEQ v2.0: 60 frames, step 50 ms (20 fps), 38 channels per frame "
                             "stored, compression zstd")
    assert "2 sparse ranges (1-based channels):" in out
    assert "  613-642 (30 channels)" in out and "  1537-1544 (8 channels)" in out
    assert "  block 0: frames 0-9, " in "\n".join(out)
    assert "variable header 'sp': 10 bytes 'lightshow'" in out
    assert "no lightshow index" in out
    frame = read_fseq(path.read_bytes())["frames"][5]
    row = next(line for line in out if line.startswith("  ch     613:"))
    assert [int(v) for v in row.split(":")[1].split()] == frame[:16].tolist()
    rows = {" ".join(line.split(":")[0].split()): [int(v) for v in line.split(":")[1].split()]
            for line in out if line.startswith("  ch ")}
    assert set(rows) <= {"ch 613", "ch 629", "ch 1537"}       # no row runs across the gap
    if "ch 629" in rows:
        assert rows["ch 629"] == frame[16:30].tolist()        # the rest of the first range only
    if "ch 1537" in rows:
        assert rows["ch 1537"] == frame[30:38].tolist()       # labelled by its true channel
    assert frame[16:38].any()                                  # so at least one of them is shown


def test_inspect_shows_our_index_of_a_compiled_file(show, tmp_path, capsys):
    path = tmp_path / "c.fseq"
    cli.run(["compile", "shows/show.yaml", "-o", str(path), "-q"])
    capsys.readouterr()
    assert cli.run(["inspect", str(path)]) == 0
    out = capsys.readouterr().out
    assert "lightshow index: 't', 20 fps, frames 0..60, universes 1, 3" in out
    assert "  chapter one: frames 0-60" in out


def test_inspect_refuses_junk_and_a_frame_outside(show, tmp_path, capsys):
    junk = tmp_path / "junk.fseq"
    junk.write_bytes(b"PSEQ" + bytes(10))
    assert cli.run(["inspect", str(junk)]) == 1
    assert "is not a readable FSEQ v2 file" in capsys.readouterr().err
    path = tmp_path / "out.fseq"
    cli.run(["export", "shows/show.yaml", "--fseq", str(path)])
    assert cli.run(["inspect", str(path), "--frame", "60"]) == 1
    assert "outside the file's frames 0..59" in capsys.readouterr().err


def variable_headers(data: bytes) -> dict[str, bytes]:
    """FSEQ v2 variable headers: uint16 LE length (with its 4 header bytes), a 2-letter code, the data."""
    data_offset, first_var = struct.unpack_from("<H", data, 4)[0], struct.unpack_from("<H", data, 8)[0]
    found, pos = {}, first_var
    while pos + 4 <= data_offset:
        length = struct.unpack_from("<H", data, pos)[0]
        if length < 4:
            break
        found[data[pos + 2:pos + 4].decode()] = data[pos + 4:pos + length]
        pos += length
    return found


def test_export_names_the_soundtrack_in_the_media_header(project, tmp_path):
    from lightshow.load.audio_file import write_audio

    project.fixture("bar10", RGB_PIXEL_BAR.format(n=10))
    project.rig("name: t\npatch:\n  - {id: b, profile: bar10, universe: 1, address: 1}\n")
    write_audio(str(project.root / "shows" / "歌 song.ogg"), np.zeros((8000 * 3, 2)), 8000)
    project.show("title: t\nrig: rig.yaml\nfps: 20\naudio: {path: 歌 song.ogg}\nchapters:\n  - id: one\n"
                 "    cues:\n      - {id: rain, target: all, effect: rainbow, duration: 3}\n")
    out = tmp_path / "show.fseq"
    assert cli.run(["export", "shows/show.yaml", "--fseq", str(out)]) == 0
    headers = variable_headers(out.read_bytes())
    assert headers["mf"] == "歌 song.ogg".encode() + b"\0" and headers["sp"].startswith(b"lightshow")
