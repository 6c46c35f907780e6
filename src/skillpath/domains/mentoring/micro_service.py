"""The micro-mentoring finder: who can help me with a skill this week (docs/mentoring.md,
"Micro-mentoring finder").

Helpers are the mentors enrolled in a running micro-mentoring program who offer the skill: by
enrolling they agreed to be found, and the finder shows only their name, their level in that
skill, their free time this week, the time-zone difference and the languages shared.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import numpy as np
from sqlalchemy.orm import Session

from skillpath.core.clock import today as utc_today
from skillpath.core.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    Problem,
)
from skillpath.core.levels import DEFAULT_SCALE
from skillpath.core.places import language_of, utc_offset
from skillpath.domains.identity import service as identity
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.mentoring import finder_repository, repository, service
from skillpath.domains.mentoring.engine.micro import Asker, Helpers, rank_helpers
from skillpath.domains.mentoring.micro_schemas import Helper, HelperParts, HelpFinder
from skillpath.domains.mentoring.models import Enrolment, Match, MatchMember
from skillpath.domains.mentoring.schemas import MatchRead
from skillpath.domains.people import repository as people_repository
from skillpath.domains.people.schemas import PersonRef
from skillpath.domains.taxonomy import repository as taxonomy_repository
from skillpath.domains.taxonomy.schemas import SkillRef

MAX_HELPERS = 50
LANGUAGE_BITS = 62
"""Languages become bits of a 64-bit mask; rarer ones beyond 62 share the last bit."""


def _mask(tags: Sequence[str], bits: dict[str, int]) -> int:
    mask = 0
    for tag in tags:
        language = language_of(tag)
        if language:
            bit = bits.setdefault(language, min(len(bits), LANGUAGE_BITS))
            mask |= 1 << bit
    return mask


def find_helpers(
    session: Session,
    *,
    viewer: Viewer,
    skill_id: int,
    limit: int = 10,
    today: date | None = None,
) -> HelpFinder:
    """The best `limit` micro-mentors for the viewer on one skill this week, best first, each
    with the score's parts and reasons. Excluded: the viewer, their managers and everyone
    reporting to them; helpers must hold the skill above the viewer's level and have an hour
    free this week (rules in `engine/micro.py`)."""
    if not 1 <= limit <= MAX_HELPERS:
        raise InvalidInputError(
            "The number of helpers is not valid",
            [Problem(f"must be between 1 and {MAX_HELPERS}", column="limit", value=str(limit))],
        )
    me = viewer.employee_id
    if me is None:
        raise ForbiddenError("Only people with an employee record can ask for help.")
    names = taxonomy_repository.skill_names(session, [skill_id])
    if skill_id not in names:
        raise NotFoundError("No such skill.")
    day = today or utc_today()
    week_start = day - timedelta(days=day.weekday())
    month_start = day.replace(day=1)
    next_month = (month_start + timedelta(days=32)).replace(day=1)

    offers: dict[int, list[Enrolment]] = {}
    for e in finder_repository.micro_mentor_enrolments(session):
        offers.setdefault(e.employee_id, []).append(e)
    offering = {i: rows for i, rows in offers.items() if any(skill_id in e.skill_ids for e in rows)}
    everyone = {me, *offering}
    persons = repository.people(session, everyone)
    if me not in persons:
        raise NotFoundError("No such person.")

    def employed(employee_id: int) -> bool:
        person = persons[employee_id]
        return person.hired_on <= day and (person.left_on is None or person.left_on > day)

    current = [i for i in sorted(offering) if employed(i)]
    held = repository.levels(session, [me, *current], [skill_id])
    zones = repository.timezones(session, [me, *current])
    sessions_week = dict.fromkeys(current, 0)
    sessions_month = dict.fromkeys(current, 0)
    for mentor_id, when in finder_repository.micro_session_days(
        session, current, min(week_start, month_start)
    ):
        if month_start <= when < next_month:
            sessions_month[mentor_id] += 1
        if week_start <= when < week_start + timedelta(days=7):
            sessions_week[mentor_id] += 1
    bits: dict[str, int] = {}
    my_languages = list(persons[me].languages or [])
    spoken = {
        i: list(
            dict.fromkeys(
                code for e in offering[i] for code in (e.languages or persons[i].languages or [])
            )
        )
        for i in current
    }
    asker = Asker(
        id=me,
        level=held.get((me, skill_id), 0.0),
        languages=_mask(my_languages, bits),
        utc_offset=utc_offset(zones.get(me), day),
    )
    offsets = np.array([utc_offset(zones.get(i), day) for i in current], dtype=np.float64)
    helpers = Helpers(
        ids=np.array(current, dtype=np.int64),
        level=np.array([held.get((i, skill_id), 0.0) for i in current], dtype=np.float64),
        hours_per_month=np.array(
            [sum(e.hours_per_month for e in offering[i]) for i in current], dtype=np.float64
        ),
        sessions_week=np.array([sessions_week[i] for i in current], dtype=np.int64),
        sessions_month=np.array([sessions_month[i] for i in current], dtype=np.int64),
        languages=np.array([_mask(spoken[i], bits) for i in current], dtype=np.int64),
        utc_offset=offsets,
    )
    excluded = {m[0] for m in people_repository.manager_chain(session, me)}
    excluded |= people_repository.reporting_line_ids(session, me)
    ranking = rank_helpers(asker, helpers, excluded_ids=excluded, limit=limit)
    skill_name = names[skill_id]
    mine = {language_of(code) for code in my_languages}
    found = []
    for k, row in enumerate(ranking.rows.tolist()):
        helper_id = current[row]
        person = persons[helper_id]
        level = float(helpers.level[row])
        apart = float(offsets[row] - asker.utc_offset)
        shared = [code for code in spoken[helper_id] if language_of(code) in mine]
        free = float(ranking.free_hours[k])
        yours = (
            f"you are at {DEFAULT_SCALE.from_latent(asker.level)}/5"
            if asker.level > 0
            else "you have no level recorded"
        )
        reasons = [
            f"Holds {skill_name} at {DEFAULT_SCALE.label(level)} "
            f"({DEFAULT_SCALE.from_latent(level)}/5), {yours}",
            f"{free:.1f} hours free this week",
        ]
        if shared:
            reasons.append("You share " + ", ".join(shared))
        reasons.append(
            "Same time zone"
            if apart == 0
            else f"{abs(apart):g} hour{'' if abs(apart) == 1 else 's'} apart"
        )
        found.append(
            Helper(
                person=PersonRef(id=helper_id, name=f"{person.first_name} {person.last_name}"),
                level=DEFAULT_SCALE.from_latent(level),
                label=DEFAULT_SCALE.label(level),
                score=round(float(ranking.score[k]), 6),
                parts=HelperParts(
                    level=round(float(ranking.level[k]), 6),
                    availability=round(float(ranking.availability[k]), 6),
                    language=round(float(ranking.language[k]), 6),
                    timezone=round(float(ranking.timezone[k]), 6),
                ),
                free_hours=round(free, 2),
                hours_apart=apart,
                languages=shared,
                reasons=reasons,
            )
        )
    return HelpFinder(
        skill=SkillRef(id=skill_id, name=skill_name),
        your_level=DEFAULT_SCALE.from_latent(asker.level),
        your_label=DEFAULT_SCALE.label(asker.level),
        offered=len(current),
        helpers=found,
    )


def book_session(
    session: Session,
    *,
    viewer: Viewer,
    helper_id: int,
    skill_id: int,
    on: date | None = None,
    note: str = "",
    today: date | None = None,
) -> MatchRead:
    """Ask a helper the finder proposes for a short session on one skill: a proposed
    micro-mentoring match (the asker has accepted; the helper accepts or declines from their
    mentoring page). The helper must be among those the finder shows the asker today — same
    rules: above the asker's level, free this week, outside the asker's reporting line."""
    day = today or utc_today()
    when = on or day
    if when < day:
        raise InvalidInputError(
            "The session is not valid",
            [Problem("must not be in the past", column="on", value=str(when))],
        )
    if when > day + timedelta(days=28):
        raise InvalidInputError(
            "The session is not valid",
            [Problem("must be within four weeks", column="on", value=str(when))],
        )
    found = find_helpers(session, viewer=viewer, skill_id=skill_id, limit=MAX_HELPERS, today=day)
    helper = next((h for h in found.helpers if h.person.id == helper_id), None)
    if helper is None:
        raise ConflictError("This colleague cannot help with this skill this week.")
    program_id = next(
        e.program_id
        for e in finder_repository.micro_mentor_enrolments(session)
        if e.employee_id == helper_id and skill_id in e.skill_ids
    )
    match = Match(
        program_id=program_id,
        mentor_id=helper_id,
        status="proposed",
        score=helper.score,
        reasons=[*helper.reasons, *([f"Asked: {note.strip()}"] if note.strip() else [])],
        parts=helper.parts.model_dump(),
        skill_ids=[skill_id],
        started_on=when,
    )
    session.add(match)
    session.flush()
    session.add(
        MatchMember(
            match_id=match.id,
            employee_id=viewer.employee_id,
            answer="accepted",
            mentor_answer="pending",
            score=helper.score,
        )
    )
    session.flush()
    identity.record_audit(
        session,
        actor=viewer.email,
        actor_user_id=viewer.user_id,
        action="match.book",
        entity_type="mentoring_match",
        entity_id=str(match.id),
        summary=f"asked for a micro-mentoring session on {found.skill.name}",
    )
    return service.get_match(session, viewer=viewer, match_id=match.id)
