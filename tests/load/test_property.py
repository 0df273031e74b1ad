"""Property tests: whatever bytes a file holds, validating it yields diagnostics, never an exception.

(a) random bytes, random text and random YAML-looking token soup, validated as a show, a rig,
    a fixture profile and "tell by its keys"; and random documents with the keys of each kind
    and values of any shape, dumped as YAML, so that the field readers and cross-checks (not
    only the YAML parser) see garbage;
(b) small mutations of the files shipped in ``shows/`` and ``fixtures/``: delete a line,
    duplicate a line, swap two lines, replace a character by a YAML-significant one,
    truncate.  The shipped rig names ``../fixtures``, so ``shows/`` and ``fixtures/`` are
    copied into a temporary folder with the same layout before they are mutated.

Every diagnostic must also be well formed: a Diagnostic, a non-empty message, a place inside
the file it names, and printable as UTF-8.  Crashes found so far are pinned with ``@example``
(and as cases of the corpus) so that they fail on every run until the loader is fixed.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, note, settings
from hypothesis import strategies as st

from lightshow.diagnostics import Diagnostic, Severity, format_diagnostics
from lightshow.load.project import Project

REPO = Path(__file__).resolve().parents[2]
SHOW_FILE = "shows/anniversary.yaml"
RIG_FILE = "shows/riverfront.rig.yaml"
FIXTURE_FILES = sorted(f"fixtures/{p.name}" for p in (REPO / "fixtures").glob("*.yaml"))
KINDS = ("show", "rig", "fixture", None)
YAML_SIGNIFICANT = list(":-[]{}&*!|>'\"%@\t\n#,?")

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large],
)


# -- checking one validation ----------------------------------------------------------------

def _line_count(path: Path) -> int:
    """Lines as the YAML 1.1 reader counts them (NEL, LS and PS break lines too).

    Editors count only CR, LF and CRLF; that mismatch is a loader bug kept in the corpus
    (case ``53-line-separator-in-title``), so this bound only catches places that are absurd.
    """
    text = path.read_bytes().decode("utf-8", "replace")
    return len(re.findall(r"\r\n|[\r\n\x85\u2028\u2029]", text)) + 1


def check_validation(project: Project, path: Path, kind: str | None) -> list[Diagnostic]:
    """Validate ``path`` (relative to the cwd); every outcome must be well-formed diagnostics."""
    rel = os.path.relpath(path)
    result = project.validate(rel, kind)
    assert isinstance(result, list), f"validate returned {type(result).__name__}, not a list"
    for diagnostic in result:
        assert isinstance(diagnostic, Diagnostic), f"not a Diagnostic: {diagnostic!r}"
        assert isinstance(diagnostic.severity, Severity)
        assert diagnostic.code and diagnostic.message, f"empty code or message: {diagnostic!r}"
        span = diagnostic.span
        assert span.line >= 0 and span.col >= 0, f"negative place: {diagnostic.format()}"
        if span.line > 0:
            assert span.col >= 1, f"line without a column: {diagnostic.format()}"
        if os.path.normpath(span.path) == os.path.normpath(rel) and span.line > 0:
            # a mark may sit at the very end, one line past the last newline
            assert span.line <= _line_count(path) + 1, (
                f"place past the end of the file: {diagnostic.format()}")
    # what the CLI prints must be printable
    format_diagnostics(result).encode("utf-8")
    return result


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


# -- (a) random input -------------------------------------------------------------------------

# words and punctuation of the three file kinds, so that random soup gets past the YAML parser
# and into the field readers and the cross-checks
TOKENS = [
    "\n", "\n", "\n", "  ", "  ", "    ", "- ", ": ", ":", ", ", "{", "}", "[", "]", "&a ", "*a",
    "<<: ", "!!str ", "!!python/object ", "#", "'", '"', "---\n", "? ",
    "title: ", "rig: ", "rig: rig.yaml", "fps: ", "duration: ", "colours: ", "palettes: ",
    "templates: ", "chapters: ", "id: ", "cues: ", "start: ", "fade_in: ", "fade_out: ",
    "easing: ", "delay: ", "target: ", "effect: ", "params: ", "layer: ", "blend: ",
    "opacity: ", "priority: ", "template: ", "color: ", "solid", "all", "pars", "par1",
    "name: ", "library: ", "library: [fixtures]", "nodes: ", "ip: ", "universes: ",
    "protocol: ", "patch: ", "groups: ", "profile: ", "profile: par", "mode: ", "universe: ",
    "address: ", "auto", "position_m: ", "rotation_deg: ", "array: ", "columns: ", "rows: ",
    "pitch_m: ", "pixels: ", "order: ", "manufacturer: ", "size_m: ", "dimmer_curve: ",
    "gamma: ", "channels: ", "modes: ", "kind: ", "default: ", "fine: ", "range_deg: ",
    "range_k: ", "red", "green", "blue", "pan", "pan_fine", "3ch", "intensity",
    "0", "1", "010", "512", "513", "40000", "1:30", "1:02:03.5", "-1", "+2", "after", "after+1",
    "1e400", "0.5", "on", "yes", "null", "~", "#ff8800", "rgb(1, 2, 3)", "10.0.0.1",
    "\t", "\r\n", "\x00", "\ufeff", "同心", "\u2028",
]
TOKEN_SOUP = st.lists(st.sampled_from(TOKENS), max_size=80).map("".join)

PAR_PROFILE = """\
name: Test Par RGB
channels:
  red: red
  green: green
  blue: blue
