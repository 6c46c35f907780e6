"""What the enrol form of a mentoring program offers its reader: the skills they could offer as
a mentor with their consolidated levels, and the program's mentors they may name or opt out of."""

from __future__ import annotations

from sqlalchemy.orm import Session

from skillpath.core.levels import DEFAULT_SCALE
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.mentoring import finder_repository, metrics_repository, repository, service
from skillpath.domains.mentoring.schemas import SkillLevel
from skillpath.domains.people.schemas import PersonRef
from skillpath.domains.taxonomy import repository as taxonomy_repository
from skillpath.domains.taxonomy.schemas import SkillRef

MAX_OFFERED = 40
"""Skills listed when a program names none: the viewer's strongest."""


def skills_to_offer(session: Session, *, viewer: Viewer, program_id: int) -> list[SkillLevel]:
    """The program's skills (or, when it names none, the viewer's strongest skills) with the
    viewer's consolidated level; skills they hold first, strongest first. Only held skills
    (level above 0) can be offered."""
    program = service.get_program(session, viewer=viewer, program_id=program_id)
    if viewer.employee_id is None:
        return []
    held = metrics_repository.held_skills(session, viewer.employee_id)
    if program.skills:
        ids = [s.id for s in program.skills]
    else:
        ids = sorted(held, key=lambda s: -held[s])[:MAX_OFFERED]
    names = taxonomy_repository.skill_names(session, ids)
    found = [
        SkillLevel(
            skill=SkillRef(id=s, name=names.get(s, str(s))),
            level=held.get(s, 0.0),
            display_level=DEFAULT_SCALE.from_latent(held.get(s, 0.0)),
        )
        for s in ids
    ]
    return sorted(found, key=lambda x: (-x.level, x.skill.name.casefold()))


def program_mentors(session: Session, *, viewer: Viewer, program_id: int) -> list[PersonRef]:
    """The mentors enrolled in a program the viewer may see (names only: a mentee may name one
    as preferred or opt out of them), the viewer left out, A to Z."""
    program = service.get_program(session, viewer=viewer, program_id=program_id)
    rows = [
        e
        for e in repository.enrolments(session, program.id, role="mentor")
        if e.status not in ("withdrawn", "opted_out") and e.employee_id != viewer.employee_id
    ]
    persons = repository.people(session, {e.employee_id for e in rows})
    refs = [
        PersonRef(id=p.id, name=f"{p.first_name} {p.last_name}")
        for p in persons.values()
        if p.left_on is None
    ]
    return sorted(refs, key=lambda r: r.name.casefold())


def micro_skills(session: Session, *, viewer: Viewer) -> list[SkillRef]:
    """The skills micro-mentors of running micro-mentoring programs offer (the finder's
    choices), A to Z; none for people without an employee record."""
    if viewer.employee_id is None:
        return []
    ids = {s for e in finder_repository.micro_mentor_enrolments(session) for s in e.skill_ids}
    names = taxonomy_repository.skill_names(session, ids)
    return sorted(
        (SkillRef(id=i, name=n) for i, n in names.items()), key=lambda s: s.name.casefold()
    )


def skills_to_want(session: Session, *, viewer: Viewer, program_id: int) -> list[SkillRef]:
    """The skills a mentee or peer may ask for: the program's skills, or, when it names none,
    the skills its mentors offer (a mentee is matched only on those), A to Z."""
    program = service.get_program(session, viewer=viewer, program_id=program_id)
    if program.skills:
        return sorted(program.skills, key=lambda s: s.name.casefold())
    ids = {
        s
        for e in repository.enrolments(session, program.id)
        if e.status not in ("withdrawn", "opted_out") and e.role in ("mentor", "peer")
        for s in e.skill_ids
    }
    names = taxonomy_repository.skill_names(session, ids)
    return sorted(
        (SkillRef(id=i, name=n) for i, n in names.items()), key=lambda s: s.name.casefold()
    )
