"""Peer selection: N colleagues from the same team to rate each participant, spreading the load.

Every participant gets up to `count` peers from their candidates (their team, without
themselves), given in tiers of preference. Participants are served in id order; each takes,
tier by tier, the candidates who have been chosen least so far (then those whose own turn is
still to come, so nobody is left unchosen when only they could not choose themselves), ties
broken by a seeded hash of (participant, candidate). Within one team everyone is then chosen
the same number of times give or take one, and the same seed always gives the same choice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

_MASK = (1 << 64) - 1


def mix(seed: int, a: int, b: int) -> int:
    """A deterministic 64-bit hash of three integers (splitmix64 finaliser over each)."""
    state = seed & _MASK
    for word in (a, b):
        state = (state + 0x9E3779B97F4A7C15 + (word & _MASK)) & _MASK
        state ^= state >> 30
        state = (state * 0xBF58476D1CE4E5B9) & _MASK
        state ^= state >> 27
        state = (state * 0x94D049BB133111EB) & _MASK
        state ^= state >> 31
    return state


def choose_peers(
    participants: Sequence[int],
    candidates: Mapping[int, Sequence[Sequence[int]]],
    *,
    count: int,
    seed: int,
) -> dict[int, tuple[int, ...]]:
    """Up to `count` peers per participant, from their candidates given as tiers of preference
    (e.g. same manager first, then same unit): a tier is used up before the next one is
    touched, and within a tier the least-chosen candidates come first (see the module doc).

    A participant never rates themselves; a participant without candidates gets none.
    """
    if count < 0:
        raise ValueError("the number of peers must not be negative")
    load: dict[int, int] = {}
    chosen: dict[int, tuple[int, ...]] = {}
    waiting = set(participants)
    for participant in sorted(waiting):
        waiting.discard(participant)
        picked: list[int] = []
        seen = {participant}
        for tier in candidates.get(participant, ()):
            pool = sorted({c for c in tier if c not in seen})
            seen.update(pool)
            # Among the least chosen, prefer people still waiting for their own turn: someone
            # left unchosen until their turn could only be chosen by others afterwards.
            pool.sort(
                key=lambda c: (load.get(c, 0), c not in waiting, mix(seed, participant, c), c)
            )
            picked.extend(pool[: count - len(picked)])
            if len(picked) >= count:
                break
        for peer in picked:
            load[peer] = load.get(peer, 0) + 1
        chosen[participant] = tuple(sorted(picked))
    return chosen
