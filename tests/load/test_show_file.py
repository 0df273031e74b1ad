"""Shows: cue times in all their forms, templates, colours, targets."""

import pytest

from lightshow.diagnostics import format_diagnostics
from lightshow.errors import DiagnosticsError
from lightshow.load.project import Project, load_show

RIG = """\
name: test
patch:
  - {id: p, profile: par, universe: 0, address: auto, array: {columns: 4}}
groups:
  left: [p.1, p.2]
"""


def show_of(project, body: str):
    project.rig(RIG)
    path = project.show("title: t\nrig: rig.yaml\n" + body)
    show, problems = Project().load_show(str(path.relative_to(project.root)))
    return show, format_diagnostics(problems)


def test_cue_start_forms(project):
    show, problems = show_of(project, """\
chapters:
  - id: one
    start: 10
    cues:
      - {id: a, start: 0, duration: 5, target: all, effect: solid}
      - {id: b, start: "+2", duration: 5, target: left, effect: solid}
      - {id: c, start: after, duration: 1:00, target: p.3, effect: solid}
      - {id: d, start: after+0.5, delay: 1, duration: 2, target: all, effect: solid}
      - {id: e, start: "0:30", duration: 1, target: all, effect: solid}
      - {id: f, duration: 1, target: all, effect: solid}
""")
    assert problems == ""
    times = {c.id: (c.start_s, c.end_s) for c in show.cues()}
    assert times == {"a": (10, 15), "b": (12, 17), "c": (17, 77), "d": (78.5, 80.5),
                     "e": (40, 41), "f": (41, 42)}
    (chapter,) = show.chapters
    assert (chapter.start_s, chapter.duration_s) == (10, 70.5)
    assert show.duration_s == 80.5 and show.n_frames == 3220


def test_templates_colours_and_targets(project):
    show, problems = show_of(project, """\
fps: 25
colours: {brand: "#102030"}
templates:
  wash: {duration: 4, fade_in: {duration: 1, easing: sine}, fade_out: 1, effect: solid,
         params: {color: gold}, target: left}
chapters:
  - id: one
    cues:
      - {template: wash}
      - {template: wash, params: {color: brand}, target: [p.4, "p.[12]"], easing: cubic}
""")
    assert problems == ""
    first, second = show.cues()
    assert first.id == "one.1" and second.id == "one.2"
    assert first.fade_in.easing == "sine" and first.fade_out.easing == "linear"
    assert second.fade_out.easing == "cubic"
    assert first.params["color"] == pytest.approx((1.0, 200 / 255, 40 / 255))
    assert second.params["color"] == pytest.approx((16 / 255, 32 / 255, 48 / 255))
    assert first.fixture_ids == ("p.1", "p.2")
    assert second.fixture_ids == ("p.1", "p.2", "p.4")
    assert show.fps == 25


def test_problems_in_cues_are_all_reported(project):
    _, problems = show_of(project, """\
chapters:
  - id: one
    duration: 10
    cues:
      - {id: a, duration: 12, target: lefty, effect: solid, params: {colour: red}}
      - {id: a, duration: 2, target: all, effect: chaes}
      - {id: c, duration: 2, fade_in: 2, fade_out: 1, target: all, effect: solid}
""")
    assert problems.splitlines() == [
        "shows/show.yaml:7:9: error[cue-outside-chapter]: cue 'a' runs 0:00.000-0:12.000, "
        "outside its chapter 'one' (0:00.000-0:10.000)",
        "shows/show.yaml:7:39: error[unknown-group]: unknown group or fixture 'lefty' "
        "(did you mean 'left'?)",
        "shows/show.yaml:7:70: error[unknown-param]: unknown key 'colour' in solid params "
        "(did you mean 'color'?)",
        "shows/show.yaml:8:14: error[duplicate-id]: cue id 'a' is already used at shows/show.yaml:7:14",
        "shows/show.yaml:8:51: error[unknown-effect]: unknown effect 'chaes' (did you mean 'chase'?)",
        "shows/show.yaml:9:9: error[cue-outside-chapter]: cue 'c' runs 0:14.000-0:16.000, "
        "outside its chapter 'one' (0:00.000-0:10.000)",
        "shows/show.yaml:9:9: error[invalid-value]: cue 'c' fades (2 s in + 1 s out) are longer "
        "than the cue (2 s)",
    ]


