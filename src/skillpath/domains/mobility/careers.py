"""Career paths: the role graph learned from skill-profile similarity and observed moves, a
person's next roles (one or two steps) with their readiness, and any role's neighbours.

The pure engine (`engine/careers.py`) holds the formulas (docs/mobility.md, "Career paths"). The
graph covers the organisation's own roles plus any template someone holds or moved from or to;
it is cached per database and per fingerprint of its inputs (profile lines, role levels, moves),
so it is rebuilt only after one of them changed. The history enters only as counts and median
months per pair of roles; no one's move is shown. A person is read through the visibility rules
(people the viewer may not see are NotFoundError, as if absent).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sqlalchemy.orm import Session

from skillpath.core.errors import InvalidInputError, NotFoundError
from skillpath.core.levels import DEFAULT_SCALE
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.mobility import careers_repository as repository
from skillpath.domains.mobility.career_schemas import (
    CareerEdge,
    CareerPaths,
    CareerSuggestion,
    MissingSkill,
    RoleNeighbour,
    RoleNeighbours,
)
from skillpath.domains.mobility.careers_repository import RoleRow
from skillpath.domains.mobility.engine.careers import (
    GraphSettings,
    MoveHistory,
    RoleGraph,
    RoleProfiles,
    build_role_graph,
    months_in_role,
    profile_similarity,
    reachable,
    readiness_for,
)
from skillpath.domains.people import service as people_service
from skillpath.domains.people.schemas import PersonRef, RoleRef
from skillpath.domains.taxonomy import repository as taxonomy_repository
from skillpath.domains.taxonomy.schemas import SkillRef

IntArray = npt.NDArray[np.int64]

MAX_LIMIT = 100
MISSING_SHOWN = 3
CACHE_SIZE = 4
SETTINGS = GraphSettings()


@dataclass(frozen=True)
class CareerGraph:
    """The role graph with its dense index ↔ database id maps and the full similarity."""

    roles: tuple[RoleRow, ...]
    role_ids: IntArray
    skill_ids: IntArray
    profiles: RoleProfiles
    similarity: sparse.csr_matrix
    graph: RoleGraph
    pair_moves: dict[tuple[int, int], int]
    moves_in_history: int

    def index_of(self, role_id: int) -> int | None:
        """The dense index of a role id, or None when the role is not in the graph."""
        position = int(np.searchsorted(self.role_ids, role_id))
        if position < self.role_ids.shape[0] and int(self.role_ids[position]) == role_id:
            return position
        return None

    def ref(self, index: int) -> RoleRef:
        """The role at a dense index."""
        role = self.roles[index]
        return RoleRef(id=role.id, title=role.title)

    def edge(self, position: int) -> CareerEdge:
        """The edge at a position of the engine graph."""
        g = self.graph
        return CareerEdge(
            from_role=self.ref(int(g.source[position])),
            to_role=self.ref(int(g.target[position])),
            score=float(g.score[position]),
            similarity=float(g.similarity[position]),
            observed_moves=int(g.moves[position]),
            typical_months=float(g.months[position]),
            months_observed=bool(g.months_observed[position]),
        )


_cache: OrderedDict[tuple[Any, ...], CareerGraph] = OrderedDict()
_cache_lock = threading.Lock()


def _dense(ids: IntArray, values: IntArray) -> IntArray:
    """Positions of `values` in the sorted `ids` (−1 where absent)."""
    if ids.shape[0] == 0:
        return np.full(values.shape[0], -1, dtype=np.int64)
    position = np.minimum(np.searchsorted(ids, values), ids.shape[0] - 1)
    return np.where(ids[position] == values, position, -1).astype(np.int64)


def _build(session: Session) -> CareerGraph:
    roles = tuple(repository.graph_roles(session))
    role_ids = np.array([r.id for r in roles], dtype=np.int64)
    lines = repository.profile_lines(session, role_ids.tolist())
    skill_ids = np.unique(lines.skill).astype(np.int64)
    profiles = RoleProfiles(
        role=_dense(role_ids, lines.role),
        skill=_dense(skill_ids, lines.skill),
        target=lines.target,
        importance=lines.importance,
        role_count=len(roles),
        skill_count=int(skill_ids.shape[0]),
        level=np.array([r.level for r in roles], dtype=np.int64),
    )
    history = repository.all_moves(session)
    months = months_in_role(
        history.employee,
        history.moved_day,
        history.from_role,
        history.to_role,
        history.hired_day,
    )
    source = _dense(role_ids, history.from_role)
    target = _dense(role_ids, history.to_role)
    usable = (source >= 0) & (target >= 0) & (source != target)
    moves = MoveHistory(source[usable], target[usable], months[usable])
    similarity = profile_similarity(profiles)
    pair_moves: dict[tuple[int, int], int] = {}
    for a, b in zip(moves.source.tolist(), moves.target.tolist(), strict=True):
        pair_moves[(a, b)] = pair_moves.get((a, b), 0) + 1
    return CareerGraph(
        roles=roles,
        role_ids=role_ids,
        skill_ids=skill_ids,
        profiles=profiles,
        similarity=similarity,
        graph=build_role_graph(profiles, moves, SETTINGS, similarity=similarity),
        pair_moves=pair_moves,
        moves_in_history=int(moves.source.shape[0]),
    )


def role_graph(session: Session) -> CareerGraph:
    """The role graph of today's data (cached per database and inputs fingerprint)."""
    key = (
        session.get_bind().engine.url.render_as_string(hide_password=True),
        repository.fingerprint(session),
    )
    with _cache_lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    built = _build(session)
    with _cache_lock:
        _cache[key] = built
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return built


