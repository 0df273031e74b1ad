"""Rig files: the patch (fixtures placed in DMX and in space), groups and nodes."""

from __future__ import annotations

import ipaddress
import math
import os

from lightshow.diagnostics import Diagnostic, SourceSpan, did_you_mean, warning
from lightshow.load.addressing import PatchRequest, assign_addresses, find_overlaps
from lightshow.load.library import ProfileLibrary
from lightshow.load.source import Source
from lightshow.model.rig import MAX_UNIVERSE, Controller, Group, Node, PatchedFixture, Rig
from lightshow.model.selectors import ALL, SelectorScope, select
from lightshow.schema.combinators import ListOf, Located, OneOf
from lightshow.schema.reading import INVALID, ReadContext
from lightshow.schema.records import Field, MapOf, Record, Values, read_document
from lightshow.schema.scalars import Choice, Const, Float, Int, Name, Str

SELECTOR = Located(Str(what="a selector (group, fixture id, glob or profile:ID)", max_len=200))
SELECTORS = OneOf(ListOf(SELECTOR, 1), SELECTOR, what="a selector or a list of selectors")
UNIVERSE = Int(0, MAX_UNIVERSE)
VEC3 = ListOf(Float(-100000, 100000, "m"), 3, 3, what="[x, y, z] in metres")

ARRAY = Record("array", {
    "columns": Field(Int(1, 1000), required=True),
    "rows": Field(Int(1, 1000), default=1),
    "pitch_m": Field(ListOf(Float(0, 1000, "m"), 2, 2),
                     doc="[horizontal, vertical] spacing; default: the profile's size"),
}, doc="repeat the fixture in a grid; elements are named ID.1, ID.2 ... from the top-left")

PATCH_ENTRY = Record("patch entry", {
    "id": Field(Name("a fixture id"), required=True, doc="unique name of the fixture"),
    "profile": Field(Name("a fixture profile id"), required=True,
                     doc="file name (without .yaml) of a profile in the library"),
    "mode": Field(Name("a mode name"), doc="DMX mode; may be left out when the profile has one"),
    "universe": Field(UNIVERSE, required=True, doc="Art-Net port-address 0..32767"),
    "address": Field(OneOf(Int(1, 512), Const("auto"), what="an address from 1 to 512 or 'auto'"),
                     required=True, doc="1-based DMX start address, or auto"),
    "position_m": Field(VEC3, default=[0.0, 0.0, 0.0],
                        doc="centre of the fixture (or array) in metres: x along the river, y up,"
                            " z towards the viewer"),
    "rotation_deg": Field(Float(-360, 360, "degrees"), default=0.0,
                          doc="rotation in the facade plane, counter-clockwise"),
    "array": Field(ARRAY),
})

NODE = Record("node", {
    "name": Field(Name("a node name"), required=True),
    "ip": Field(Str(what="an IPv4 address"), required=True),
    "universes": Field(OneOf(UNIVERSE, ListOf(UNIVERSE, 2, 2), what="a universe or [first, last]"),
                       required=True),
    "protocol": Field(Choice(("artnet", "sacn")), default="artnet"),
    "burst_packets": Field(Int(1, 512), doc="pacing for small nodes: at most this many packets "
                                            "in a row (give burst_gap_ms too)"),
    "burst_gap_ms": Field(Float(0, 1000, "ms"), doc="pacing: quiet time between bursts"),
})

CONTROLLER = Record("controller", {
    "name": Field(Name("a controller name"), required=True,
                  doc="what `--controller NAME` (export, play, serve) calls it"),
    "universes": Field(OneOf(UNIVERSE, ListOf(UNIVERSE, 2, 2), what="a universe or [first, last]"),
                       doc="the universes it outputs (with groups: these and theirs)"),
    "groups": Field(SELECTORS, doc="groups, buildings, arrays or fixtures whose universes it outputs"),
}, doc="a controller (Falcon Player or lightshow remote) and the universes it outputs")

