"""Mentor proposals for a learning path's mentorship step (rules in docs/planner.md,
"Mentorship steps").

A placeholder for the mentoring domain, but a complete rule: a mentor is a current colleague
outside the mentee's reporting line who holds the step's skills at an expert level (Advanced or
above on the 5-point scale, the level that "guides others") and has a free place.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from skillpath.core.errors import InvalidInputError, NotFoundError, Problem
from skillpath.core.levels import DEFAULT_SCALE
from skillpath.domains.learning import mentors_repository as repository
from skillpath.domains.learning.engine.model import EPSILON
from skillpath.domains.people import repository as people_repository
from skillpath.domains.taxonomy import repository as taxonomy_repository

MENTOR_CAPACITY = 3
"""At most this many open mentorship steps per mentor."""
MENTOR_MIN_LEVEL = 0.8
"""The lowest level a mentor holds a skill at: Advanced (4/5), "handles complex cases and guides
others"; a step teaching a higher level asks for that level."""
MAX_MENTOR_LIMIT = 50
"""The most candidates one proposal returns."""


@dataclass(frozen=True)
class MentorReason:
    """One reason a candidate is proposed: a `code` and `params` for pages to translate, and the
    English sentence."""

    code: str
    message: str
    params: Mapping[str, str | int | float] = field(default_factory=dict)


@dataclass(frozen=True)
class MentorSkillLevel:
    """A skill the candidate holds at the level the mentorship needs, with their level."""

    skill_id: int
    skill_name: str
    level: float
    display_level: int
    """The level on the default (5-point) display scale."""
    label: str
    """The display level's label ("Advanced", "Expert")."""


@dataclass(frozen=True)
class MentorCandidate:
    """A proposed mentor: who they are, what they hold, how busy they are and why they fit."""

    employee_id: int
    name: str
    role_title: str
    unit_name: str | None
    location_name: str | None
    skills: tuple[MentorSkillLevel, ...]
    """The requested skills they hold at the needed level, in the order they were asked."""
    missing_skill_ids: tuple[int, ...]
    """The requested skills they do not hold at the needed level (partial coverage)."""
    open_mentees: int
    """Planned mentorship steps already assigned to them on proposed, approved or active paths."""
    capacity: int
    same_location: bool
    same_timezone: bool
    reasons: tuple[str, ...]
    """Short English sentences saying why, in the order of `reason_codes`."""
    reason_codes: tuple[MentorReason, ...]

    @property
    def coverage(self) -> int:
        """How many of the requested skills they hold at the needed level."""
        return len(self.skills)

    @property
    def level_sum(self) -> float:
        """The sum of their levels on the skills they cover (the second ranking key)."""
        return math.fsum(skill.level for skill in self.skills)


@dataclass
class _Candidate:
    """A colleague found by the skill query, before ranking."""

    employee_id: int
    location_id: int | None
    timezone: str | None
    levels: dict[int, float] = field(default_factory=dict)


def required_levels(skills: Sequence[tuple[int, float]]) -> dict[int, float]:
    """Skill id → the level a mentor must hold it at: max(MENTOR_MIN_LEVEL, level taught).

    A skill listed twice asks for the higher level. Raises `InvalidInputError` naming each bad
    entry (no skills, a level outside [0, 1]).
    """
    problems: list[Problem] = []
    if not skills:
        problems.append(Problem("name at least one skill the mentorship covers", column="skills"))
    taught: dict[int, float] = {}
    for index, (skill_id, level) in enumerate(skills):
        if not isinstance(level, int | float) or not math.isfinite(level) or not 0 <= level <= 1:
            problems.append(
                Problem(
                    f"skills[{index}]: the level taught must be between 0 and 1",
                    column="skills",
                    value=str(level),
                )
            )
            continue
        taught[skill_id] = max(taught.get(skill_id, 0.0), float(level))
    if problems:
        raise InvalidInputError("The mentorship skills are not valid", problems)
    return {skill_id: max(MENTOR_MIN_LEVEL, level) for skill_id, level in taught.items()}