modes:
  3ch:
    channels: [red, green, blue]
"""
PAR_RIG = """\
name: Test rig
library: [fixtures]
patch:
  - {id: par1, profile: par, mode: 3ch, universe: 0, address: 1}
groups:
  pars: [par1]
"""


def _write_neighbours(folder: Path) -> None:
    """A small valid rig and profile next to the random file, for ``rig: rig.yaml``."""
    (folder / "fixtures").mkdir(exist_ok=True)
    (folder / "fixtures" / "par.yaml").write_text(PAR_PROFILE, encoding="utf-8")
    (folder / "rig.yaml").write_text(PAR_RIG, encoding="utf-8")


@pytest.mark.parametrize("kind", KINDS)
@SETTINGS
@given(data=st.binary(max_size=4096))
def test_random_bytes(workdir, kind, data):
    path = workdir / "main.yaml"
    path.write_bytes(data)
    check_validation(Project(), path, kind)


@pytest.mark.parametrize("kind", KINDS)
@SETTINGS
@given(text=st.text(max_size=2000))
def test_random_text(workdir, kind, text):
    path = workdir / "main.yaml"
    path.write_bytes(text.encode("utf-8"))
    check_validation(Project(), path, kind)


@pytest.mark.parametrize("kind", KINDS)
@SETTINGS
@given(text=TOKEN_SOUP)
# found by hand: int() refuses more than 4300 digits (corpus 19-huge-integer)
@example(text="name: R\nlibrary: [fixtures]\npatch:\n  - {id: p, profile: par, mode: 3ch, "
              "universe: " + "9" * 5000 + ", address: 1}\n")
def test_random_yaml_soup(workdir, kind, text):
    _write_neighbours(workdir)
    path = workdir / "main.yaml"
    path.write_bytes(text.encode("utf-8"))
    check_validation(Project(), path, kind)


# random documents shaped like the three file kinds: the right keys with values of any shape,
# dumped as YAML; they get past the parser and exercise every field reader and cross-check

SCALARS = st.one_of(
    st.sampled_from(["", "~", "on", "yes", "010", "1:30", "auto", "after", "+1", "after+2",
                     "#ff8800", "rgb(1, 2, 300)", "red", "brand", "pars", "par1", "par*", "all",
                     "profile:par", "3ch", "10.0.0.1", "10.0.0.256", "1e400", "-0", "0:05.5",
                     "9" * 5000]),
    st.integers(-(10 ** 6), 10 ** 6), st.floats(), st.booleans(), st.none(),
    st.text(max_size=8),
)
ANY = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["id", "kind", "pixels", "<<", "x", "duration"]) | st.text(max_size=4),
        inner, max_size=4),
    max_leaves=12,
)


def maybe(*good) -> st.SearchStrategy:
    """Mostly a plausible value, sometimes anything at all."""
    plausible = st.sampled_from(good) if all(not isinstance(g, st.SearchStrategy) for g in good) \
        else st.one_of(*good)
    return st.one_of(plausible, plausible, ANY)


def some(fields: dict) -> st.SearchStrategy:
    return st.fixed_dictionaries({}, optional=fields)


SECONDS = maybe(0, 1, 2.5, 10, "0:05", "1:30", 3600)
CUE_FIELDS = {
    "start": maybe(0, 5, "+1", "after", "after+2", "1:30"),
    "duration": SECONDS, "fade_in": maybe(SECONDS, some({"duration": SECONDS, "easing": ANY})),
    "fade_out": SECONDS, "easing": maybe("linear", "sine", "sin"), "delay": SECONDS,
    "target": maybe(st.sampled_from(["pars", "par1", "all", "p*", "profile:par", "nope"]),
                    st.lists(st.sampled_from(["pars", "par1", "nope", "", ["par1"]]), max_size=3)),
    "effect": maybe("solid", "soild"),
    "params": maybe(some({"color": maybe("red", "brand", "#fff", [1, 2, 3], "rgb(1, 2, 3)")})),
    "layer": maybe(0, 99, 100), "blend": maybe("normal", "add"), "opacity": maybe(0, 0.5, 2),
    "priority": maybe(0, -100),
}
CUE = some({"id": maybe("c1", "c2"), "template": maybe("wash", "nope"), **CUE_FIELDS})
CHAPTER = some({"id": maybe("intro", "finale"), "title": maybe("Intro"), "start": SECONDS,
                "duration": SECONDS, "cues": maybe(st.lists(CUE, max_size=4))})
SHOW_DOC = st.fixed_dictionaries(
    {"title": maybe("T"), "rig": maybe("rig.yaml", "missing.yaml", "fixtures", "main.yaml"),
     "chapters": maybe(st.lists(CHAPTER, max_size=3))},
    optional={"fps": maybe(40, 60, 0), "duration": SECONDS,
              "colours": maybe(st.dictionaries(st.sampled_from(["brand", "red"]),
                                               maybe("#ff8800", [1, 2, 3], "brand"), max_size=2)),
              "palettes": maybe(st.dictionaries(st.sampled_from(["warm"]),
                                                st.lists(maybe("red", "brand"), max_size=3))),
              "templates": maybe(st.dictionaries(st.sampled_from(["wash", "w2"]),
                                                 some(CUE_FIELDS), max_size=2))})
PATCH_ENTRY = some({
    "id": maybe("par1", "par2", "row", "row.1", "pars"), "profile": maybe("par", "par", "nope"),
    "mode": maybe("3ch", "4ch", "nope"), "universe": maybe(0, 1, 32767, 40000),
    "address": maybe(1, 4, 510, 512, 513, "auto"), "position_m": maybe([0, 0, 0]),
    "rotation_deg": maybe(0, 90), "array": maybe(some({"columns": maybe(1, 2, 200),
                                                       "rows": maybe(1, 2),
                                                       "pitch_m": maybe([1, 0], ["x", 1])})),
})
NODE = some({"name": maybe("n1", "n2"), "ip": maybe("10.0.0.1", "10.0.0.256"),
             "universes": maybe(0, [0, 3], [5, 2], [0], ["x", 3]), "protocol": maybe("artnet", "dmx")})
RIG_DOC = st.fixed_dictionaries(
    {"name": maybe("R"), "library": maybe(["fixtures"], ["nope"], "fixtures"),
     "patch": maybe(st.lists(PATCH_ENTRY, max_size=4))},
    optional={"nodes": maybe(st.lists(NODE, max_size=3)),
              "groups": maybe(st.dictionaries(
                  st.sampled_from(["pars", "g1", "g2", "par1"]),
                  maybe(st.sampled_from(["par1", "g1", "g2", "row", "p*"]),
                        st.lists(st.sampled_from(["par1", "g1", "g2", "pars", "x*", "", ["g1"]]),
                                 max_size=3)),
                  max_size=3))})
CHANNEL = maybe(st.sampled_from(["red", "green", "blue", "pan", "intensity", "bleu"]),
                some({"kind": maybe("pan", "red", "color_temperature"),
                      "default": maybe(0, 255, 256), "fine": maybe("pan_fine", ["f1", "f2"]),
                      "range_deg": maybe(540), "range_k": maybe([2700, 6500])}))
FIXTURE_DOC = st.fixed_dictionaries(
    {"name": maybe("F"),
     "channels": maybe(st.dictionaries(st.sampled_from(["red", "green", "blue", "pan", "pan_fine"]),
                                       CHANNEL, max_size=5)),
     "modes": maybe(st.dictionaries(
         st.sampled_from(["3ch", "4ch"]),
         some({"channels": maybe(st.lists(maybe(
             st.sampled_from(["red", "green", "blue", "pan", "pan_fine", "f1"]),
             some({"pixels": maybe(st.lists(st.sampled_from(["red", "green", "blue"]),
                                            max_size=3))})), max_size=5))}),
         max_size=2))},
    optional={"pixels": maybe(some({"columns": maybe(1, 16, 5000), "rows": maybe(1, 2),
                                    "order": maybe("rows", "snake")})),
              "dimmer_curve": maybe("gamma", "gama"), "gamma": maybe(2.2, 9),
              "size_m": maybe([1, 1, 1])})
GOOD_SHOW = """\
title: T
rig: rig.yaml
chapters:
  - id: intro
    cues:
      - {id: c1, target: pars, effect: solid, duration: 10}