RIG = Record("rig", {
    "name": Field(Str(), required=True),
    "library": Field(ListOf(Located(Str(what="a folder path")), 1), default=None,
                     doc="folders of fixture profiles, relative to this file (default: ../fixtures)"),
    "nodes": Field(ListOf(NODE, partial=True), default=[]),
    "patch": Field(ListOf(PATCH_ENTRY, partial=True), required=True, doc="the fixtures"),
    "groups": Field(MapOf(SELECTORS, what="a mapping of group names to selectors"), default={}),
    "controllers": Field(ListOf(CONTROLLER, partial=True), default=[],
                         doc="split the show across controllers: each outputs its own universes"),
}, doc="A lightshow rig: patch, layout, groups and nodes")


def _element_positions(entry: Values, profile) -> list[tuple[str, tuple[float, float, float]]]:
    """(id, centre) of each fixture an entry makes: one, or an array's elements."""
    fixture_id = entry["id"]
    x, y, z = entry["position_m"]
    array = entry["array"]
    if array is None or not array.ok("columns", "rows", "pitch_m"):
        return [(fixture_id, (x, y, z))]
    columns, rows = array["columns"], array["rows"]
    pitch = array["pitch_m"] or [profile.size_m[0], profile.size_m[1]]
    angle = math.radians(entry["rotation_deg"])
    cos_a, sin_a = math.cos(angle), math.sin(angle)
    placed = []
    for row in range(rows):
        for column in range(columns):
            dx = (column - (columns - 1) / 2) * pitch[0]
            dy = ((rows - 1) / 2 - row) * pitch[1]
            placed.append((f"{fixture_id}.{row * columns + column + 1}",
                           (x + dx * cos_a - dy * sin_a, y + dx * sin_a + dy * cos_a, z)))
    return placed


def _read_nodes(values: Values, ctx: ReadContext) -> list[Node]:
    nodes = []
    names: dict[str, SourceSpan] = {}
    paced_by_ip: dict[str, Node] = {}
    for spec in values["nodes"] or ():
        if spec is INVALID or not spec.ok("name", "ip", "universes", "protocol", "burst_packets",
                                          "burst_gap_ms"):
            continue
        try:
            ip = str(ipaddress.IPv4Address(spec["ip"]))
        except ValueError:
            ctx.error_at(spec.span_of("ip"), "invalid-value",
                         f"expected an IPv4 address such as 10.0.1.20, found '{spec['ip']}'")
            continue
        universes = spec["universes"]
        first, last = (universes, universes) if isinstance(universes, int) else universes
        if first > last:
            ctx.error_at(spec.span_of("universes"), "invalid-value",
                         f"expected [first, last] with first <= last, found [{first}, {last}]")
            continue
        if spec["name"] in names:
            ctx.error_at(spec.span_of("name"), "duplicate-id",
                         f"node name '{spec['name']}' is already used at {names[spec['name']]}")
            continue
        burst_packets, burst_gap_ms = spec["burst_packets"], spec["burst_gap_ms"]
        if (burst_packets is None) != (burst_gap_ms is None):
            given, missing = (("burst_packets", "burst_gap_ms") if burst_gap_ms is None
                              else ("burst_gap_ms", "burst_packets"))
            ctx.error_at(spec.span_of(given), "missing-key",
                         f"node '{spec['name']}' has {given} but no {missing}: pacing needs both")
            continue
        names[spec["name"]] = spec.span_of("name")
        node = Node(spec["name"], ip, first, last, spec["protocol"], spec.span, burst_packets,
                    burst_gap_ms)
        other = paced_by_ip.setdefault(ip, node)
        if (other.burst_packets, other.burst_gap_ms) != (burst_packets, burst_gap_ms):
            ctx.error_at(spec.span_of("burst_packets" if burst_packets else "ip"), "invalid-value",
                         f"node '{node.name}' paces {ip} differently from node '{other.name}' "
                         f"at {other.span}; nodes at one address share their pacing")
            continue
        nodes.append(node)
    return nodes


