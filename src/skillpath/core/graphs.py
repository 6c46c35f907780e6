"""Cycle detection for the trees and graphs imports build (org tree, manager chain, prerequisites).

Imports use these to refuse a file whose links would loop, naming every node of each loop.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def parent_cycles(parent_of: Mapping[K, K | None]) -> list[list[K]]:
    """Every loop in a parent map (each node has at most one parent), in the order of the links.

    A loop `a → b → c → a` is returned once, as `[a, b, c]` starting at the node that sorts
    first by its string, so reports are stable. Nodes whose parent is unknown end the walk.
    """
    state: dict[K, int] = {}  # 1: on the current walk, 2: done
    cycles: list[list[K]] = []
    for start in parent_of:
        if state.get(start):
            continue
        walk: list[K] = []
        node: K | None = start
        while node is not None and node in parent_of and not state.get(node):
            state[node] = 1
            walk.append(node)
            node = parent_of[node]
        if node is not None and state.get(node) == 1:
            loop = walk[walk.index(node) :]
            first = min(range(len(loop)), key=lambda i: str(loop[i]))
            cycles.append(loop[first:] + loop[:first])
        for visited in walk:
            state[visited] = 2
    return cycles


def graph_cycles(edges: Mapping[K, Iterable[K]], order: Callable[[K], str] = str) -> list[list[K]]:
    """The groups of nodes that reach each other through `edges` (strongly connected components
    of more than one node, or a node linked to itself), each sorted by `order`.

    Iterative Tarjan, so deep graphs do not exhaust the Python stack.
    """
    index: dict[K, int] = {}
    low: dict[K, int] = {}
    on_stack: set[K] = set()
    stack: list[K] = []
    found: list[list[K]] = []
    counter = 0
    adjacency = {node: [t for t in targets if t in edges] for node, targets in edges.items()}
    for root in adjacency:
        if root in index:
            continue
        work: list[tuple[K, int]] = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            targets = adjacency[node]
            if position < len(targets):
                work.append((node, position + 1))
                target = targets[position]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            if low[node] == index[node]:
                component: list[K] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in adjacency[node]:
                    found.append(sorted(component, key=order))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return found