"""


def _dump(document, flow: bool) -> bytes:
    return yaml.safe_dump(document, default_flow_style=flow, allow_unicode=True,
                          sort_keys=False).encode("utf-8")


def _show_with_cue(**fields) -> dict:
    cue = {"id": "c1", "target": "pars", "effect": "solid", "duration": 10, **fields}
    return {"title": "T", "rig": "rig.yaml", "chapters": [{"id": "intro", "cues": [cue]}]}


@SETTINGS
@given(document=SHOW_DOC, flow=st.sampled_from([False, None]))
# crashes this test found once; kept so that they are checked on every run
@example(document=_show_with_cue(start=[5]), flow=None)
@example(document=_show_with_cue(fade_in={"duration": "abc"}), flow=None)
@example(document=_show_with_cue(fade_out={"easing": "sine"}), flow=None)
@example(document=_show_with_cue(target=[["par1"], "par1"]), flow=None)
@example(document={**_show_with_cue(), "duration": "soon"}, flow=None)
def test_random_show_documents(workdir, document, flow):
    _write_neighbours(workdir)
    path = workdir / "main.yaml"
    path.write_bytes(_dump(document, flow))
    check_validation(Project(), path, None)


def _rig_with(entry: dict | None = None, **fields) -> dict:
    patch = {"id": "par1", "profile": "par", "mode": "3ch", "universe": 0, "address": 1,
             **(entry or {})}
    return {"name": "R", "library": ["fixtures"], "patch": [patch], **fields}


@SETTINGS
@given(document=RIG_DOC, flow=st.sampled_from([False, None]))
# crashes this test (or a mutated shipped rig) found once; checked on every run
@example(document=_rig_with(groups={"pars": ["par1", ""]}), flow=None)
@example(document=_rig_with(groups={"pars": [["par1"]]}), flow=None)
@example(document=_rig_with(nodes=[{"name": "n", "ip": "10.0.0.1", "universes": [-7, 3]}]),
         flow=None)
@example(document=_rig_with({"array": {"columns": 2, "pitch_m": ["x", 1]}}), flow=None)
def test_random_rig_documents(workdir, document, flow):
    _write_neighbours(workdir)
    (workdir / "rig.yaml").write_bytes(_dump(document, flow))
    (workdir / "main.yaml").write_text(GOOD_SHOW, encoding="utf-8")
    check_validation(Project(), workdir / "rig.yaml", None)
    check_validation(Project(), workdir / "main.yaml", "show")


@SETTINGS
@given(document=FIXTURE_DOC, flow=st.sampled_from([False, None]))
def test_random_fixture_documents(workdir, document, flow):
    _write_neighbours(workdir)
    (workdir / "fixtures" / "par.yaml").write_bytes(_dump(document, flow))
    (workdir / "main.yaml").write_text(GOOD_SHOW, encoding="utf-8")
    check_validation(Project(), workdir / "fixtures" / "par.yaml", "fixture")
    check_validation(Project(), workdir / "main.yaml", "show")


# -- (b) mutations of the shipped files --------------------------------------------------------

MUTATIONS = ("delete_line", "duplicate_line", "swap_lines", "replace_char", "truncate")
# (operation, first place, second place, replacement character); places wrap around the text,
# so a failing example reads as a short list of edits rather than a whole mutated file
EDITS = st.lists(st.tuples(st.sampled_from(MUTATIONS), st.integers(0, 2 ** 31),
                           st.integers(0, 2 ** 31), st.sampled_from(YAML_SIGNIFICANT)),
                 min_size=1, max_size=3)


def _split_lines(text: str) -> list[str]:
    lines = text.split("\n")
    return [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])


def apply_edits(text: str, edits) -> str:
    """``text`` after the edits; each is noted so that a failure says what was changed."""
    for op, a, b, char in edits:
        lines = _split_lines(text)
        if op == "delete_line" and lines:
            i = a % len(lines)
            note(f"delete line {i + 1}: {lines[i]!r}")
            del lines[i]
            text = "".join(lines)
        elif op == "duplicate_line" and lines:
            i = a % len(lines)
            note(f"duplicate line {i + 1}: {lines[i]!r}")
            lines.insert(i, lines[i])
            text = "".join(lines)
        elif op == "swap_lines" and lines:
            i, j = a % len(lines), b % len(lines)
            note(f"swap lines {i + 1} and {j + 1}")
            lines[i], lines[j] = lines[j], lines[i]
            text = "".join(lines)
        elif op == "replace_char" and text:
            i = a % len(text)
            line = text.count("\n", 0, i) + 1
            col = i - (text.rfind("\n", 0, i) + 1) + 1
            note(f"replace {text[i]!r} at {line}:{col} by {char!r}")
            text = text[:i] + char + text[i + 1:]
        elif op == "truncate":
            i = a % (len(text) + 1)
            note(f"truncate to {i} characters (line {text.count(chr(10), 0, i) + 1})")
            text = text[:i]
    return text


@pytest.fixture(scope="module")
def shipped_copy(tmp_path_factory):
    """``shows/`` and ``fixtures/`` copied side by side, as the rig's ``../fixtures`` needs."""
    root = tmp_path_factory.mktemp("shipped")
    shutil.copytree(REPO / "shows", root / "shows")
    shutil.copytree(REPO / "fixtures", root / "fixtures")
    return root


