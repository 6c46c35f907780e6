"""Learning completions become skill evidence, raise profiles and close gaps; the CSV import."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from skillpath.core.errors import InvalidInputError
from skillpath.core.tabular import CellError
from skillpath.domains.evidence import service as evidence_service
from skillpath.domains.evidence.engine.fingerprint import evidence_fingerprint
from skillpath.domains.evidence.models import EmployeeSkill, SkillEvidence
from skillpath.domains.gaps import service as gaps_service
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.learning import service
from skillpath.domains.learning.completions import (
    CONFIDENCE_BY_KIND,
    PASS_MARK,
    CompletionInput,
    evidence_level,
    record_completions,
)
from skillpath.domains.learning.completions_csv import parse_score
from skillpath.domains.learning.models import ITEM_KINDS, Completion, LearningItem
from skillpath.domains.people.models import Employee
from skillpath.domains.taxonomy.models import Skill
from tests.csv_files import find, refused, totals, write_csv
from tests.factories import make_employee, make_evidence, make_item, make_role, make_skill

NOW = datetime(2025, 6, 30, 12, 0, tzinfo=UTC)
DONE = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)
PARIS = timezone(timedelta(hours=2))
HR = Viewer(user_id=1, email="hr@example.com", role="hr_admin", employee_id=None)


@dataclass
class World:
    """A person in a role that needs SQL at 0.6, a course teaching SQL and Excel, an
    assessment of SQL, and an old self-rating of SQL at 0.2 already consolidated."""

    person: Employee
    other: Employee
    sql: Skill
    excel: Skill
    course: LearningItem
    assessment: LearningItem


@pytest.fixture
def world(session: Session) -> World:
    sql, excel = make_skill(session, "SQL"), make_skill(session, "Excel")
    role = make_role(session, "Analyst", skills=[(sql, 0.6, 1.0)])
    person, other = make_employee(session, "Ana", role=role), make_employee(session, "Tom")
    course = make_item(session, "SQL basics", kind="e-learning", teaches=[(sql, 0.6), (excel, 0.4)])
    assessment = make_item(session, "SQL test", kind="assessment", teaches=[(sql, 0.6)])
    make_evidence(session, person, sql, level=0.2, observed_at=datetime(2025, 1, 10, tzinfo=UTC))
    evidence_service.refresh_profiles(session, employee_ids=[person.id], now=NOW)
    return World(person, other, sql, excel, course, assessment)


def _profile(session: Session, person: Employee, skill: Skill) -> EmployeeSkill | None:
    return session.get(EmployeeSkill, (person.id, skill.id))


def _learning_evidence(session: Session, person: Employee) -> list[SkillEvidence]:
    return list(
        session.scalars(
            select(SkillEvidence)
            .where(SkillEvidence.employee_id == person.id, SkillEvidence.source == "learning")
            .order_by(SkillEvidence.skill_id)
        )
    )


def _count(session: Session, model: type[Completion] | type[SkillEvidence]) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_rules_cover_every_kind_and_scale_below_the_pass_mark() -> None:
    """Every kind of item has a confidence; a score below the pass mark shrinks the level."""
    assert set(CONFIDENCE_BY_KIND) == set(ITEM_KINDS)
    assert evidence_level(0.6, None) == 0.6
    assert evidence_level(0.6, PASS_MARK) == 0.6
    assert evidence_level(0.6, 1.0) == 0.6
    assert evidence_level(0.6, PASS_MARK / 2) == pytest.approx(0.3)
    assert evidence_level(0.6, 0.0) == 0.0


def test_completion_becomes_evidence_and_raises_the_profile(session: Session, world: World) -> None:
    """One learning evidence row per skill taught, with the item, level, confidence and date;
    the consolidated level rises to the course's floor and the role gap closes."""
    before = _profile(session, world.person, world.sql)
    assert before is not None
    assert before.level == pytest.approx(0.2)
    gap = gaps_service.person_gaps(
        session, viewer=HR, employee_id=world.person.id, today=NOW.date()
    )
    assert [line.met for line in gap.skills] == [False]

    result = record_completions(
        session,
        [CompletionInput(world.person.id, world.course.id, DONE, None, "lms", "")],
        now=NOW,
    )

    assert result.created == 1
    assert result.employee_ids == [world.person.id]
    completion = session.get(Completion, result.completion_ids[0])
    assert completion is not None
    assert (completion.item_id, completion.completed_at, completion.source) == (
        world.course.id,
        DONE,
        "lms",
    )
    rows = _learning_evidence(session, world.person)
    assert [row.id for row in rows] == sorted(row.id for row in result.evidence)
    assert [(row.skill_id, row.level, row.confidence) for row in rows] == [
        (world.sql.id, 0.6, CONFIDENCE_BY_KIND["e-learning"]),
        (world.excel.id, 0.4, CONFIDENCE_BY_KIND["e-learning"]),
    ]
    for row in rows:
        assert (row.item_id, row.observed_at, row.rater_id) == (world.course.id, DONE, None)
        assert row.fingerprint == evidence_fingerprint(
            employee_id=row.employee_id,
            skill_id=row.skill_id,
            source="learning",
            rater_id=None,
            level=row.level,
            confidence=row.confidence,
            observed_at=row.observed_at,
            expires_on=None,
            note=row.note,
        )
    session.expire_all()
    after = _profile(session, world.person, world.sql)
    assert after is not None
    assert after.level == pytest.approx(0.6)
    assert after.floor == pytest.approx(0.6)
    assert after.computed_at == NOW
    excel = _profile(session, world.person, world.excel)
    assert excel is not None
    assert excel.level == pytest.approx(0.4)
    gap = gaps_service.person_gaps(
        session, viewer=HR, employee_id=world.person.id, today=NOW.date()
    )
    assert [line.met for line in gap.skills] == [True]