def load_errors(project, path) -> list[str]:
    """The diagnostics ``load_show`` raises for the show at ``path``, formatted."""
    with pytest.raises(DiagnosticsError) as info:
        load_show(str(path.relative_to(project.root)))
    return [d.format() for d in info.value.diagnostics]


def test_load_show_raises_with_diagnostics(project):
    project.rig(RIG)
    path = project.show("title: t\nrig: missing.yaml\nchapters: [{id: a, duration: 1}]\n")
    assert load_errors(project, path) == [
        "shows/show.yaml:2:6: error[file-not-found]: cannot read rig file 'shows/missing.yaml': "
        "no such file"]


@pytest.mark.parametrize("rig, expected", [
    ("name: test\npatch: []\n", "2:8: error[empty-patch]: the rig patches no fixtures: 'patch' is "
                                "an empty list; give at least one fixture"),
    ("- name: test\n- patch: []\n", "1:1: error[wrong-type]: a rig file must be a mapping at the "
                                    "top level (with keys name, patch), found a list"),
])
def test_a_rig_with_nothing_to_patch_is_an_error_where_it_says_so(project, rig, expected):
    project.rig(rig, "bad.yaml")
    path = project.show("title: t\nrig: bad.yaml\nchapters: [{id: a, duration: 1}]\n")
    assert load_errors(project, path) == ["shows/bad.yaml:" + expected]


def test_a_show_file_that_is_a_list_says_so(project):
    path = project.show("- title: t\n- rig: rig.yaml\n")
    assert load_errors(project, path) == [
        "shows/show.yaml:1:1: error[wrong-type]: a show file must be a mapping at the top level "
        "(with keys title, rig, chapters), found a list"]


def test_a_strobe_whose_flashes_or_gaps_are_shorter_than_a_frame_is_an_error_at_its_rate(project):
    cues = ("chapters:\n  - id: a\n    cues:\n"
            "      - {duration: 2, target: all, effect: strobe, params: {rate_hz: 12, duty: 0.5}}\n"
            "      - {duration: 2, target: all, effect: strobe, params: {rate_hz: 10, duty: 0.5}}\n"
            "      - {duration: 2, target: all, effect: strobe, params: {rate_hz: 15, duty: 0.25}}\n"
            "      - {duration: 2, target: all, effect: strobe, params: {rate_hz: 20, duty: 0.6}}\n")
    show, problems = show_of(project, "fps: 20\n" + cues)
    assert problems.splitlines() == [
        "shows/show.yaml:7:70: error[invalid-value]: a strobe at 12 Hz with duty 0.5 needs at least "
        "24 fps (a lit and a dark frame each flash); this show runs at 20 fps: at most 10 Hz at "
        "this duty",
        "shows/show.yaml:9:70: error[invalid-value]: a strobe at 15 Hz with duty 0.25 needs at "
        "least 60 fps (a lit and a dark frame each flash); this show runs at 20 fps: at most 5 Hz "
        "at this duty",
        "shows/show.yaml:10:70: error[invalid-value]: a strobe at 20 Hz with duty 0.6 needs at "
        "least 50 fps (a lit and a dark frame each flash); this show runs at 20 fps: at most 8 Hz "
        "at this duty"]
    show, problems = show_of(project, "fps: 40\n" + cues.replace("rate_hz: 15", "rate_hz: 10")
                             .replace("rate_hz: 20", "rate_hz: 16"))
    assert problems == "" and len(show.cues()) == 4
