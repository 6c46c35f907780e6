"""Reading consolidated profiles: levels on the display scale, confidence, intents and the
breakdown that explains each stored level (docs/capture.md, docs/consolidation.md).

The breakdown is not stored. It is recomputed on demand by running the consolidation engine over
the person's evidence as of the stored `computed_at`, under the policy in force — the very
computation that produced the stored number — so each piece of evidence's weight and share
explain the level exactly. When evidence arrived later for an earlier moment (an import without
a refresh), the recomputation differs from the stored row and the skill says it is not up to
date.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
from sqlalchemy.orm import Session

from skillpath.core.clock import today
from skillpath.core.errors import NotFoundError
from skillpath.core.levels import DEFAULT_SCALE, DisplayScale
from skillpath.domains.evidence import capture, profiles_repository, service
from skillpath.domains.evidence import capture_repository as repository
from skillpath.domains.evidence.capture_repository import ProfileRow
from skillpath.domains.evidence.engine.consolidation import (
    COUNTED,
    EXPIRED,
    consolidate,
)
from skillpath.domains.evidence.engine.policy import SOURCES, ConsolidationPolicy
from skillpath.domains.evidence.profile_schemas import (
    BreakdownLine,
    ConfidenceBand,
    EmployeeProfile,
    EvidenceCreated,
    PersonName,
    ProfileSkill,
    RowStatus,
    ScaleRead,
    Teammate,
    ValidationRead,
)
from skillpath.domains.evidence.schemas import RaterRef
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.people.models import Employee
from skillpath.domains.taxonomy.schemas import SkillRef

LOW_CONFIDENCE = 0.4
"""Below this a level rests on little or conflicting evidence ("low")."""
HIGH_CONFIDENCE = 0.7
"""At or above this a level rests on plenty of agreeing evidence ("high")."""
TOLERANCE = 1e-9
_STATUS: dict[int, RowStatus] = {COUNTED: "counted", EXPIRED: "expired"}


def confidence_band(confidence: float) -> ConfidenceBand:
    """Words for a confidence: low (< 0.4), medium, high (≥ 0.7)."""
    if confidence < LOW_CONFIDENCE:
        return "low"
    if confidence < HIGH_CONFIDENCE:
        return "medium"
    return "high"


def scale_read(scale: DisplayScale) -> ScaleRead:
    """The read shape of a display scale."""
    return ScaleRead(
        code=scale.code,
        name=scale.name,
        minimum=scale.minimum,
        maximum=scale.maximum,
        labels=list(scale.labels),
    )


@dataclass(frozen=True)
class _Explained:
    """A recomputed group: its breakdown lines and the level and confidence the engine gives."""

    lines: list[BreakdownLine]
    level: float
    confidence: float
    total_weight: float


def _inputs_of_person(
    session: Session,
    *,
    employee_id: int,
    as_of: datetime,
    policy: ConsolidationPolicy,
    known_kinds: dict[int, str],
) -> service.ConsolidationInputs:
    """One person's evidence as of a moment as the engine's batch, with evidence ids: the same
    batch as `service.consolidation_inputs(..., employee_ids=[employee_id], with_ids=True)`
    (same rows in the same order, same ages and half-lives), but reading the kinds of only
    the skills the person has evidence in rather than of every skill in the taxonomy.

    `known_kinds` are skill kinds the caller read in the same transaction (those of the
    profile rows); only the kinds of other skills in the evidence are read."""
    columns = profiles_repository.evidence_columns(
        session, as_of=as_of, employee_ids=[employee_id], with_ids=True
    )
    present = {int(skill) for skill in np.unique(columns.skill)}
    kinds = {skill: known_kinds[skill] for skill in present if skill in known_kinds}
    kinds.update(repository.skill_kinds(session, sorted(present - kinds.keys())))
    half_life_of = {skill_id: policy.half_life_for(kind) for skill_id, kind in kinds.items()}
    half_lives = np.array(
        [half_life_of.get(int(skill), policy.default_half_life_days) for skill in columns.skill],
        dtype=np.float64,
    )
    return service.inputs_of_columns(columns, half_lives, as_of=as_of, policy=policy)


def _explain(
    session: Session,
    *,
    employee_id: int,
    as_of: datetime,
    skill_ids: set[int],
    scale: DisplayScale,
    known_kinds: dict[int, str],
) -> dict[int, _Explained]:
    """Run the engine over a person's evidence as of a moment; per skill asked for, every piece
    of evidence with its status, weight and share."""
    policy = service.policy_in_force(session)
    inputs = _inputs_of_person(
        session, employee_id=employee_id, as_of=as_of, policy=policy, known_kinds=known_kinds
    )
    batch = inputs.batch
    assert inputs.evidence_ids is not None
    result = consolidate(batch, policy)
    by_skill_group = {int(skill): group for group, skill in enumerate(result.skill)}
    wanted = [i for i in range(batch.size) if int(batch.skill[i]) in skill_ids]
    details = repository.evidence_details(session, [int(inputs.evidence_ids[i]) for i in wanted])
    lines: dict[int, list[BreakdownLine]] = defaultdict(list)
    for i in wanted:
        evidence_id = int(inputs.evidence_ids[i])
        detail = details.get(evidence_id)
        if detail is None:  # pragma: no cover - deleted between the two reads
            continue
        _id, _source, rater_id, first, last, note, item_id, observed_at = detail
        status = _STATUS.get(int(result.row_status[i]), "superseded")
        rater = (
            RaterRef(id=rater_id, name=f"{first or ''} {last or ''}".strip())
            if rater_id is not None
            else None
        )
        level = float(batch.level[i])
        lines[int(batch.skill[i])].append(
            BreakdownLine(
                evidence_id=evidence_id,
                source=SOURCES[int(batch.source[i])],
                rater=rater,
                observed_at=observed_at,
                level=level,
                display_level=scale.from_latent(level),
                confidence=float(batch.confidence[i]),
                weight=float(result.row_weight[i]) if status == "counted" else 0.0,
                share=float(result.row_share[i]) if status == "counted" else 0.0,
                status=status,
                note=note,
                item_id=item_id,
            )
        )
    explained: dict[int, _Explained] = {}
    for skill_id, skill_lines in lines.items():
        skill_lines.sort(key=lambda line: (-line.share, -line.observed_at.timestamp()))
        group = by_skill_group.get(skill_id)
        explained[skill_id] = _Explained(
            lines=skill_lines,
            level=float(result.level[group]) if group is not None else math.nan,
            confidence=float(result.confidence[group]) if group is not None else math.nan,
            total_weight=float(result.total_weight[group]) if group is not None else math.nan,
        )
    return explained


def _close(a: float, b: float) -> bool:
    return not math.isnan(a) and abs(a - b) <= TOLERANCE


def _profile_skills(
    session: Session,
    *,
    employee_id: int,
    rows: Sequence[ProfileRow],
    intents: dict[int, str],
    scale: DisplayScale,
) -> list[ProfileSkill]:
    """Profile rows with their breakdowns (one engine run per distinct `computed_at`)."""
    by_moment: dict[datetime, set[int]] = defaultdict(set)
    for row in rows:
        by_moment[row.computed_at].add(row.skill_id)
    known_kinds = {row.skill_id: row.kind for row in rows}
    explained: dict[int, _Explained] = {}
    for moment, skill_ids in by_moment.items():
        explained.update(
            _explain(
                session,
                employee_id=employee_id,
                as_of=moment,
                skill_ids=skill_ids,
                scale=scale,
                known_kinds=known_kinds,
            )
        )
    skills = []
    for stored in rows:
        found = explained.get(stored.skill_id)
        lines = found.lines if found else []
        weighted_mean = float(
            np.sum([line.share * line.level for line in lines if line.status == "counted"])
        )
        up_to_date = (
            found is not None
            and _close(found.level, stored.level)
            and _close(found.confidence, stored.confidence)
            and _close(found.total_weight, stored.total_weight)
        )
        skills.append(
            ProfileSkill(
                skill=SkillRef(id=stored.skill_id, name=stored.name),
                kind=stored.kind,
                level=stored.level,
                display_level=scale.from_latent(stored.level),
                display_label=scale.label(stored.level),
                confidence=stored.confidence,
                confidence_band=confidence_band(stored.confidence),
                weighted_mean=weighted_mean,
                floor=stored.floor if stored.floor > 0 else None,
                evidence_count=stored.evidence_count,
                total_weight=stored.total_weight,
                computed_at=stored.computed_at,
                intent=intents.get(stored.skill_id),
                breakdown=lines,
                up_to_date=up_to_date,
            )
        )
    return skills


def _visible_employee(session: Session, *, viewer: Viewer, employee_id: int) -> Employee:
    employee = repository.employee_by_id(session, employee_id)
    if employee is None or not repository.can_see(session, viewer=viewer, employee_id=employee_id):
        raise NotFoundError("No such person.")
    return employee


def _visible_person(session: Session, *, viewer: Viewer, employee_id: int) -> tuple[int, str]:
    employee = _visible_employee(session, viewer=viewer, employee_id=employee_id)
    return employee.id, f"{employee.first_name} {employee.last_name}"


def profile(
    session: Session,
    *,
    viewer: Viewer,
    employee_id: int,
    scale: DisplayScale = DEFAULT_SCALE,
) -> EmployeeProfile:
    """A person's consolidated skills profile, highest level first, each level with its
    confidence and breakdown; a person the viewer may not see is "not found"."""
    # Kept referenced: the session's identity map is weak, a second lookup would query again.
    employee = _visible_employee(session, viewer=viewer, employee_id=employee_id)
    person_id, name = employee.id, f"{employee.first_name} {employee.last_name}"
    relation = capture.relation_to(session, viewer=viewer, employee=employee, today=today())
    intent_rows = repository.intents_of(session, person_id)
    intents = {row.skill_id: row.intent for row, _name in intent_rows}
    rows = repository.profile_rows(session, person_id)
    skills = _profile_skills(
        session, employee_id=person_id, rows=rows, intents=intents, scale=scale
    )
    return EmployeeProfile(
        employee=PersonName(id=person_id, name=name),
        relation=relation if relation is not None else "viewer",
        scale=scale_read(scale),
        computed_at=max((row.computed_at for row in rows), default=None),
        skills=skills,
        intents=[capture.intent_read(row, skill_name) for row, skill_name in intent_rows],
        pending_validations=repository.count_pending_of_employee(session, person_id),
    )


def profile_skill(
    session: Session,
    *,
    viewer: Viewer,
    employee_id: int,
    skill_id: int,
    scale: DisplayScale = DEFAULT_SCALE,
) -> ProfileSkill:
    """One skill of a person's profile with its breakdown ("why this level?")."""
    person_id, _name = _visible_person(session, viewer=viewer, employee_id=employee_id)
    rows = repository.profile_rows(session, person_id, skill_id=skill_id)
    if not rows:
        raise NotFoundError("This person has no consolidated level in this skill yet.")
    intent = repository.intent_of(session, employee_id=person_id, skill_id=skill_id)
    intents = {skill_id: intent.intent} if intent is not None else {}
    return _profile_skills(session, employee_id=person_id, rows=rows, intents=intents, scale=scale)[
        0
    ]


