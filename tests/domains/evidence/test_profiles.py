"""Consolidated profiles: full rebuild, incremental refresh, and what they store."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from skillpath.core.reports import ImportReport
from skillpath.domains.evidence import profiles_repository, service
from skillpath.domains.evidence.engine.consolidation import consolidate
from skillpath.domains.evidence.engine.policy import SOURCE_CODE, ConsolidationPolicy
from skillpath.domains.evidence.engine.reference import EvidenceRow, reference_consolidate
from skillpath.domains.evidence.models import EmployeeSkill, ProfileBuild, SkillEvidence
from skillpath.domains.people.models import Employee
from skillpath.domains.taxonomy.models import Skill
from tests.csv_files import write_csv
from tests.factories import make_employee, make_evidence, make_skill

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
KINDS = ("tool", "skill", "knowledge", "competence", "language")
SOURCES = ("self", "manager", "peer", "assessment", "certification", "learning", "project")


def _world(session: Session, seed: int = 1) -> tuple[list[Employee], list[Skill]]:
    """Six people, five skills of every kind, and random evidence with raters and expiries."""
    rnd = random.Random(seed)
    people = [make_employee(session) for _ in range(6)]
    skills = [make_skill(session, kind=kind) for kind in KINDS]
    for person in people:
        for _ in range(rnd.randint(3, 12)):
            source = rnd.choice(SOURCES)
            evidence = make_evidence(
                session,
                person,
                rnd.choice(skills),
                source=source,
                level=round(rnd.random(), 6) if rnd.random() < 0.5 else rnd.random(),
                confidence=rnd.uniform(0.05, 1.0),
                observed_at=NOW - timedelta(days=rnd.randint(0, 1500), seconds=rnd.randint(0, 9)),
                rater=rnd.choice(people) if source in ("manager", "peer") else None,
            )
            if source == "certification" and rnd.random() < 0.5:
                evidence.expires_on = (NOW + timedelta(days=rnd.randint(-400, 400))).date()
    session.flush()
    return people, skills


def _reference(session: Session, as_of: datetime) -> dict[tuple[int, int], tuple[float, ...]]:
    """The plain per-row loop over ORM rows: (employee, skill) → stored figures."""
    policy = ConsolidationPolicy()
    kind_of = dict(session.execute(select(Skill.id, Skill.kind)).all())
    rows = []
    for evidence in session.scalars(select(SkillEvidence)):
        observed = evidence.observed_at
        if observed > as_of:
            continue
        rows.append(
            EvidenceRow(
                employee=evidence.employee_id,
                skill=evidence.skill_id,
                source=SOURCE_CODE[evidence.source],
                rater=evidence.rater_id if evidence.rater_id is not None else -1,
                level=evidence.level,
                confidence=evidence.confidence,
                age_days=(as_of.date() - observed.date()).days,
                half_life_days=policy.half_life_for(kind_of[evidence.skill_id]),
                expired=evidence.expires_on is not None and evidence.expires_on < as_of.date(),
            )
        )
    return {
        pair: (
            line.level,
            line.confidence,
            line.floor or 0.0,
            line.evidence_count,
            line.total_weight,
        )
        for pair, line in reference_consolidate(rows, policy).items()
    }


def _stored(session: Session) -> dict[tuple[int, int], tuple[float, ...]]:
    return {
        (row.employee_id, row.skill_id): (
            row.level,
            row.confidence,
            row.floor,
            row.evidence_count,
            row.total_weight,
        )
        for row in session.scalars(select(EmployeeSkill))
    }


def _assert_same(
    got: dict[tuple[int, int], tuple[float, ...]],
    expected: dict[tuple[int, int], tuple[float, ...]],
) -> None:
    assert set(got) == set(expected)
    for pair, figures in expected.items():
        assert got[pair] == pytest.approx(figures, abs=1e-12), pair


def test_rebuild_stores_what_the_reference_loop_computes(session: Session) -> None:
    _world(session)
    build = service.rebuild_profiles(session, now=NOW)
    stored = _stored(session)
    _assert_same(stored, _reference(session, NOW))
    assert build.kind == "full"
    assert build.rows == len(stored) > 0
    assert build.as_of == NOW
    assert build.employees == len({employee for employee, _ in stored})
    assert {row.computed_at for row in session.scalars(select(EmployeeSkill))} == {NOW}


def test_rebuild_returns_exactly_the_levels_it_stored(session: Session) -> None:
    _world(session)
    rebuilt = service.rebuild_profiles_with_levels(session, now=NOW)
    stored = profiles_repository.profile_levels(session)
    assert rebuilt.levels.employee.shape[0] == rebuilt.build.rows > 0
    for name in ("employee", "skill", "level", "confidence"):
        assert np.array_equal(getattr(rebuilt.levels, name), getattr(stored, name)), name
    assert rebuilt.build.employees == np.unique(stored.employee).shape[0]


def test_rebuild_records_the_build_with_its_policy(session: Session) -> None:
    _world(session)
    build = service.rebuild_profiles(session, now=NOW)
    stored = session.get(ProfileBuild, build.id)
    assert stored is not None
    assert stored.kind == "full"
    assert stored.finished_at >= stored.started_at
    policy = json.loads(stored.policy)
    assert policy["reliability"]["assessment"] == 1.0
    assert policy["half_life_days"]["tool"] == 365.0
    assert policy["learning_sets_floor"] is True


def test_rebuild_replaces_every_row(session: Session) -> None:
    _people, skills = _world(session)
    stale_person = make_employee(session)
    session.add(
        EmployeeSkill(
            employee_id=stale_person.id,
            skill_id=skills[0].id,
            level=0.9,
            confidence=0.9,
            floor=0.0,
            evidence_count=1,
            total_weight=1.0,
            computed_at=NOW - timedelta(days=30),
        )
    )
    session.flush()
    service.rebuild_profiles(session, now=NOW)
    first = _stored(session)
    assert not any(employee == stale_person.id for employee, _ in first)
    service.rebuild_profiles(session, now=NOW)
    assert _stored(session) == first
    assert session.scalar(select(func.count()).select_from(ProfileBuild)) >= 2


def test_evidence_after_the_moment_and_expired_evidence_do_not_count(session: Session) -> None:
    person = make_employee(session)
    skill = make_skill(session, kind="skill")
    make_evidence(
        session, person, skill, level=0.2, source="self", observed_at=NOW - timedelta(days=1)
    )
    make_evidence(
        session,
        person,
        skill,
        level=1.0,
        source="assessment",
        observed_at=NOW + timedelta(seconds=1),
    )
    expired = make_evidence(
        session,
        person,
        skill,
        level=1.0,
        source="certification",
        observed_at=NOW - timedelta(days=10),
    )
    expired.expires_on = (NOW - timedelta(days=1)).date()
    session.flush()
    service.rebuild_profiles(session, now=NOW)
    row = session.get(EmployeeSkill, (person.id, skill.id))
    assert row is not None
    assert row.level == pytest.approx(0.2)
    assert row.evidence_count == 1
    # Later, the assessment counts too.
    service.refresh_profiles(session, employee_ids=[person.id], now=NOW + timedelta(days=1))
    session.expire_all()
    row = session.get(EmployeeSkill, (person.id, skill.id))
    assert row is not None
    assert row.level > 0.5
    assert row.evidence_count == 2


def test_incremental_refresh_equals_full_rebuild_for_the_employees_it_covers(
    session: Session,
) -> None:
    people, skills = _world(session, seed=7)
    service.rebuild_profiles(session, now=NOW)
    before = _stored(session)
    touched = [people[1].id, people[4].id]
    for person in (people[1], people[4]):
        make_evidence(
            session,
            person,
            skills[2],
            source="assessment",
            level=0.95,
            observed_at=NOW - timedelta(days=2),
        )
    rows = service.refresh_profiles(session, employee_ids=[*touched, touched[0]], now=NOW)
    incremental = _stored(session)
    assert rows == sum(1 for employee, _ in incremental if employee in touched)
    # Untouched people keep their rows; touched people now have what a full rebuild gives.
    for pair, figures in before.items():
        if pair[0] not in touched:
            assert incremental[pair] == figures
    service.rebuild_profiles(session, now=NOW)
    full = _stored(session)
    assert incremental == full
    build = session.scalars(select(ProfileBuild).where(ProfileBuild.kind == "incremental")).one()
    assert build.employees == 2
    assert build.rows == rows


def test_refresh_of_nobody_writes_nothing(session: Session) -> None:
    assert service.refresh_profiles(session, employee_ids=[], now=NOW) == 0
    assert session.scalar(select(func.count()).select_from(ProfileBuild)) == 0


def test_refresh_removes_rows_of_people_without_evidence(session: Session) -> None:
    person = make_employee(session)
    skill = make_skill(session)
    evidence = make_evidence(session, person, skill, observed_at=NOW - timedelta(days=3))
    service.refresh_profiles(session, employee_ids=[person.id], now=NOW)
    assert session.get(EmployeeSkill, (person.id, skill.id)) is not None
    session.delete(evidence)
    session.flush()
    assert service.refresh_profiles(session, employee_ids=[person.id], now=NOW) == 0
    session.expire_all()
    assert session.get(EmployeeSkill, (person.id, skill.id)) is None


def test_consolidation_inputs_give_evidence_ids_for_the_breakdown(session: Session) -> None:
    person = make_employee(session)
    skill = make_skill(session)
    first = make_evidence(session, person, skill, level=0.4, observed_at=NOW - timedelta(days=400))
    second = make_evidence(
        session, person, skill, level=0.8, source="manager", observed_at=NOW - timedelta(days=5)
    )
    inputs = service.consolidation_inputs(
        session, as_of=NOW, policy=ConsolidationPolicy(), employee_ids=[person.id], with_ids=True
    )
    assert inputs.evidence_ids is not None
    assert sorted(inputs.evidence_ids.tolist()) == sorted([first.id, second.id])
    result = consolidate(inputs.batch, inputs.policy)
    shares = dict(zip(inputs.evidence_ids.tolist(), result.row_share.tolist(), strict=True))
    assert sum(shares.values()) == pytest.approx(1.0)
    assert shares[second.id] > shares[first.id]
    ages = dict(zip(inputs.evidence_ids.tolist(), inputs.batch.age_days.tolist(), strict=True))
    assert ages == {first.id: 400, second.id: 5}


def _import(session: Session, tmp_path: Path, name: str, lines: list[str]) -> ImportReport:
    path = write_csv(tmp_path, name, "employee,skill,source,level,observed_at\n" + "\n".join(lines))
    return service.import_evidence_csv(session, path=path)


def test_evidence_import_refreshes_the_profiles_it_touched(
    session: Session, tmp_path: Path
) -> None:
    people = [make_employee(session) for _ in range(10)]
    skill = make_skill(session)
    ana, ben = people[0], people[1]
    report = _import(
        session,
        tmp_path,
        "first.csv",
        [f"{ana.external_id},{skill.external_id},assessment,0.9,2025-01-10"],
    )
    assert any("profiles refreshed" in note for note in report.notes)
    build = session.scalars(select(ProfileBuild)).one()
    assert (build.kind, build.employees, build.rows) == ("incremental", 1, 1)
    row = session.get(EmployeeSkill, (ana.id, skill.id))
    assert row is not None
    assert row.level == pytest.approx(0.9)
    assert session.get(EmployeeSkill, (ben.id, skill.id)) is None
    # Importing the same file again adds no evidence, so nothing is recomputed.
    _import(
        session,
        tmp_path,
        "first.csv",
        [f"{ana.external_id},{skill.external_id},assessment,0.9,2025-01-10"],
    )
    assert session.scalar(select(func.count()).select_from(ProfileBuild)) == 1


def test_an_import_touching_many_people_rebuilds_everything(
    session: Session, tmp_path: Path
) -> None:
    people = [make_employee(session) for _ in range(5)]
    skill = make_skill(session)
    lines = [f"{p.external_id},{skill.external_id},self,0.4,2025-02-01" for p in people]
    report = _import(session, tmp_path, "all.csv", lines)
    assert any("profiles rebuilt" in note for note in report.notes)
    build = session.scalars(select(ProfileBuild)).one()
    assert (build.kind, build.employees, build.rows) == ("full", 5, 5)
    stored = _stored(session)
    expected = _reference(session, build.as_of)
    _assert_same(stored, expected)