def test_scores_below_the_pass_mark_give_less(session: Session, world: World) -> None:
    """An assessment passed gives its full level at 0.8; a low score a proportional level; a
    score of 0 stores the completion but no evidence."""
    result = record_completions(
        session,
        [
            CompletionInput(world.person.id, world.assessment.id, DONE, 0.9),
            CompletionInput(world.other.id, world.assessment.id, DONE, PASS_MARK / 2),
            CompletionInput(world.other.id, world.course.id, DONE, 0.0),
        ],
        now=NOW,
    )
    assert result.created == 3
    levels = {(row.employee_id, row.item_id): row.level for row in result.evidence}
    assert levels == {
        (world.person.id, world.assessment.id): pytest.approx(0.6),
        (world.other.id, world.assessment.id): pytest.approx(0.3),
    }
    assert {row.confidence for row in result.evidence} == {0.8}
    assert sorted(result.employee_ids) == sorted([world.person.id, world.other.id])
    other = _profile(session, world.other, world.sql)
    assert other is not None
    assert other.level == pytest.approx(0.3)


def test_recording_again_is_a_no_op(session: Session, world: World) -> None:
    """The same completion (also twice in one call, also with another score) keeps its id and
    adds neither a completion nor evidence; the profiles are not recomputed."""
    row = CompletionInput(world.person.id, world.course.id, DONE, 0.8, "lms")
    first = record_completions(session, [row, row], now=NOW)
    assert first.created == 1
    assert first.completion_ids[0] == first.completion_ids[1]
    completions, evidence = _count(session, Completion), _count(session, SkillEvidence)
    later = NOW + timedelta(days=3)
    again = record_completions(
        session,
        [row, row._replace(score=0.1), row._replace(completed_at=DONE.astimezone(PARIS))],
        now=later,
    )
    assert again.completion_ids == [first.completion_ids[0]] * 3
    assert (again.created, again.evidence, again.employee_ids) == (0, [], [])
    assert (_count(session, Completion), _count(session, SkillEvidence)) == (completions, evidence)
    session.expire_all()
    profile = _profile(session, world.person, world.sql)
    assert profile is not None
    assert profile.computed_at == NOW


def test_inactive_items_are_recordable(session: Session, world: World) -> None:
    """Completions are history: an item taken out of the catalog still records and teaches."""
    world.course.active = False
    session.flush()
    result = record_completions(
        session, [CompletionInput(world.person.id, world.course.id, DONE)], now=NOW
    )
    assert result.created == 1
    assert len(result.evidence) == 2


