"""Routing: the rig's nodes first, then live nodes that announce a universe, then broadcast."""

import pytest

from lightshow.protocol.node_table import NodeEntry
from lightshow.protocol.routing import announced_routes, route_universes

RIG_NODE = ("10.0.0.1", 6454)


def node(ip: str, universes, online: bool = True) -> NodeEntry:
    return NodeEntry(ip, "n", "node", {1: tuple(universes)}, online=online)


def test_the_rig_assignment_wins_over_an_announcement():
    nodes = [node("10.0.0.9", [1, 2])]
    assert route_universes([1, 2], [[RIG_NODE], []], nodes) == [[RIG_NODE], [("10.0.0.9", 6454)]]


def test_every_live_node_announcing_a_universe_gets_it_and_offline_ones_do_not():
    nodes = [node("10.0.0.9", [5]), node("10.0.0.3", [5, 6]), node("10.0.0.4", [5], online=False)]
    assert announced_routes(nodes) == {5: [("10.0.0.3", 6454), ("10.0.0.9", 6454)],
                                       6: [("10.0.0.3", 6454)]}
    assert route_universes([5, 6, 7], [[], [], []], nodes) == [
        [("10.0.0.3", 6454), ("10.0.0.9", 6454)], [("10.0.0.3", 6454)], []]


def test_a_universe_nobody_serves_goes_nowhere_unless_broadcast_is_asked_for():
    assert route_universes([7], [[]]) == [[]]
    assert route_universes([7, 8], [[], [RIG_NODE]], broadcast="2.255.255.255") == [
        [("2.255.255.255", 6454)], [RIG_NODE]]


def test_a_universe_the_rig_sends_as_sacn_gets_no_art_net():
    nodes = [node("10.0.0.9", [3])]
    assert route_universes([3], [None], nodes, broadcast="2.255.255.255") == [[]]


def test_one_rig_route_list_per_universe():
    with pytest.raises(ValueError):
        route_universes([1, 2], [[]])