def capture_evidence(
    session: Session,
    *,
    viewer: Viewer,
    employee_id: int,
    skill_id: int,
    level: float | None = None,
    display_level: float | None = None,
    scale: DisplayScale = DEFAULT_SCALE,
    source: str | None = None,
    confidence: float | None = None,
    observed_at: datetime | None = None,
    expires_on: date | None = None,
    item_id: int | None = None,
    note: str = "",
    ip: str = "",
    now: datetime | None = None,
) -> EvidenceCreated:
    """Write one piece of evidence as the viewer may (`capture.record_evidence`) and answer with
    it and, when the viewer may see the person, their refreshed level in the skill."""
    captured = capture.record_evidence(
        session,
        viewer=viewer,
        employee_id=employee_id,
        skill_id=skill_id,
        level=level,
        display_level=display_level,
        scale=scale,
        source=source,
        confidence=confidence,
        observed_at=observed_at,
        expires_on=expires_on,
        item_id=item_id,
        note=note,
        ip=ip,
        now=now,
    )
    skill = None
    if repository.can_see(session, viewer=viewer, employee_id=employee_id):
        skill = profile_skill(
            session, viewer=viewer, employee_id=employee_id, skill_id=skill_id, scale=scale
        )
    return EvidenceCreated(
        evidence=captured.evidence,
        validation_request_id=captured.validation_request_id,
        skill=skill,
    )