def propose_mentors(
    session: Session,
    *,
    mentee_id: int,
    skills: Sequence[tuple[int, float]],
    day: date,
    limit: int = 3,
    exclude: Collection[int] = (),
    by_priority: bool = False,
    window: tuple[date, date] | None = None,
) -> list[MentorCandidate]:
    """The best `limit` mentors for a mentee on `day`, best first, each with the reasons.

    `skills` are (skill id, level the step teaches). Eligible: employed on `day`, not the mentee,
    not in `exclude`, neither above the mentee in their manager chain nor reporting to them, not
    on an open learning path that plans for one of the skills (still learning it themselves),
    fewer than MENTOR_CAPACITY open mentorship steps, and holding at least one of the skills at
    max(MENTOR_MIN_LEVEL, level taught). Ranked by skills covered, then the sum of their levels on
    them, fewer open mentees, same location, same time zone, then id; so whoever covers every
    skill comes first, and when nobody does, those covering the most. An empty list means nobody
    holds any of the skills at the level. With `by_priority`, `skills` are listed most important
    first and holding them comes before everything else, in that order (whoever holds the first
    skill ranks above whoever does not, then the second, …): a learning path lists a step's skills
    in the order of the person's gaps, so the mentor holds the gaps that matter most. With
    `window` (the step's first and last day), capacity counts only the mentorships overlapping it:
    a mentor of three people this month is free again next quarter.
    """
    if not 1 <= limit <= MAX_MENTOR_LIMIT:
        raise InvalidInputError(
            "The number of mentors to propose is not valid",
            [
                Problem(
                    f"must be between 1 and {MAX_MENTOR_LIMIT}", column="limit", value=str(limit)
                )
            ],
        )
    thresholds = required_levels(skills)
    mentee = repository.employee_place(session, mentee_id)
    if mentee is None:
        raise NotFoundError(f"Employee {mentee_id} not found")
    names = taxonomy_repository.skill_names(session, thresholds)
    unknown = sorted(set(thresholds) - set(names))
    if unknown:
        raise InvalidInputError(
            "The mentorship skills are not valid",
            [Problem("no such skill", column="skills", value=str(s)) for s in unknown],
        )
    mentee_location_id, mentee_timezone = mentee

    managers = {row[0] for row in people_repository.manager_chain(session, mentee_id)}
    excluded = {mentee_id, *managers, *exclude}
    candidates: dict[int, _Candidate] = {}
    for employee_id, skill_id, level, location_id, timezone in repository.expert_rows(
        session,
        thresholds={s: t - EPSILON for s, t in thresholds.items()},
        day=day,
        excluded_ids=excluded,
    ):
        candidate = candidates.get(employee_id)
        if candidate is None:
            candidate = candidates[employee_id] = _Candidate(employee_id, location_id, timezone)
        candidate.levels[skill_id] = level
    if not candidates:
        return []
    reports = people_repository.reporting_line_ids(session, mentee_id)
    outside_line = [c for c in candidates.values() if c.employee_id not in reports]
    learners = repository.learning_the_skills(
        session, [c.employee_id for c in outside_line], thresholds
    )
    outside_line = [c for c in outside_line if c.employee_id not in learners]
    busy = repository.open_mentorship_counts(session, [c.employee_id for c in outside_line], window)
    eligible = [c for c in outside_line if busy.get(c.employee_id, 0) < MENTOR_CAPACITY]

    def same_location(c: _Candidate) -> bool:
        return mentee_location_id is not None and c.location_id == mentee_location_id

    def same_timezone(c: _Candidate) -> bool:
        return mentee_timezone is not None and c.timezone == mentee_timezone

    order = list(dict.fromkeys(skill for skill, _ in skills)) if by_priority else []
    eligible.sort(
        key=lambda c: (
            tuple(skill not in c.levels for skill in order),
            -len(c.levels),
            -math.fsum(c.levels.values()),
            busy.get(c.employee_id, 0),
            not same_location(c),
            not same_timezone(c),
            c.employee_id,
        )
    )
    chosen = eligible[:limit]
    details = repository.mentor_details(session, [c.employee_id for c in chosen])
    return [
        _mentor_candidate(
            c,
            details[c.employee_id],
            thresholds=thresholds,
            skill_names=names,
            open_mentees=busy.get(c.employee_id, 0),
            same_location=same_location(c),
            same_timezone=same_timezone(c),
        )
        for c in chosen
    ]


def _mentor_candidate(
    candidate: _Candidate,
    details: tuple[str, str, str, str | None, str | None],
    *,
    thresholds: Mapping[int, float],
    skill_names: Mapping[int, str],
    open_mentees: int,
    same_location: bool,
    same_timezone: bool,
) -> MentorCandidate:
    """A ranked candidate with their details and reasons."""
    first_name, last_name, role_title, unit_name, location_name = details
    held = tuple(
        MentorSkillLevel(
            skill_id=skill_id,
            skill_name=skill_names[skill_id],
            level=level,
            display_level=DEFAULT_SCALE.from_latent(level),
            label=DEFAULT_SCALE.label(level),
        )
        for skill_id in thresholds
        if (level := candidate.levels.get(skill_id)) is not None
    )
    missing = tuple(skill_id for skill_id in thresholds if skill_id not in candidate.levels)
    reasons = [
        MentorReason(
            "holds_skill",
            f"Holds {s.skill_name} at {s.label} ({s.display_level}/{DEFAULT_SCALE.maximum})",
            {
                "skill_id": s.skill_id,
                "skill": s.skill_name,
                "label": s.label,
                "level": s.display_level,
                "maximum": DEFAULT_SCALE.maximum,
            },
        )
        for s in held
    ]
    if missing:
        reasons.append(
            MentorReason(
                "partial_coverage",
                f"Covers {len(held)} of {len(thresholds)} skills",
                {"covered": len(held), "asked": len(thresholds)},
            )
        )
    for skill_id in missing:
        needed = thresholds[skill_id]
        reasons.append(
            MentorReason(
                "lacks_skill",
                f"Does not hold {skill_names[skill_id]} at {DEFAULT_SCALE.label(needed)} or above",
                {
                    "skill_id": skill_id,
                    "skill": skill_names[skill_id],
                    "label": DEFAULT_SCALE.label(needed),
                },
            )
        )
    reasons.append(MentorReason("outside_reporting_line", "Not in your reporting line"))
    reasons.append(
        MentorReason(
            "mentoring",
            f"Mentoring {open_mentees} of {MENTOR_CAPACITY} people",
            {"count": open_mentees, "capacity": MENTOR_CAPACITY},
        )
    )
    if same_location and location_name:
        reasons.append(
            MentorReason(
                "same_location", f"Same location: {location_name}", {"location": location_name}
            )
        )
    elif same_timezone and candidate.timezone:
        reasons.append(
            MentorReason(
                "same_timezone",
                f"Same time zone: {candidate.timezone}",
                {"timezone": candidate.timezone},
            )
        )
    return MentorCandidate(
        employee_id=candidate.employee_id,
        name=f"{first_name} {last_name}",
        role_title=role_title,
        unit_name=unit_name,
        location_name=location_name,
        skills=held,
        missing_skill_ids=missing,
        open_mentees=open_mentees,
        capacity=MENTOR_CAPACITY,
        same_location=same_location,
        same_timezone=same_timezone,
        reasons=tuple(reason.message for reason in reasons),
        reason_codes=tuple(reasons),
    )
