"""Peer selection: from the team, never oneself, balanced, deterministic, tiers in order."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skillpath.domains.campaigns.engine.peers import choose_peers, mix


def test_a_team_of_four_rates_each_other_evenly() -> None:
    """Four teammates, two peers each: everyone is chosen exactly twice, never for oneself."""
    team = [1, 2, 3, 4]
    chosen = choose_peers(team, {p: [team] for p in team}, count=2, seed=7)
    assert all(len(peers) == 2 and p not in peers for p, peers in chosen.items())
    assert Counter(peer for peers in chosen.values() for peer in peers) == dict.fromkeys(team, 2)


def test_the_first_tier_is_used_before_the_second() -> None:
    """Same-manager colleagues first; same-unit ones only to fill the gap."""
    chosen = choose_peers([1], {1: [[2], [3, 4]]}, count=2, seed=1)
    assert 2 in chosen[1]
    assert len(chosen[1]) == 2
    only_first = choose_peers([1], {1: [[2, 5], [3, 4]]}, count=2, seed=1)
    assert only_first[1] == (2, 5)


def test_small_teams_give_fewer_peers_and_none_without_candidates() -> None:
    """Asking for three peers in a team of two gives one; nobody to choose gives none."""
    chosen = choose_peers([1, 2, 9], {1: [[1, 2]], 2: [[1, 2]]}, count=3, seed=3)
    assert chosen == {1: (2,), 2: (1,), 9: ()}


def test_the_same_seed_gives_the_same_choice_and_negative_counts_are_refused() -> None:
    """Deterministic for a seed; a negative count is a programming error."""
    team = list(range(1, 30))
    candidates = {p: [team] for p in team}
    assert choose_peers(team, candidates, count=3, seed=5) == choose_peers(
        list(reversed(team)), candidates, count=3, seed=5
    )
    assert mix(1, 2, 3) == mix(1, 2, 3) != mix(1, 3, 2)
    with pytest.raises(ValueError, match="negative"):
        choose_peers(team, candidates, count=-1, seed=5)


@given(
    size=st.integers(1, 25),
    count=st.integers(0, 5),
    seed=st.integers(0, 2**63),
)
def test_load_is_balanced_within_one_team(size: int, count: int, seed: int) -> None:
    """In one team, every member gets min(count, size - 1) peers and the number of times
    people are chosen differs by at most one."""
    team = list(range(100, 100 + size))
    chosen = choose_peers(team, {p: [team] for p in team}, count=count, seed=seed)
    expected = min(count, size - 1)
    assert all(len(peers) == expected and p not in peers for p, peers in chosen.items())
    load = Counter(peer for peers in chosen.values() for peer in peers)
    times = [load.get(p, 0) for p in team]
    assert max(times) - min(times) <= 1