def _check_limit(limit: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInputError(f"limit: must be between 1 and {MAX_LIMIT} (got {limit}).")


def _percent(value: float) -> str:
    return f"{round(value * 100)}%"


def _people(count: int) -> str:
    return "1 person" if count == 1 else f"{count} people"


def _why(
    edges: list[CareerEdge],
    readiness: float | None,
    whose: str,
) -> str:
    """One line saying why a role is suggested (English; pages compose their own wording)."""
    first = edges[0]
    if len(edges) == 1:
        if first.observed_moves:
            reason = (
                f"{_people(first.observed_moves)} moved from {first.from_role.title} to this role"
            )
        else:
            reason = (
                f"No one has moved from {first.from_role.title} to this role yet; its profile "
                f"covers {_percent(first.similarity)} of what this role requires"
            )
    else:
        second = edges[1]
        via = first.to_role.title
        into = (
            f"{_people(first.observed_moves)} moved from {first.from_role.title} to {via}"
            if first.observed_moves
            else f"{first.from_role.title}'s profile covers {_percent(first.similarity)} of {via}"
        )
        onward = (
            f"{_people(second.observed_moves)} moved from {via} to this role"
            if second.observed_moves
            else f"{via}'s profile covers {_percent(second.similarity)} of this role"
        )
        reason = f"Through {via}: {into}, and {onward}"
    if readiness is None:
        return f"{reason}; this role has no weighted skill profile yet."
    return f"{reason}; {whose} profile covers {_percent(readiness)} of it."


def _levels(cg: CareerGraph, session: Session, employee_id: int) -> npt.NDArray[np.float64]:
    skills, values = repository.levels_of(session, employee_id)
    levels = np.zeros(cg.skill_ids.shape[0])
    position = _dense(cg.skill_ids, skills)
    found = position >= 0
    levels[position[found]] = np.clip(values[found], 0.0, 1.0)
    return levels


def next_roles(
    session: Session,
    *,
    viewer: Viewer,
    employee_id: int,
    limit: int = 10,
    steps: int = 2,
    today: date | None = None,
) -> CareerPaths:
    """The roles a person could reach next from their current role, best edge score first.

    Each comes with its path, the evidence behind it (similarity, observed moves, typical
    months) and the person's readiness and biggest missing skills. People the viewer may not
    see are NotFoundError; a person without a role (or whose role has no edge) gets no items.
    """
    _check_limit(limit)
    if steps not in (1, 2):
        raise InvalidInputError(f"steps: must be 1 or 2 (got {steps}).")
    person = people_service.visible_employee_summary(
        session, viewer=viewer, employee_id=employee_id, today=today
    )
    cg = role_graph(session)
    name = PersonRef(id=person.id, name=f"{person.first_name} {person.last_name}")
    start = cg.index_of(person.role.id) if person.role is not None else None
    if start is None:
        return CareerPaths(
            employee=name,
            current_role=person.role,
            steps=steps,
            items=[],
            moves_in_history=cg.moves_in_history,
        )
    reach = reachable(cg.graph, start, steps=steps)
    shown = slice(0, limit)
    targets = reach.target[shown]
    ready = readiness_for(cg.profiles, targets, _levels(cg, session, person.id))
    names = taxonomy_repository.skill_names(
        session, cg.skill_ids[ready.line_skill[ready.line_shortfall > 0]].tolist()
    )
    whose = "your" if viewer.employee_id == person.id else f"{person.first_name}'s"
    items: list[CareerSuggestion] = []
    for slot, target in enumerate(targets.tolist()):
        mine = ready.line_role == slot
        short = mine & (ready.line_shortfall > 0)
        missing = [
            MissingSkill(
                skill=SkillRef(id=int(cg.skill_ids[s]), name=names.get(int(cg.skill_ids[s]), "")),
                current_level=float(current),
                current_display_level=DEFAULT_SCALE.from_latent(float(current)),
                target_level=float(goal),
                target_display_level=DEFAULT_SCALE.from_latent(float(goal)),
                importance=float(weight),
                shortfall=float(gap),
            )
            for s, current, goal, weight, gap in list(
                zip(
                    ready.line_skill[short],
                    ready.line_current[short],
                    ready.line_target[short],
                    ready.line_importance[short],
                    ready.line_shortfall[short],
                    strict=True,
                )
            )[:MISSING_SHOWN]
        ]
        edges = [cg.edge(int(reach.first[slot]))]
        if reach.second[slot] >= 0:
            edges.append(cg.edge(int(reach.second[slot])))
        readiness = None if np.isnan(ready.readiness[slot]) else float(ready.readiness[slot])
        role = cg.roles[target]
        items.append(
            CareerSuggestion(
                role=cg.ref(target),
                family=role.family,
                level=role.level,
                path=[edges[0].from_role, *(e.to_role for e in edges)],
                steps=len(edges),
                score=float(reach.score[slot]),
                similarity=float(cg.similarity[start, target]),
                observed_moves=cg.pair_moves.get((start, target), 0),
                typical_months=float(reach.months[slot]),
                months_observed=all(e.months_observed for e in edges),
                edges=edges,
                readiness=readiness,
                weighted_shortfall=float(ready.shortfall[slot]),
                skills_required=int(mine.sum()),
                skills_met=int(mine.sum() - short.sum()),
                missing_skills=missing,
                why=_why(edges, readiness, whose),
            )
        )
    return CareerPaths(
        employee=name,
        current_role=person.role,
        steps=steps,
        items=items,
        moves_in_history=cg.moves_in_history,
    )


def role_neighbours(session: Session, *, role_id: int, limit: int = 10) -> RoleNeighbours:
    """A role's next roles and the roles that lead to it, best edge score first.

    An unknown role is NotFoundError; a role outside the graph (a template no one holds) has
    no neighbours.
    """
    _check_limit(limit)
    cg = role_graph(session)
    index = cg.index_of(role_id)
    if index is None:
        role = repository.role_row(session, role_id)
        if role is None:
            raise NotFoundError(f"No role with id {role_id}.")
        return RoleNeighbours(
            role=RoleRef(id=role.id, title=role.title),
            family=role.family,
            level=role.level,
            next_roles=[],
            previous_roles=[],
        )
    g = cg.graph
    outgoing = np.arange(g.edges_of(index).start, g.edges_of(index).stop)[:limit]
    incoming = g.incoming(index)[:limit]

    def neighbour(position: int, other: int) -> RoleNeighbour:
        role = cg.roles[other]
        return RoleNeighbour(
            role=cg.ref(other), family=role.family, level=role.level, edge=cg.edge(position)
        )

    role = cg.roles[index]
    return RoleNeighbours(
        role=cg.ref(index),
        family=role.family,
        level=role.level,
        next_roles=[neighbour(int(p), int(g.target[p])) for p in outgoing],
        previous_roles=[neighbour(int(p), int(g.source[p])) for p in incoming],
    )


def explorer_roles(session: Session) -> list[RoleRef]:
    """The roles of the graph that have a skill profile or an edge, A to Z (explorer choices)."""
    cg = role_graph(session)
    with_profile = set(np.unique(cg.profiles.role).tolist())
    with_edge = set(cg.graph.source.tolist()) | set(cg.graph.target.tolist())
    chosen = [cg.ref(i) for i in range(len(cg.roles)) if i in with_profile or i in with_edge]
    return sorted(chosen, key=lambda r: (r.title.lower(), r.id))
