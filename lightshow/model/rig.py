"""The patched rig: fixtures placed in the world and in DMX, groups and nodes."""

from __future__ import annotations

from dataclasses import dataclass, field

from lightshow.diagnostics import SourceSpan
from lightshow.model.profile import Mode, Profile

DMX_SLOTS = 512
MAX_UNIVERSE = 32767


@dataclass(frozen=True)
class PatchSegment:
    """A run of a fixture's slots that lies in one universe.

    ``address`` is 1-based as users write it; ``first_slot`` indexes the mode's
    channel list.  Buffer offsets are computed in one place: core.patch.
    """

    universe: int
    address: int
    first_slot: int
    n_slots: int

    @property
    def last_address(self) -> int:
        return self.address + self.n_slots - 1


@dataclass(frozen=True)
class PatchedFixture:
    id: str
    profile: Profile = field(repr=False)
    mode: Mode = field(repr=False)
    segments: tuple[PatchSegment, ...]
    position_m: tuple[float, float, float] = (0.0, 0.0, 0.0)
    rotation_deg: float = 0.0
    array: str | None = None
    span: SourceSpan | None = field(default=None, compare=False)

    @property
    def universe(self) -> int:
        return self.segments[0].universe

    @property
    def address(self) -> int:
        return self.segments[0].address


@dataclass(frozen=True)
class Node:
    """An Art-Net or sACN node and the universes it serves (inclusive range).

    A small node that drops packets when many arrive at once is paced: at most
    ``burst_packets`` packets in a row, then ``burst_gap_ms`` of quiet.
    """

    name: str
    ip: str
    first_universe: int
    last_universe: int
    protocol: str = "artnet"
    span: SourceSpan | None = field(default=None, compare=False)
    burst_packets: int | None = None
    burst_gap_ms: float | None = None

    def serves(self, universe: int) -> bool:
        return self.first_universe <= universe <= self.last_universe


@dataclass(frozen=True)
class Group:
    name: str
    fixture_ids: tuple[str, ...]
    span: SourceSpan | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Controller:
    """A controller (a Falcon Player remote, a lightshow remote, a cabinet) and the universes it
    outputs: a show split across controllers gives each its own universes, none shared."""

    name: str
    universes: tuple[int, ...]
    span: SourceSpan | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Rig:
    name: str
    path: str
    fixtures: tuple[PatchedFixture, ...]
    groups: dict[str, Group]
    nodes: tuple[Node, ...]
    arrays: dict[str, tuple[str, ...]] = field(default_factory=dict)
    controllers: dict[str, Controller] = field(default_factory=dict)

    def fixture_index(self) -> dict[str, PatchedFixture]:
        return {f.id: f for f in self.fixtures}

    def universes(self) -> list[int]:
        return sorted({s.universe for f in self.fixtures for s in f.segments})