def test_bad_rows_are_refused_whole(session: Session, world: World) -> None:
    """Unknown people and items, bad scores, future dates and empty sources are refused, each
    named by row and field, and nothing is written."""
    completions, evidence = _count(session, Completion), _count(session, SkillEvidence)
    good = CompletionInput(world.person.id, world.course.id, DONE)
    with pytest.raises(InvalidInputError) as caught:
        record_completions(
            session,
            [
                good,
                good._replace(employee_id=world.person.id + 10_000),
                good._replace(item_id=world.course.id + 10_000),
                good._replace(score=1.5),
                good._replace(completed_at=NOW + timedelta(minutes=1)),
                good._replace(source=" "),
                good._replace(score=float("nan")),
            ],
            now=NOW,
        )
    problems = {(p.row, p.column) for p in caught.value.problems}
    assert problems == {
        (2, "employee_id"),
        (3, "item_id"),
        (4, "score"),
        (5, "completed_at"),
        (6, "source"),
        (7, "score"),
    }
    unknown = next(p for p in caught.value.problems if p.column == "employee_id")
    assert unknown.value == str(world.person.id + 10_000)
    assert "no employee" in unknown.reason
    assert (_count(session, Completion), _count(session, SkillEvidence)) == (completions, evidence)


def test_parse_score_reads_fractions_and_percentages() -> None:
    """0–1 as a number, 0–100 with a percent sign; anything else is refused."""
    assert parse_score("0.85") == 0.85
    assert parse_score("85%") == pytest.approx(0.85)
    assert parse_score("100 %") == 1.0
    for text in ("85", "-0.1", "101%", "nan", "good"):
        with pytest.raises(CellError, match=r"score|from 0"):
            parse_score(text)


def test_csv_import_records_completions_and_reimport_changes_nothing(
    session: Session, world: World, tmp_path: Path
) -> None:
    """A good file records completions and evidence and refreshes profiles; again: unchanged."""
    person, other = world.person.external_id, world.other.external_id
    course, test = world.course.external_id, world.assessment.external_id
    path = write_csv(
        tmp_path,
        "completions.csv",
        f"""
        employee,item,completed_at,score,source,notes
        {person},{course},2025-06-02T09:30:00Z,,lms,First try
        {other},{test},2025-06-03,35%,,
        {other},{course},2025-06-04T10:00:00+02:00,0.9,lms,
        """,
    )
    report = service.import_completions_csv(session, path=path)
    assert report.rows_read == 3
    assert totals(report, "completions") == (3, 0, 0)
    assert totals(report, "skill evidence") == (5, 0, 0)
    stored = session.scalars(
        select(Completion)
        .where(Completion.employee_id == world.other.id)
        .order_by(Completion.completed_at)
    ).all()
    assert [(c.score, c.source, c.completed_at) for c in stored] == [
        (pytest.approx(0.35), "import", datetime(2025, 6, 3, tzinfo=UTC)),
        (0.9, "lms", datetime(2025, 6, 4, 8, 0, tzinfo=UTC)),
    ]
    profile = _profile(session, world.person, world.sql)
    assert profile is not None
    assert profile.level == pytest.approx(0.6)

    again = service.import_completions_csv(session, path=path)
    assert not again.changed_anything
    assert totals(again, "completions") == (0, 0, 3)


def test_csv_import_refuses_a_bad_file(session: Session, world: World, tmp_path: Path) -> None:
    """Every problem is named by row and column, and nothing is written."""
    person, course = world.person.external_id, world.course.external_id
    future = (date.today() + timedelta(days=3)).isoformat()
    path = write_csv(
        tmp_path,
        "bad.csv",
        f"""
        employee,item,completed_at,score
        {person},{course},2025-06-02,
        NOBODY,{course},2025-06-02,
        {person},NOTHING,2025-06-02,
        {person},{course},2025-06-05,120%
        {person},{course},{future},
        {person},{course},2025-06-02T00:00:00Z,
        ,{course},2025-06-07,
        {person},{course},June 8,
        """,
    )
    problems = refused(session, service.import_completions_csv, path)
    assert "no employee has this id" in find(problems, row=3, column="employee").reason
    assert "no learning item has this id" in find(problems, row=4, column="item").reason
    assert find(problems, row=5, column="score").value == "120%"
    assert "future" in find(problems, row=6, column="completed_at").reason
    assert "row 2" in find(problems, row=7, column="completed_at").reason
    assert "required" in find(problems, row=8, column="employee").reason
    assert find(problems, row=9, column="completed_at").value == "June 8"
    assert len(problems) == 7