@pytest.fixture
def shipped(shipped_copy, monkeypatch):
    monkeypatch.chdir(shipped_copy)
    return shipped_copy


class Mutated:
    """Writes a mutated copy of one shipped file and puts the original back afterwards."""

    def __init__(self, root: Path, rel: str, text: str):
        self.path, self.original = root / rel, (REPO / rel).read_bytes()
        self.text = text

    def __enter__(self) -> Path:
        self.path.write_bytes(self.text.encode("utf-8"))
        return self.path

    def __exit__(self, *exc) -> None:
        self.path.write_bytes(self.original)


def _shipped_text(rel: str) -> str:
    return (REPO / rel).read_text(encoding="utf-8")


def test_shipped_files_are_clean(shipped):
    """The baseline the mutations start from validates without a word."""
    project = Project()
    for rel in (SHOW_FILE, RIG_FILE, *FIXTURE_FILES):
        assert check_validation(project, shipped / rel, None) == [], rel


# one Project for every mutated show: the rig it names is unchanged, so reading it once is
# both faster and what a long validation run does
_SHOW_PROJECT: list[Project] = []


@SETTINGS
@given(edits=EDITS)
def test_mutated_show(shipped, edits):
    text = apply_edits(_shipped_text(SHOW_FILE), edits)
    if not _SHOW_PROJECT:
        _SHOW_PROJECT.append(Project())
    with Mutated(shipped, SHOW_FILE, text) as path:
        check_validation(_SHOW_PROJECT[0], path, "show")
        check_validation(Project(), path, None)


@SETTINGS
@given(edits=EDITS)
def test_mutated_rig(shipped, edits):
    text = apply_edits(_shipped_text(RIG_FILE), edits)
    with Mutated(shipped, RIG_FILE, text) as path:
        check_validation(Project(), path, "rig")


@pytest.mark.parametrize("rel", FIXTURE_FILES)
@SETTINGS
@given(edits=EDITS)
def test_mutated_fixture(shipped, rel, edits):
    text = apply_edits(_shipped_text(rel), edits)
    with Mutated(shipped, rel, text) as path:
        check_validation(Project(), path, "fixture")
        check_validation(Project(), path, None)


@settings(SETTINGS, max_examples=60)
@given(rel=st.sampled_from(FIXTURE_FILES), edits=EDITS)
def test_mutated_fixture_through_the_show(shipped, rel, edits):
    """A broken profile must come out as diagnostics when the show that uses it is validated."""
    text = apply_edits(_shipped_text(rel), edits)
    assume(text != _shipped_text(rel))
    with Mutated(shipped, rel, text):
        check_validation(Project(), shipped / SHOW_FILE, "show")
