"""DMX addressing: explicit and automatic patching, overlap and overflow checks.

Auto-addressing places a fixture after the last manually patched channel of its
universe, or after the previous auto-patched fixture that asked for the same
universe (wherever that one ended), keeping every atom whole:
a pixel head never straddles two universes (170 RGB / 128 RGBW pixels fit in
one), and a fixture without pixel heads is never split.
"""

from __future__ import annotations

from dataclasses import dataclass

from lightshow.diagnostics import Diagnostic, SourceSpan, error
from lightshow.model.profile import Mode
from lightshow.model.rig import DMX_SLOTS, MAX_UNIVERSE, PatchSegment


@dataclass
class PatchRequest:
    fixture_id: str
    mode: Mode
    universe: int
    address: int | None   # None = auto
    span: SourceSpan


def _manual_segment(request: PatchRequest) -> tuple[PatchSegment, ...] | Diagnostic:
    n = request.mode.n_channels
    last = request.address + n - 1
    if last > DMX_SLOTS:
        return error(
            "universe-overflow",
            f"fixture '{request.fixture_id}' needs {n} channels from address {request.address}"
            f" and would end at {last}, past the end of universe {request.universe} (512);"
            " use a lower address or 'address: auto' to split whole pixels across universes",
            request.span,
        )
    return (PatchSegment(request.universe, request.address, 0, n),)


def _auto_segments(request: PatchRequest, cursor: dict[int, int],
                   resume: dict[int, int]) -> tuple[PatchSegment, ...] | Diagnostic:
    """Place after the previous auto fixture that asked for the same universe."""
    universe = resume.get(request.universe, request.universe)
    n_channels = request.mode.n_channels
    address = cursor.get(universe, 1)
    if address + n_channels - 1 <= DMX_SLOTS:  # the common case: it fits where the cursor is
        cursor[universe] = address + n_channels
        resume[request.universe] = universe
        return (PatchSegment(universe, address, 0, n_channels),)
    segments: list[PatchSegment] = []
    for first_slot, count in request.mode.atoms:
        if count > DMX_SLOTS:
            return error("universe-overflow",
                         f"fixture '{request.fixture_id}' has {count} channels that must stay "
                         "together, more than one universe holds", request.span)
        while cursor.get(universe, 1) + count - 1 > DMX_SLOTS:
            universe += 1
            if universe > MAX_UNIVERSE:
                return error("universe-overflow",
                             f"fixture '{request.fixture_id}' does not fit below universe "
                             f"{MAX_UNIVERSE}", request.span)
        address = cursor.get(universe, 1)
        cursor[universe] = address + count
        last = segments[-1] if segments else None
        if last is not None and last.universe == universe and last.address + last.n_slots == address:
            segments[-1] = PatchSegment(universe, last.address, last.first_slot, last.n_slots + count)
        else:
            segments.append(PatchSegment(universe, address, first_slot, count))
    resume[request.universe] = universe
    return tuple(segments)


def assign_addresses(requests: list[PatchRequest]) -> tuple[dict[str, tuple[PatchSegment, ...]], list[Diagnostic]]:
    """Segments for every request that can be patched, and what went wrong."""
    result: dict[str, tuple[PatchSegment, ...]] = {}
    problems: list[Diagnostic] = []
    cursor: dict[int, int] = {}
    resume: dict[int, int] = {}
    for request in requests:
        if request.address is None:
            continue
        placed = _manual_segment(request)
        if isinstance(placed, Diagnostic):
            problems.append(placed)
            continue
        result[request.fixture_id] = placed
        segment = placed[0]
        cursor[segment.universe] = max(cursor.get(segment.universe, 1), segment.last_address + 1)
    for request in requests:
        if request.address is not None:
            continue
        placed = _auto_segments(request, cursor, resume)
        if isinstance(placed, Diagnostic):
            problems.append(placed)
        else:
            result[request.fixture_id] = placed
    first_per_entry = {}
    for problem in problems:  # an array entry reports its first element only
        first_per_entry.setdefault(problem.span, problem)
    return result, list(first_per_entry.values())


def _overlap(universe: int, one: tuple[int, int, str], other: tuple[int, int, str],
             spans: dict[str, SourceSpan]) -> Diagnostic:
    """Reported where the later of the two fixtures is declared."""
    if spans[one[2]] < spans[other[2]]:
        one, other = other, one
    start, end, fixture_id = one
    other_start, other_end, other_id = other
    return error(
        "address-overlap",
        f"fixture '{fixture_id}' (universe {universe}, channels {start}-{end}) overlaps "
        f"fixture '{other_id}' (channels {other_start}-{other_end}, patched at {spans[other_id]})",
        spans[fixture_id])


def find_overlaps(patched: dict[str, tuple[PatchSegment, ...]],
                  spans: dict[str, SourceSpan]) -> list[Diagnostic]:
    """One diagnostic per fixture place whose channels overlap another fixture's."""
    by_universe: dict[int, list[tuple[int, int, str]]] = {}
    for fixture_id, segments in patched.items():
        for segment in segments:
            by_universe.setdefault(segment.universe, []).append(
                (segment.address, segment.last_address, fixture_id))
    problems: list[Diagnostic] = []
    reported: set[SourceSpan] = set()
    for universe, runs in sorted(by_universe.items()):
        runs.sort()
        widest: tuple[int, int, str] | None = None
        for start, end, fixture_id in runs:
            if widest is not None and start <= widest[1] and fixture_id != widest[2]:
                problem = _overlap(universe, (start, end, fixture_id), widest, spans)
                if problem.span not in reported:
                    reported.add(problem.span)
                    problems.append(problem)
            if widest is None or end > widest[1]:
                widest = (start, end, fixture_id)
    return problems