STRONGEST_SHOWN = 3
LOW_CONFIDENCE_SHOWN = 5


@dataclass(frozen=True)
class ProfilePage:
    """What the skills profile page shows: the profile, its answer (strongest skills, levels
    resting on little evidence) and, for the person themselves, their teammates to endorse and
    their self-ratings sent for validation."""

    profile: EmployeeProfile
    strongest: list[ProfileSkill]
    low_confidence: list[ProfileSkill]
    teammates: list[Teammate]
    requests: list[ValidationRead]


def profile_page(
    session: Session, *, viewer: Viewer, employee_id: int, scale: DisplayScale = DEFAULT_SCALE
) -> ProfilePage:
    """A person's profile as the page shows it (see `ProfilePage`)."""
    read = profile(session, viewer=viewer, employee_id=employee_id, scale=scale)
    strongest = [s for s in read.skills if s.confidence_band != "low"][:STRONGEST_SHOWN]
    low = sorted(
        (s for s in read.skills if s.confidence_band == "low"),
        key=lambda s: (-s.level, s.skill.name),
    )[:LOW_CONFIDENCE_SHOWN]
    is_self = read.relation == "self"
    return ProfilePage(
        profile=read,
        strongest=strongest,
        low_confidence=low,
        teammates=capture.teammates(session, viewer=viewer) if is_self else [],
        requests=capture.my_requests(session, viewer=viewer, scale=scale) if is_self else [],
    )


def level_in(
    session: Session,
    *,
    viewer: Viewer,
    employee_id: int,
    skill_id: int,
    scale: DisplayScale = DEFAULT_SCALE,
) -> ProfileSkill | None:
    """A person's current level in a skill, or None when they have none or the viewer may not
    see it (to show "was … now …" around a rating)."""
    try:
        return profile_skill(
            session, viewer=viewer, employee_id=employee_id, skill_id=skill_id, scale=scale
        )
    except NotFoundError:
        return None
