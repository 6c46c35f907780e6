"""The internal marketplace: opportunities and explained matches both ways (docs/mobility.md).

Managers and HR post opportunities (roles linked to openings, gigs, projects, stretch
assignments, mentoring offers). The match engine (`engine/matching.py`) ranks opportunities for
a person and internal candidates for an opportunity over the whole workforce; every match is
explained — sub-scores that reproduce the score, matching and missing skills with levels, the few
skills that would raise it most and the items that teach them, and the months of the optimal
learning path to be ready.

Who sees what: open opportunities, everyone; drafts and closed ones, the owner, the owner's line
and HR. A person's recommendations: the person and HR (their aspirations are inputs). Candidates
for an opportunity: its owner, the owner's line and HR; the aspiration parts behind a candidate's
score are not shown to them. No manager can hide their people from the marketplace.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
from sqlalchemy.orm import Session

from skillpath.core.clock import today as utc_today
from skillpath.core.clock import utcnow
from skillpath.core.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from skillpath.core.errors import Problem as InputProblem
from skillpath.core.levels import DEFAULT_SCALE
from skillpath.core.places import language_of
from skillpath.domains.evidence import capture_repository
from skillpath.domains.identity import service as identity
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.learning import paths as learning_paths
from skillpath.domains.learning import repository as learning_repository
from skillpath.domains.mobility import repository
from skillpath.domains.mobility.engine.matching import (
    BANDS,
    TIMEZONE_SPAN,
    WEIGHTS,
    Explanation,
    SkillLine,
    band,
    explain,
    rank_opportunities,
    rank_people,
)
from skillpath.domains.mobility.models import Opportunity, OpportunityNotification, OpportunitySkill
from skillpath.domains.mobility.schemas import (
    Formula,
    MatchRead,
    OpportunityIn,
    OpportunityRead,
    Parts,
    Raise,
    SkillMatch,
    SkillNeed,
    SubScores,
)
from skillpath.domains.people import repository as people_repository
from skillpath.domains.people.models import Opening
from skillpath.domains.people.schemas import PersonRef, RoleRef
from skillpath.domains.taxonomy.schemas import SkillRef

NOTIFY_AT = 0.80
"""A newly opened opportunity notifies people whose score reaches this (the "very high" band)."""
NOTIFY_AT_MOST = 50
RAISE_SHOWN = 3
ITEMS_PER_RAISE = 2
MAX_LIMIT = 100


def _display(level: float) -> int:
    return 0 if level <= 1e-9 else DEFAULT_SCALE.from_latent(min(max(level, 0.0), 1.0))


def _refused(reason: str, field: str, value: object = None) -> InvalidInputError:
    shown = None if value is None else str(value)
    return InvalidInputError(
        "The opportunity is not valid.", [InputProblem(reason, column=field, value=shown)]
    )


def formula() -> Formula:
    """The published match formula (shown on a page in the product)."""
    return Formula(
        weights=dict(WEIGHTS),
        bands={name: bound for bound, name in BANDS},
        timezone_span_hours=TIMEZONE_SPAN,
        description=[
            "score = 0.70 × skills + 0.15 × aspiration + 0.15 × logistics",
            "skills = Σ importance × min(your level, target) / target ÷ Σ importance, over the "
            "skills the opportunity asks for (being above the target earns nothing extra)",
            "aspiration = ½ × (the role is one you are working towards) + ½ × the importance "
            "share of its skills you want to develop",
            "logistics = (place + time zone + language) / 3; place 1 when remote or the same "
            "location, ½ in the same country, 0 otherwise; time zone 1 − |difference in hours| / "
            "8; language 1 when you speak the language the work is done in",
            "No demographic attribute (age, gender, nationality, …) is an input.",
        ],
    )


# Who may do what


def _owner_line(session: Session, viewer: Viewer, owner_id: int | None) -> bool:
    """The viewer is the owner or above them in the reporting line."""
    me = viewer.employee_id
    if me is None or owner_id is None:
        return False
    return me == owner_id or capture_repository.in_reporting_line(
        session, manager_id=me, employee_id=owner_id
    )


def _may_manage(session: Session, viewer: Viewer, opportunity: Opportunity) -> bool:
    return viewer.can_administer or _owner_line(session, viewer, opportunity.owner_id)


def _visible(session: Session, viewer: Viewer, opportunity_id: int) -> Opportunity:
    found = repository.opportunity(session, opportunity_id)
    if found is None or (
        found.status != "open"
        and not _may_manage(session, viewer, found)
        and not viewer.sees_everyone
        and not (
            found.status in ("filled", "closed")
            and viewer.employee_id is not None
            and found.id in repository.interests_of(session, viewer.employee_id, [found.id])
        )
    ):
        raise NotFoundError(f"No opportunity with id {opportunity_id}.")
    return found


def _managed(session: Session, viewer: Viewer, opportunity_id: int) -> Opportunity:
    found = _visible(session, viewer, opportunity_id)
    if not _may_manage(session, viewer, found):
        raise ForbiddenError("Only the opportunity's owner, their managers or HR can do this.")
    return found


# Reads


def _reads(session: Session, viewer: Viewer, rows: Sequence[Opportunity]) -> list[OpportunityRead]:
    skills = repository.opportunity_skills(session, [row.id for row in rows])
    roles, units, locations, _ = repository.names(
        session,
        roles={row.role_id for row in rows if row.role_id},
        units={row.org_unit_id for row in rows if row.org_unit_id},
        locations={row.location_id for row in rows if row.location_id},
    )
    owners = repository.employee_rows(session, {row.owner_id for row in rows if row.owner_id})
    reads = []
    for row in rows:
        owner = owners.get(row.owner_id) if row.owner_id else None
        reads.append(
            OpportunityRead(
                id=row.id,
                kind=row.kind,
                status=row.status,
                title=row.title,
                description=row.description,
                role=RoleRef(id=row.role_id, title=roles.get(row.role_id, ""))
                if row.role_id
                else None,
                opening_id=row.opening_id,
                unit=units.get(row.org_unit_id) if row.org_unit_id else None,
                location=locations.get(row.location_id) if row.location_id else None,
                remote=row.remote,
                language=row.language,
                time_share=row.time_share,
                duration_weeks=row.duration_weeks,
                starts_on=row.starts_on,
                closes_on=row.closes_on,
                owner=PersonRef(id=owner.id, name=f"{owner.first_name} {owner.last_name}")
                if owner is not None
                else None,
                published_at=row.published_at,
                filled_on=row.filled_on,
                skills=[
                    SkillNeed(
                        skill=SkillRef(id=skill, name=name),
                        level=level,
                        display_level=_display(level),
                        importance=importance,
                    )
                    for skill, name, level, importance in skills.get(row.id, [])
                ],
                can_manage=_may_manage(session, viewer, row),
            )
        )
    return reads


def get_opportunity(session: Session, *, viewer: Viewer, opportunity_id: int) -> OpportunityRead:
    """One opportunity (drafts and closed ones only for those who manage it, and HR)."""
    return _reads(session, viewer, [_visible(session, viewer, opportunity_id)])[0]


def list_opportunities(
    session: Session,
    *,
    viewer: Viewer,
    status: str = "open",
    kind: str | None = None,
    q: str | None = None,
    mine: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[OpportunityRead], int]:
    """Open opportunities for everyone; `mine` lists those the viewer owns or their line owns
    (any status); HR and executives may list any status."""
    if status not in ("open", "draft", "filled", "closed", "all"):
        raise _refused("must be open, draft, filled, closed or all", "status", status)
    statuses = ("draft", "open", "filled", "closed") if status == "all" else (status,)
    owners: list[int] | None = None
    if mine:
        if viewer.employee_id is None:
            return [], 0
        owners = [
            viewer.employee_id,
            *people_repository.reporting_line_ids(session, viewer.employee_id),
        ]
    elif status != "open" and not viewer.sees_everyone:
        raise ForbiddenError("Only HR and executives list opportunities that are not open.")
    rows, total = repository.list_opportunities(
        session,
        statuses=statuses,
        kind=kind,
        q=q,
        owner_ids=owners,
        limit=min(max(limit, 1), MAX_LIMIT),
        offset=max(offset, 0),
    )
    return _reads(session, viewer, rows), total


# Posting


def create_opportunity(
    session: Session, *, viewer: Viewer, data: OpportunityIn, today: date | None = None
) -> OpportunityRead:
    """A manager or HR posts an opportunity (a draft, or open when `publish`)."""
    day = today or utc_today()
    if not (viewer.can_administer or viewer.role == "manager"):
        raise ForbiddenError("Only managers and HR post opportunities.")
    role_id = data.role_id
    owner_id = data.owner_id
    opening: Opening | None = None
    if data.opening_id is not None:
        opening = session.get(Opening, data.opening_id)
        if opening is None or opening.status != "open":
            raise _refused("no open opening has this id", "opening_id", data.opening_id)
        if repository.opportunity_of_opening(session, opening.id) is not None:
            raise _refused("this opening is posted already", "opening_id", data.opening_id)
        role_id = role_id or opening.role_id
        if role_id != opening.role_id:
            raise _refused("differs from the opening's role", "role_id", role_id)
        owner_id = owner_id or opening.hiring_manager_id
    if data.kind == "role" and role_id is None:
        raise _refused("a role (or an opening) is needed for a role opportunity", "role_id")
    if owner_id is None:
        owner_id = viewer.employee_id
    if (
        owner_id is not None
        and not viewer.can_administer
        and not _owner_line(session, viewer, owner_id)
    ):
        raise _refused("must be you or someone in your reporting line", "owner_id", owner_id)
    roles, _, _, _ = repository.names(session, roles=[role_id] if role_id else [])
    if role_id is not None and role_id not in roles:
        raise _refused("no role has this id", "role_id", role_id)
    title = data.title.strip() or (roles.get(role_id, "") if role_id else "")
    if not title:
        raise _refused("must not be empty", "title")
    time_share = (
        data.time_share if data.time_share is not None else (1.0 if data.kind == "role" else 0.2)
    )
    if not 0 < time_share <= 1:
        raise _refused(
            "must be more than 0 and at most 1 (the whole week)", "time_share", time_share
        )
    if data.closes_on is not None and data.closes_on < day:
        raise _refused("must not be in the past", "closes_on", data.closes_on)
    skills = [(ask.skill_id, ask.level, ask.importance) for ask in data.skills]
    if not skills and role_id is not None:
        skills = repository.role_profile(session, role_id)
    if not skills:
        raise _refused("name the skills it asks for (or a role with a profile)", "skills")
    _, _, _, skill_names = repository.names(session, skills=[s for s, _, _ in skills])
    seen: set[int] = set()
    for skill, _, _ in skills:
        if skill not in skill_names:
            raise _refused("no skill has this id", "skills.skill_id", skill)
        if skill in seen:
            raise _refused("a skill is named twice", "skills.skill_id", skill)
        seen.add(skill)
    row = Opportunity(
        kind=data.kind,
        status="draft",
        title=title[:300],
        description=data.description.strip(),
        role_id=role_id,
        opening_id=opening.id if opening is not None else None,
        org_unit_id=data.org_unit_id or (opening.org_unit_id if opening else None),
        location_id=data.location_id or (opening.location_id if opening else None),
        remote=data.remote,
        language=language_of(data.language) if data.language.strip() else "",
        time_share=time_share,
        duration_weeks=data.duration_weeks,
        starts_on=data.starts_on,
        closes_on=data.closes_on,
        owner_id=owner_id,
        posted_by_id=viewer.user_id if viewer.user_id > 0 else None,
    )
    session.add(row)
    session.flush()
    for skill, level, importance in skills:
        session.add(
            OpportunitySkill(
                opportunity_id=row.id,
                skill_id=skill,
                level=min(max(level, 0.01), 1.0),
                importance=min(max(importance, 0.01), 1.0),
            )
        )
    session.flush()
    _audit(session, viewer, row, "opportunity.create", f"posted {row.title!r} ({row.kind})")
    if data.publish:
        return publish_opportunity(session, viewer=viewer, opportunity_id=row.id, today=day)
    return _reads(session, viewer, [row])[0]


def _audit(session: Session, viewer: Viewer, row: Opportunity, action: str, summary: str) -> None:
    identity.record_audit(
        session,
        actor=viewer.email,
        actor_user_id=viewer.user_id if viewer.user_id > 0 else None,
        action=action,
        entity_type="opportunity",
        entity_id=str(row.id),
        summary=summary,
    )


def publish_opportunity(
    session: Session, *, viewer: Viewer, opportunity_id: int, today: date | None = None
) -> OpportunityRead:
    """Open a draft and notify the people it matches very highly (in-app)."""
    day = today or utc_today()
    row = _managed(session, viewer, opportunity_id)
    if row.status != "draft":
        raise ConflictError(f"This opportunity is {row.status}; only drafts are published.")
    row.status = "open"
    row.published_at = utcnow()
    session.flush()
    _audit(session, viewer, row, "opportunity.publish", f"opened {row.title!r}")
    _notify(session, row, day)
    return _reads(session, viewer, [row])[0]


def close_opportunity(session: Session, *, viewer: Viewer, opportunity_id: int) -> OpportunityRead:
    """Close an opportunity without filling it."""
    row = _managed(session, viewer, opportunity_id)
    if row.status in ("filled", "closed"):
        raise ConflictError(f"This opportunity is already {row.status}.")
    row.status = "closed"
    session.flush()
    _audit(session, viewer, row, "opportunity.close", f"closed {row.title!r}")
    return _reads(session, viewer, [row])[0]


# Matching


def _eligible_people(workforce: repository.Workforce, row: Opportunity) -> np.ndarray:
    eligible = np.ones(workforce.people.size, dtype=np.bool_)
    if row.owner_id is not None and row.owner_id in workforce.row_of:
        eligible[workforce.row_of[row.owner_id]] = False
    if row.kind == "role" and row.role_id is not None:
        eligible &= workforce.role != row.role_id
    return eligible


def _notify(session: Session, row: Opportunity, day: date) -> int:
    workforce = repository.workforce(session, day)
    opportunities, row_of = repository.open_opportunities(session, workforce.codes, day)
    k = row_of.get(row.id)
    if k is None or workforce.people.size == 0:
        return 0
    eligible = _eligible_people(workforce, row)
    ranked = rank_people(
        workforce.people, opportunities, k, limit=NOTIFY_AT_MOST, eligible=eligible
    )
    already = repository.notified(session, row.id)
    sent = 0
    for index, score in zip(ranked.index.tolist(), ranked.score.tolist(), strict=True):
        person = int(workforce.people.ids[index])
        if score < NOTIFY_AT - 1e-9 or person in already:
            continue
        session.add(
            OpportunityNotification(opportunity_id=row.id, recipient_id=person, score=score)
        )
        sent += 1
    session.flush()
    return sent


def _skill_matches(
    why: Explanation, names: dict[int, str]
) -> tuple[list[SkillMatch], list[SkillMatch]]:
    def read(line: SkillLine) -> SkillMatch:
        return SkillMatch(
            skill=SkillRef(id=line.skill, name=names.get(line.skill, str(line.skill))),
            level=line.level,
            target=line.target,
            display_level=_display(line.level),
            target_display_level=_display(line.target),
            importance=line.importance,
            shortfall=max(0.0, line.target - line.level),
            gain=line.gain,
        )

    return [read(line) for line in why.matching], [read(line) for line in why.missing]


def _match_read(
    session: Session,
    *,
    why: Explanation,
    opportunity: OpportunityRead,
    person: PersonRef,
    employee_id: int,
    private: bool,
    interest: str | None,
    day: date,
    names: dict[int, str],
    person_role: RoleRef | None = None,
    person_unit: str | None = None,
    person_location: str | None = None,
) -> MatchRead:
    matching, missing = _skill_matches(why, names)
    raises = []
    for line in missing[:RAISE_SHOWN]:
        if line.gain <= 0:
            continue
        items, _ = learning_repository.items_teaching_skill(
            session, line.skill.id, limit=ITEMS_PER_RAISE
        )
        raises.append(
            Raise(skill=line.skill, gain=line.gain, items=[row[0].title for row in items])
        )
    ready = learning_paths.readiness(
        session,
        employee_id=employee_id,
        gaps=[(line.skill.id, line.target, line.level) for line in missing],
        day=day,
    )
    return MatchRead(
        opportunity=opportunity,
        person=person,
        score=why.score,
        band=band(why.score),
        weights=dict(WEIGHTS),
        subscores=SubScores(skills=why.skills, aspiration=why.aspiration, logistics=why.logistics),
        parts=Parts(
            targets_role=why.targets_role if private else None,
            develop_share=why.develop_share if private else None,
            place=why.place,
            timezone=why.timezone,
            language=why.language,
        ),
        matching_skills=matching,
        missing_skills=missing,
        raise_score=raises,
        months_to_ready=ready.months,
        hours_to_ready=ready.hours,
        not_teachable=[
            line.skill for line in missing if line.skill.id in set(ready.unreachable_skills)
        ],
        interest=interest,
        person_role=person_role,
        person_unit=person_unit,
        person_location=person_location,
    )


def _check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise _refused(f"must be between 1 and {MAX_LIMIT}", "limit", limit)
    return limit


def recommendations(
    session: Session,
    *,
    viewer: Viewer,
    employee_id: int,
    limit: int = 10,
    kind: str | None = None,
    today: date | None = None,
) -> list[MatchRead]:
    """The open opportunities that fit a person best, explained (the person and HR only).

    Left out: opportunities the person owns, marked "not interested", or that are their current
    role."""
    day = today or utc_today()
    _check_limit(limit)
    if viewer.employee_id != employee_id and not viewer.can_administer:
        raise NotFoundError("No such person.")
    workforce = repository.workforce(session, day)
    k = workforce.row_of.get(employee_id)
    if k is None:
        raise NotFoundError("No such person.")
    opportunities, row_of = repository.open_opportunities(session, workforce.codes, day)
    if opportunities.size == 0:
        return []
    interests = repository.interests_of(session, employee_id)
    eligible = np.ones(opportunities.size, dtype=np.bool_)
    for opportunity_id, status in interests.items():
        if status == "dismissed" and opportunity_id in row_of:
            eligible[row_of[opportunity_id]] = False
    eligible &= ~((opportunities.role == int(workforce.role[k])) & (opportunities.role >= 0))
    owners_kinds = repository.owners_and_kinds(session, row_of)
    for opportunity_id, (owner_id, opportunity_kind) in owners_kinds.items():
        if owner_id == employee_id or (kind is not None and opportunity_kind != kind):
            eligible[row_of[opportunity_id]] = False
    person = workforce.people.row(k)
    ranked = rank_opportunities(person, opportunities, limit=limit, eligible=eligible)
    chosen = [int(opportunities.ids[i]) for i in ranked.index.tolist()]
    chosen_rows = [repository.opportunity(session, i) for i in chosen]
    reads = {
        read.id: read
        for read in _reads(session, viewer, [row for row in chosen_rows if row is not None])
    }
    explanations = [explain(person, opportunities, int(i)) for i in ranked.index.tolist()]
    _, _, _, names = repository.names(
        session, skills={line.skill for why in explanations for line in why.lines}
    )
    people = repository.employee_rows(session, [employee_id])
    me = people[employee_id]
    ref = PersonRef(id=employee_id, name=f"{me.first_name} {me.last_name}")
    return [
        _match_read(
            session,
            why=why,
            opportunity=reads[opportunity_id],
            person=ref,
            employee_id=employee_id,
            private=True,
            interest=interests.get(opportunity_id),
            day=day,
            names=names,
        )
        for opportunity_id, why in zip(chosen, explanations, strict=True)
    ]


def match_of(
    session: Session,
    *,
    viewer: Viewer,
    employee_id: int,
    opportunity_id: int,
    today: date | None = None,
) -> MatchRead | None:
    """One person's explained match with one open opportunity (the person and HR only; None
    when the opportunity is not open or the person is not employed)."""
    day = today or utc_today()
    if viewer.employee_id != employee_id and not viewer.can_administer:
        raise NotFoundError("No such person.")
    read = get_opportunity(session, viewer=viewer, opportunity_id=opportunity_id)
    workforce = repository.workforce(session, day)
    k = workforce.row_of.get(employee_id)
    opportunities, row_of = repository.open_opportunities(session, workforce.codes, day)
    j = row_of.get(opportunity_id)
    if k is None or j is None:
        return None
    why = explain(workforce.people.row(k), opportunities, j)
    _, _, _, names = repository.names(session, skills={line.skill for line in why.lines})
    me = repository.employee_rows(session, [employee_id])[employee_id]
    return _match_read(
        session,
        why=why,
        opportunity=read,
        person=PersonRef(id=employee_id, name=f"{me.first_name} {me.last_name}"),
        employee_id=employee_id,
        private=True,
        interest=repository.interests_of(session, employee_id, [opportunity_id]).get(
            opportunity_id
        ),
        day=day,
        names=names,
    )


def candidates(
    session: Session,
    *,
    viewer: Viewer,
    opportunity_id: int,
    limit: int = 20,
    today: date | None = None,
) -> list[MatchRead]:
    """Internal candidates for an opportunity, best first, explained, with readiness (its
    owner, the owner's line and HR). Everyone employed is considered but its owner and, for a
    role, the people already in it."""
    day = today or utc_today()
    _check_limit(limit)
    row = _managed(session, viewer, opportunity_id)
    if row.status != "open":
        raise ConflictError(f"This opportunity is {row.status}; candidates are ranked while open.")
    workforce = repository.workforce(session, day)
    opportunities, row_of = repository.open_opportunities(session, workforce.codes, day)
    k = row_of[row.id]
    ranked = rank_people(
        workforce.people, opportunities, k, limit=limit, eligible=_eligible_people(workforce, row)
    )
    read = _reads(session, viewer, [row])[0]
    indexes = ranked.index.tolist()
    people_ids = [int(workforce.people.ids[i]) for i in indexes]
    explanations = [explain(workforce.people.row(i), opportunities, k) for i in indexes]
    rows = repository.employee_rows(session, people_ids)
    roles, units, locations, names = repository.names(
        session,
        roles={r.role_id for r in rows.values() if r.role_id},
        units={r.org_unit_id for r in rows.values() if r.org_unit_id},
        locations={r.location_id for r in rows.values() if r.location_id},
        skills={line.skill for why in explanations for line in why.lines},
    )
    interests = repository.interests_in(session, row.id)
    found = []
    for person_id, why in zip(people_ids, explanations, strict=True):
        person = rows[person_id]
        status = interests.get(person_id)
        found.append(
            _match_read(
                session,
                why=why,
                opportunity=read,
                person=PersonRef(id=person_id, name=f"{person.first_name} {person.last_name}"),
                employee_id=person_id,
                private=viewer.can_administer,
                interest=status if status not in ("saved", "dismissed") else None,
                day=day,
                names=names,
                person_role=RoleRef(id=person.role_id, title=roles.get(person.role_id, ""))
                if person.role_id
                else None,
                person_unit=units.get(person.org_unit_id) if person.org_unit_id else None,
                person_location=locations.get(person.location_id) if person.location_id else None,
            )
        )
    return found


def match_score(
    session: Session, employee_id: int, opportunity_id: int, today: date | None = None
) -> float | None:
    """The current match score of one person and one open opportunity (None otherwise)."""
    day = today or utc_today()
    workforce = repository.workforce(session, day)
    k = workforce.row_of.get(employee_id)
    opportunities, row_of = repository.open_opportunities(session, workforce.codes, day)
    j = row_of.get(opportunity_id)
    if k is None or j is None:
        return None
    return explain(workforce.people.row(k), opportunities, j).score


def unread_matches(session: Session, *, viewer: Viewer) -> int:
    """How many match notifications the viewer has not read."""
    if viewer.employee_id is None:
        return 0
    return sum(
        1
        for row in repository.notifications_of(session, viewer.employee_id, 200)
        if row[0].read_at is None
    )