class RigBuilder:
    """Turns a read rig document into a Rig, collecting every problem."""

    def __init__(self, path: str, values: Values, library: ProfileLibrary, ctx: ReadContext):
        self.path, self.values, self.library, self.ctx = path, values, library, ctx
        folder = os.path.dirname(path)
        self.folders = []
        for name, span in values["library"] or [("../fixtures", None)]:
            path = os.path.normpath(os.path.join(folder, name))
            if span is not None and not os.path.isdir(path):
                ctx.error_at(span, "file-not-found", f"library folder '{name}' does not exist")
            self.folders.append(path)
        self.failed_ids: set[str] = set()  # fixtures that could not be patched: not "unknown"

    def report(self, diagnostics: list[Diagnostic]) -> None:
        self.ctx.diagnostics.extend(diagnostics)

    def build(self) -> Rig | None:
        values = self.values
        entries = [e for e in (values["patch"] or ()) if e is not INVALID]
        requests, placed = self._requests(entries)
        segments, problems = assign_addresses(requests)
        self.report(problems)
        self.failed_ids.update(r.fixture_id for r in requests if r.fixture_id not in segments)
        spans = {r.fixture_id: r.span for r in requests}
        self.report(find_overlaps(segments, spans))
        fixtures = tuple(
            PatchedFixture(fid, profile, mode, segments[fid], position, rotation, array, spans[fid])
            for fid, profile, mode, position, rotation, array in placed if fid in segments)
        arrays: dict[str, tuple[str, ...]] = {}
        for fixture in fixtures:
            if fixture.array is not None:
                arrays[fixture.array] = arrays.get(fixture.array, ()) + (fixture.id,)
        nodes = _read_nodes(values, self.ctx)
        self._check_served(fixtures, nodes)
        groups = self._groups(fixtures, arrays)
        controllers = self._controllers(fixtures, arrays, groups)
        return Rig(values["name"] or "", self.path, fixtures, groups, tuple(nodes), arrays, controllers)

    def _controllers(self, fixtures, arrays, groups: dict[str, Group]) -> dict[str, Controller]:
        """Each controller's universes: its range and its groups' fixtures' universes; a universe
        output by two controllers, a range outside the rig's universes and an unknown group are
        errors; patched universes no controller outputs are a warning."""
        specs = [c for c in (self.values["controllers"] or ()) if c is not INVALID]
        if not specs:
            return {}
        universes_of = {f.id: {s.universe for s in f.segments} for f in fixtures}
        patched = sorted({u for us in universes_of.values() for u in us})
        scope = SelectorScope([f.id for f in fixtures], arrays, {}, {f.id: f.profile.id for f in fixtures})
        owner: dict[int, tuple[str, SourceSpan]] = {}
        controllers: dict[str, Controller] = {}
        for spec in specs:
            if not spec.ok("name", "universes", "groups"):
                continue
            name = spec["name"]
            if name in controllers:
                self.ctx.error_at(spec.span_of("name"), "duplicate-id",
                                  f"controller name '{name}' is already used at {controllers[name].span}")
                continue
            if spec["universes"] is None and spec["groups"] is None:
                self.ctx.error_at(spec.span, "missing-key",
                                  f"controller '{name}' outputs nothing: give universes, groups or both")
                continue
            chosen: set[int] = set()
            if spec["universes"] is not None:
                given = spec["universes"]
                first, last = (given, given) if isinstance(given, int) else given
                if first > last:
                    self.ctx.error_at(spec.span_of("universes"), "invalid-value",
                                      f"expected [first, last] with first <= last, found [{first}, {last}]")
                    continue
                outside = [u for u in (first, last) if patched and not patched[0] <= u <= patched[-1]]
                if outside or not any(first <= u <= last for u in patched):
                    self.ctx.error_at(spec.span_of("universes"), "universe-outside-rig",
                                      f"controller '{name}' names universes {first}..{last}, but the rig "
                                      f"patches universes {patched[0]}..{patched[-1]}" if patched else
                                      f"controller '{name}' names universes the rig does not patch")
                    continue
                chosen.update(u for u in patched if first <= u <= last)
            selectors = spec["groups"]
            for text, sel_span in ([] if selectors is None else
                                   [selectors] if isinstance(selectors, tuple) else selectors):
                if text in groups:
                    found = groups[text].fixture_ids
                else:
                    found, why = select(text, scope)
                    if why:
                        if not self._names_a_broken_fixture(text):
                            hint = did_you_mean(text, list(groups) + list(arrays))
                            self.ctx.error_at(sel_span, "unknown-group",
                                              f"controller '{name}': {why}" + ("" if "did you mean" in why
                                                                               else hint))
                        continue
                for fixture_id in found:
                    chosen.update(universes_of.get(fixture_id, ()))
            span = spec.span_of("universes") if spec["universes"] is not None else spec.span_of("groups")
            for universe in sorted(chosen):
                if universe in owner:
                    other, other_span = owner[universe]
                    self.ctx.error_at(span, "controller-overlap",
                                      f"universe {universe} is output by controller '{other}' "
                                      f"({other_span}) and by '{name}': a universe has one controller")
                    break
            else:
                for universe in chosen:
                    owner[universe] = (name, spec.span_of("name"))
            controllers[name] = Controller(name, tuple(sorted(chosen)), spec.span_of("name"))
        uncontrolled = [u for u in patched if u not in owner]
        if uncontrolled and controllers:
            shown = ", ".join(str(u) for u in uncontrolled[:12]) + (" ..." if len(uncontrolled) > 12 else "")
            self.ctx.diagnostics.append(warning(
                "uncontrolled-universe",
                f"{len(uncontrolled)} patched universe{'s' if len(uncontrolled) > 1 else ''} no controller "
                f"outputs: {shown}",
                self.values.span_of("controllers")))
        return controllers

    def _requests(self, entries: list[Values]):
        requests: list[PatchRequest] = []
        placed = []
        seen: dict[str, SourceSpan] = {}
        for entry in entries:
            if entry["id"] not in (None, INVALID):
                self.failed_ids.add(entry["id"])  # until it is patched below
            if not entry.ok("id", "profile", "mode", "universe", "address", "position_m",
                            "rotation_deg", "array"):
                continue
            profile, problems = self.library.find(entry["profile"], self.folders,
                                                  entry.span_of("profile"))
            self.report(problems)
            if profile is None:
                continue
            mode_name = entry["mode"]
            if mode_name is None:
                if len(profile.modes) != 1:
                    self.ctx.error_at(entry.span, "missing-key",
                                      f"patch entry is missing key 'mode': profile "
                                      f"'{profile.id}' has modes " + ", ".join(profile.modes))
                    continue
                mode_name = next(iter(profile.modes))
            mode = profile.modes.get(mode_name)
            if mode is None:
                self.ctx.error_at(entry.span_of("mode"), "unknown-mode",
                                  f"profile '{profile.id}' has no mode '{mode_name}'"
                                  f"{did_you_mean(mode_name, profile.modes)}; its modes are "
                                  + ", ".join(profile.modes))
                continue
            address = None if entry["address"] == "auto" else entry["address"]
            array_id = entry["id"] if entry["array"] is not None else None
            for fixture_id, position in _element_positions(entry, profile):
                if fixture_id in seen:
                    self.ctx.error_at(entry.span_of("id"), "duplicate-id",
                                      f"fixture id '{fixture_id}' is already used at {seen[fixture_id]}")
                    continue
                seen[fixture_id] = entry.span_of("id")
                requests.append(PatchRequest(fixture_id, mode, entry["universe"], address,
                                             entry.span))
                placed.append((fixture_id, profile, mode, position, entry["rotation_deg"], array_id))
                if address is not None:  # array elements follow one another
                    address += mode.n_channels
            self.failed_ids.discard(entry["id"])
        return requests, placed

    def _check_served(self, fixtures, nodes: list[Node]) -> None:
        if not nodes:
            return
        first_use: dict[int, SourceSpan] = {}
        for fixture in fixtures:
            for segment in fixture.segments:
                first_use.setdefault(segment.universe, fixture.span)
        for universe, span in sorted(first_use.items()):
            if not any(node.serves(universe) for node in nodes):
                self.ctx.diagnostics.append(warning(
                    "unserved-universe", f"universe {universe} is patched but no node serves it",
                    span))

    def _groups(self, fixtures, arrays) -> dict[str, Group]:
        """Groups resolved in rig order; groups may name groups (cycles are reported)."""
        specs = {name: (sel, span) for name, (sel, span) in (self.values["groups"] or {}).items()
                 if sel is not INVALID}
        ids = [f.id for f in fixtures]
        scope = SelectorScope(ids, arrays, {}, {f.id: f.profile.id for f in fixtures})
        order = {fid: i for i, fid in enumerate(ids)}
        for name, (_, span) in specs.items():
            if name in scope.profile_of or name in arrays or name == ALL:
                self.ctx.error_at(span, "duplicate-id",
                                  f"group name '{name}' is already a fixture or array id")
        # each group: fixtures it selects directly, and the groups it names
        direct: dict[str, set[str]] = {}
        named: dict[str, list[str]] = {}
        broken: set[str] = set()
        for name, (selectors, _) in specs.items():
            direct[name], named[name] = set(), []
            for text, sel_span in [selectors] if isinstance(selectors, tuple) else selectors:
                if text in specs:
                    named[name].append(text)
                    continue
                found, why = select(text, scope)
                if why:
                    if not self._names_a_broken_fixture(text):
                        self.ctx.error_at(sel_span, "unknown-group", why)
                    broken.add(name)
                direct[name].update(found)
        in_cycle = self._report_cycles(named, specs)
        members = {name: set(found) for name, found in direct.items()}
        changed = True
        while changed:  # union along group references until nothing grows (cycles included)
            changed = False
            for name, others in named.items():
                before = len(members[name])
                for other in others:
                    members[name] |= members[other]
                changed |= len(members[name]) != before
        groups: dict[str, Group] = {}
        for name, (_, span) in specs.items():
            chosen = tuple(sorted(members[name], key=order.__getitem__))
            if not chosen and name not in broken and name not in in_cycle:
                self.ctx.error_at(span, "empty-group", f"group '{name}' selects no fixture")
            groups[name] = Group(name, chosen, span)
        return groups

    def _report_cycles(self, named: dict[str, list[str]], specs) -> set[str]:
        """One diagnostic per cycle, at its first group in file order; the groups on cycles."""
        on_cycle: set[str] = set()
        for start in named:
            if start in on_cycle:
                continue
            path = [start]

            def walk(name: str) -> list[str] | None:
                for other in named[name]:
                    if other == start:
                        return path + [start]
                    if other not in path:
                        path.append(other)
                        found = walk(other)
                        if found:
                            return found
                        path.pop()
                return None

            cycle = walk(start)
            if cycle:
                on_cycle.update(cycle)
                self.ctx.error_at(specs[start][1], "group-cycle",
                                  f"group '{start}' includes itself: " + " -> ".join(cycle))
        return on_cycle

    def _names_a_broken_fixture(self, text: str) -> bool:
        return text in self.failed_ids


def _check_patch_not_empty(values: Values, ctx: ReadContext) -> None:
    """``patch: []`` is an error: a rig with no fixture has no DMX channel to compile."""
    if values["patch"] == []:
        ctx.error_at(values.span_of("patch"), "empty-patch",
                     "the rig patches no fixtures: 'patch' is an empty list; "
                     "give at least one fixture")


def read_rig(source: Source, library: ProfileLibrary) -> tuple[Rig | None, list[Diagnostic]]:
    ctx = ReadContext(source.path)
    values = read_document(source.root, RIG, ctx, "rig")
    if values is not INVALID:
        _check_patch_not_empty(values, ctx)
    rig = None
    if values is not INVALID and values.ok("name", "patch") and values["library"] is not INVALID:
        rig = RigBuilder(source.path, values, library, ctx).build()
    return rig, ctx.diagnostics
