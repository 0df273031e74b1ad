"""Patching: auto-addressing keeps pixels whole; overlaps and overflows are caught."""

from lightshow.diagnostics import format_diagnostics
from lightshow.load.project import Project

from tests.projects import RGB_PIXEL_BAR, RGBW_PIXEL_BAR


def load_rig(project, text):
    path = project.rig("name: test\npatch:\n" + text)
    rig, problems = Project().load_rig(str(path.relative_to(project.root)))
    return rig, format_diagnostics(problems)


def test_auto_keeps_170_rgb_pixels_per_universe(project):
    project.fixture("bar200", RGB_PIXEL_BAR.format(n=200))
    rig, problems = load_rig(project, "  - {id: a, profile: bar200, universe: 3, address: auto}\n")
    assert problems == ""
    (bar,) = rig.fixtures
    assert [(s.universe, s.address, s.first_slot, s.n_slots) for s in bar.segments] == [
        (3, 1, 0, 510), (4, 1, 510, 90)]


def test_auto_keeps_128_rgbw_pixels_per_universe(project):
    project.fixture("bar130", RGBW_PIXEL_BAR.format(n=130))
    rig, problems = load_rig(project, "  - {id: a, profile: bar130, universe: 0, address: auto}\n")
    assert problems == ""
    assert [(s.universe, s.address, s.n_slots) for s in rig.fixtures[0].segments] == [
        (0, 1, 512), (1, 1, 8)]


def test_auto_follows_manual_patches_and_moves_whole_fixtures_on(project):
    rig, problems = load_rig(project, """\
  - {id: m, profile: par, universe: 0, address: 505}
  - {id: a, profile: par, universe: 0, address: auto}
  - {id: b, profile: par, universe: 0, address: auto}
""")
    assert problems == ""
    placed = {f.id: [(s.universe, s.address) for s in f.segments] for f in rig.fixtures}
    assert placed == {"m": [(0, 505)], "a": [(0, 509)], "b": [(1, 1)]}


def test_array_with_manual_address_places_elements_back_to_back(project):
    rig, problems = load_rig(project, "  - {id: p, profile: par, universe: 2, address: 11, "
                                      "array: {columns: 3}}\n")
    assert problems == ""
    assert [(f.id, f.address) for f in rig.fixtures] == [("p.1", 11), ("p.2", 15), ("p.3", 19)]
    assert rig.arrays == {"p": ("p.1", "p.2", "p.3")}


def test_overlap_is_reported_once_at_the_later_fixture(project):
    rig, problems = load_rig(project, """\
  - {id: a, profile: par, universe: 1, address: 1}
  - {id: b, profile: par, universe: 1, address: 3}
""")
    assert problems == ("shows/rig.yaml:4:5: error[address-overlap]: fixture 'b' (universe 1, "
                        "channels 3-6) overlaps fixture 'a' (channels 1-4, patched at "
                        "shows/rig.yaml:3:5)")


def test_fixture_crossing_the_universe_end(project):
    _, problems = load_rig(project, "  - {id: a, profile: par, universe: 1, address: 510}\n")
    assert problems == ("shows/rig.yaml:3:5: error[universe-overflow]: fixture 'a' needs 4 "
                        "channels from address 510 and would end at 513, past the end of universe 1 "
                        "(512); use a lower address or 'address: auto' to split whole pixels "
                        "across universes")


def test_array_positions_are_centred_and_rotated(project):
    rig, problems = load_rig(project, "  - {id: p, profile: par, universe: 0, address: auto, "
                                      "position_m: [10, 5, 0], rotation_deg: 90, "
                                      "array: {columns: 3, pitch_m: [2, 0]}}\n")
    assert problems == ""
    positions = [tuple(round(v, 6) for v in f.position_m) for f in rig.fixtures]
    assert positions == [(10.0, 3.0, 0.0), (10.0, 5.0, 0.0), (10.0, 7.0, 0.0)]


def test_groups_resolve_selectors_in_rig_order(project):
    rig, problems = load_rig(project, """\
  - {id: b01-a, profile: par, universe: 0, address: auto}
  - {id: b02-a, profile: par, universe: 0, address: auto}
  - {id: b01-b, profile: par, universe: 0, address: auto}
groups:
  west: ["b01-*"]
  both: [b02-a, west]
  pars: ["profile:par"]
""")
    assert problems == ""
    assert rig.groups["west"].fixture_ids == ("b01-a", "b01-b")
    assert rig.groups["both"].fixture_ids == ("b01-a", "b02-a", "b01-b")
    assert len(rig.groups["pars"].fixture_ids) == 3
