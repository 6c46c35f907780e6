"""Peer coaching circles from a program's enrolments: the engine's inputs from the database, the
partition, and the proposal with names and reasons (docs/mentoring.md, "Peer coaching circles").

A read: nothing is written. The round service stores the proposal as matches (one per circle).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import scipy.sparse as sp
from sqlalchemy.orm import Session

from skillpath.core.clock import today as utc_today
from skillpath.core.errors import ConflictError, ForbiddenError, NotFoundError
from skillpath.core.levels import DEFAULT_SCALE
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.mentoring import repository
from skillpath.domains.mentoring.circles_schemas import (
    CircleGoal,
    CirclesProposal,
    CircleStrength,
    ProposedCircle,
)
from skillpath.domains.mentoring.engine.circles import (
    CirclePlan,
    Peers,
    form_circles,
    priority_weights,
    waitlist_size,
)
from skillpath.domains.mentoring.models import Enrolment
from skillpath.domains.people import repository as people_repository
from skillpath.domains.people.schemas import PersonRef
from skillpath.domains.taxonomy import repository as taxonomy_repository
from skillpath.domains.taxonomy.schemas import SkillRef

WAITING = ("enrolled", "waitlisted")
"""Enrolment statuses of peers waiting for a circle."""


@dataclass(frozen=True)
class CircleInputs:
    """The waiting peers (rows of the engine's `Peers`), the skill columns, the excluded pairs
    (rows) and the levels held."""

    enrolments: list[Enrolment]
    peers: Peers
    skills: list[int]
    excluded: list[tuple[int, int]]
    held: dict[tuple[int, int], float]


def circle_inputs(session: Session, program_id: int, day: date) -> CircleInputs:
    """The engine's inputs: peers enrolled or waitlisted, employed on `day`, not in a live
    circle; wanted skills weighted by their order; levels of the skills anyone wants; pairs in
    one reporting line or with an opt-out either way excluded."""
    rows = repository.enrolments(session, program_id, role="peer", statuses=WAITING)
    persons = repository.people(session, {e.employee_id for e in rows})
    _, taken = repository.live_load(session, program_id)

    def employed(employee_id: int) -> bool:
        person = persons[employee_id]
        return person.hired_on <= day and (person.left_on is None or person.left_on > day)

    waiting = [e for e in rows if e.employee_id not in taken and employed(e.employee_id)]
    skills = sorted({s for e in waiting for s in e.skill_ids})
    column = {skill: k for k, skill in enumerate(skills)}
    ids = [e.employee_id for e in waiting]
    held = repository.levels(session, ids, skills)
    r: list[int] = []
    c: list[int] = []
    w: list[float] = []
    for k, e in enumerate(waiting):
        wanted = list(dict.fromkeys(e.skill_ids))
        r.extend([k] * len(wanted))
        c.extend(column[s] for s in wanted)
        w.extend(priority_weights(len(wanted)).tolist())
    row_of = {person: k for k, person in enumerate(ids)}
    lr = [row_of[person] for person, _ in held]
    lc = [column[skill] for _, skill in held]
    shape = (len(waiting), len(skills))
    peers = Peers(
        ids=np.array(ids, dtype=np.int64),
        wanted=sp.csr_matrix((np.array(w, dtype=np.float64), (r, c)), shape=shape),
        levels=sp.csr_matrix(
            (np.array(list(held.values()), dtype=np.float64), (lr, lc)), shape=shape
        ),
    )
    return CircleInputs(waiting, peers, skills, _exclusions(session, waiting), held)


def _exclusions(session: Session, waiting: Sequence[Enrolment]) -> list[tuple[int, int]]:
    """Row pairs in one reporting line (either is above the other) or with an opt-out."""
    chains = {
        e.employee_id: {m[0] for m in people_repository.manager_chain(session, e.employee_id)}
        for e in waiting
    }
    excluded = []
    for i, a in enumerate(waiting):
        for j in range(i + 1, len(waiting)):
            b = waiting[j]
            if (
                b.employee_id in chains[a.employee_id]
                or a.employee_id in chains[b.employee_id]
                or b.employee_id in a.opt_out_ids
                or a.employee_id in b.opt_out_ids
            ):
                excluded.append((i, j))
    return excluded


def propose_circles(
    session: Session,
    *,
    viewer: Viewer,
    program_id: int,
    seed: int = 0,
    today: date | None = None,
) -> CirclesProposal:
    """HR: the best partition of a circle program's waiting peers into circles of 4–6 (exact up
    to 12 peers, the heuristic above, with its measured gap), each circle with its reasons."""
    if not viewer.can_administer:
        raise ForbiddenError("Only HR administrators run mentoring rounds.")
    program = repository.program_by_id(session, program_id)
    if program is None:
        raise NotFoundError("No such mentoring program.")
    if program.kind != "circle":
        raise ConflictError("Only peer coaching circle programs form circles.")
    day = today or utc_today()
    inputs = circle_inputs(session, program_id, day)
    plan = form_circles(inputs.peers, excluded=inputs.excluded, seed=seed)
    return _proposal(session, program_id, inputs, plan)


def _proposal(
    session: Session, program_id: int, inputs: CircleInputs, plan: CirclePlan
) -> CirclesProposal:
    """Names, skills and sentences for a plan."""
    persons = repository.people(session, {e.employee_id for e in inputs.enrolments})
    names = taxonomy_repository.skill_names(session, inputs.skills)

    def person(row: int) -> PersonRef:
        employee = persons[inputs.enrolments[row].employee_id]
        return PersonRef(id=employee.id, name=f"{employee.first_name} {employee.last_name}")

    def skill(column: int) -> SkillRef:
        skill_id = inputs.skills[column]
        return SkillRef(id=skill_id, name=names.get(skill_id, str(skill_id)))

    circles = []
    for circle in plan.circles:
        goals = [
            CircleGoal(skill=skill(col), members=[person(m) for m in members])
            for col, members in circle.shared_goals
        ]
        strengths = []
        for s in circle.strengths:
            level = inputs.held[(inputs.enrolments[s.holder].employee_id, inputs.skills[s.skill])]
            strengths.append(
                CircleStrength(
                    skill=skill(s.skill),
                    holder=person(s.holder),
                    level=DEFAULT_SCALE.from_latent(level),
                    label=DEFAULT_SCALE.label(level),
                    learners=[person(m) for m in s.learners],
                )
            )
        size = len(circle.members)
        reasons = [
            f"{len(g.members)} of {size} want {g.skill.name}"
            if len(g.members) < size
            else f"All want {g.skill.name}"
            for g in goals
        ]
        reasons.extend(
            f"{s.holder.name} holds {s.skill.name} at {s.label} ({s.level}/5), which "
            f"{', '.join(p.name for p in s.learners)} "
            f"{'wants' if len(s.learners) == 1 else 'want'}"
            for s in strengths
        )
        circles.append(
            ProposedCircle(
                members=[person(m) for m in circle.members],
                value=round(circle.value, 6),
                shared=round(circle.shared, 6),
                complementary=round(circle.complementary, 6),
                shared_goals=goals,
                strengths=strengths,
                reasons=reasons,
            )
        )
    n = inputs.peers.size
    waiting = waitlist_size(n)
    if waiting == n and n:
        reason = f"{n} peers are too few for a circle of 4; they wait for more to enrol."
    elif waiting:
        reason = "7 peers cannot all sit in circles of 4–6: one waits for the next round."
    else:
        reason = ""
    return CirclesProposal(
        program_id=program_id,
        peers=n,
        method="exact" if plan.method == "exact" else "heuristic",
        optimal=plan.optimal,
        value=round(plan.value, 6),
        bound=round(plan.bound, 6),
        gap=round(plan.gap, 6),
        start_value=round(plan.start_value, 6),
        circles=circles,
        waitlisted=[person(r) for r in plan.waitlisted],
        waitlist_reason=reason,
        conflicts=[[person(a), person(b)] for a, b in plan.conflicts],
    )
