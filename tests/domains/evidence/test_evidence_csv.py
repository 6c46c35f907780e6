"""CSV import of skill evidence: scales, fingerprints, idempotence, all-or-nothing streaming."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from skillpath.domains.evidence import service
from skillpath.domains.evidence.evidence_csv import evidence_fingerprint
from skillpath.domains.evidence.models import SkillEvidence
from skillpath.domains.people.models import Employee
from skillpath.domains.taxonomy.models import Skill
from tests.csv_files import find, refused, totals, write_csv
from tests.factories import make_employee, make_skill, make_source

KIND = "skill evidence"


@pytest.fixture
def people(session: Session) -> dict[str, str]:
    """Two people and two skills; returns their external ids."""
    boss = make_employee(session, "Boss")
    ana = make_employee(session, "Ana", manager=boss)
    sql = make_skill(session, "SQL")
    excel = make_skill(session, "Excel")
    return {
        "boss": boss.external_id,
        "ana": ana.external_id,
        "sql": sql.external_id,
        "excel": excel.external_id,
    }


def _evidence(session: Session) -> list[SkillEvidence]:
    return list(session.scalars(select(SkillEvidence).order_by(SkillEvidence.id)).all())


def test_import_scales_and_reimport(
    session: Session, tmp_path: Path, people: dict[str, str]
) -> None:
    """Latent and display levels are stored as latent values; a re-import adds nothing."""
    p = people
    path = write_csv(
        tmp_path,
        "evidence.csv",
        f"""
        employee,skill,source,rater,level,scale,confidence,observed_at,expires_on,note
        {p["ana"]},{p["sql"]},self,,0.6,,,2024-05-01,,
        {p["ana"]},{p["sql"]},manager,{p["boss"]},4,five_point,0.8,2024-05-01T10:00:00+02:00,,solid
        {p["ana"]},{p["excel"]},certification,,5,SFIA,1,2024-06-01,2026-06-01,
        {p["boss"]},{p["excel"]},assessment,,7,onet,0.9,2024-06-02,,
        """,
    )
    report = service.import_evidence_csv(session, path=path)
    assert report.rows_read == 4
    assert totals(report, KIND) == (4, 0, 0)
    rows = _evidence(session)
    assert [round(r.level, 4) for r in rows] == [0.6, 0.8, round(5 / 7, 4), 1.0]
    assert rows[0].confidence == 0.5
    assert rows[1].rater_id is not None
    assert rows[1].observed_at == datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    assert rows[1].note == "solid"
    assert rows[2].expires_on == date(2026, 6, 1)
    assert len({r.fingerprint for r in rows}) == 4
    expected = evidence_fingerprint(
        employee_id=rows[0].employee_id,
        skill_id=rows[0].skill_id,
        source="self",
        rater_id=None,
        level=0.6,
        confidence=0.5,
        observed_at=datetime(2024, 5, 1, tzinfo=UTC),
        expires_on=None,
        note="",
    )
    assert rows[0].fingerprint == expected
    again = service.import_evidence_csv(session, path=path)
    assert totals(again, KIND) == (0, 0, 4)
    assert len(_evidence(session)) == 4


def test_repeated_rows_count_once(session: Session, tmp_path: Path, people: dict[str, str]) -> None:
    """The same observation twice in a file is stored once (it is the same fact)."""
    line = f"{people['ana']},{people['sql']},self,0.4,2024-01-01"
    path = write_csv(tmp_path, "e.csv", f"employee,skill,source,level,observed_at\n{line}\n{line}")
    report = service.import_evidence_csv(session, path=path)
    assert totals(report, KIND) == (1, 0, 1)


def test_every_bad_cell_is_reported(
    session: Session, tmp_path: Path, people: dict[str, str]
) -> None:
    """Unknown people and skills, bad sources, levels, scales, dates and confidences."""
    p = people
    path = write_csv(
        tmp_path,
        "evidence.csv",
        f"""
        employee,skill,source,rater,level,scale,confidence,observed_at,expires_on
        GHOST,{p["sql"]},self,,0.5,,,2024-01-01,
        {p["ana"]},NOSKILL,self,,0.5,,,2024-01-01,
        {p["ana"]},{p["sql"]},gossip,NOBODY,0.5,,,2024-01-01,
        {p["ana"]},{p["sql"]},self,,1.5,,,2024-01-01,
        {p["ana"]},{p["sql"]},self,,9,five_point,,2024-01-01,
        {p["ana"]},{p["sql"]},self,,3,stars,,2024-01-01,
        {p["ana"]},{p["sql"]},self,,0.5,,0,2024-13-01,
        {p["ana"]},{p["sql"]},self,,0.5,,,2999-01-01,
        {p["ana"]},{p["sql"]},self,,0.5,,,2024-05-01,2024-04-01
        ,,self,,,,,,
        """,
    )
    problems = refused(session, service.import_evidence_csv, path)
    assert find(problems, column="employee", row=2).value == "GHOST"
    assert find(problems, column="skill", row=3).value == "NOSKILL"
    assert find(problems, column="source", row=4).value == "gossip"
    assert find(problems, column="rater", row=4).value == "NOBODY"
    assert "between 0 and 1" in find(problems, column="level", row=5).reason
    assert "outside" in find(problems, column="level", row=6).reason
    assert find(problems, column="scale", row=7).value == "stars"
    assert find(problems, column="confidence", row=8).value == "0"
    assert find(problems, column="observed_at", row=8).value == "2024-13-01"
    assert "future" in find(problems, column="observed_at", row=9).reason
    assert "before observed_at" in find(problems, column="expires_on", row=10).reason
    for column in ("employee", "skill", "level", "observed_at"):
        assert "required" in find(problems, column=column, row=11).reason
    assert all(problem.file == "evidence.csv" for problem in problems)


def test_a_late_problem_rolls_back_rows_already_written(
    session: Session, tmp_path: Path, people: dict[str, str]
) -> None:
    """Rows are written in batches as the file streams; a bad last row still undoes them all."""
    good = [
        f"{people['ana']},{people['sql']},self,{n / 20000:.5f},2024-01-01" for n in range(12000)
    ]
    text = "employee,skill,source,level,observed_at\n" + "\n".join(good) + "\nGHOST,x,self,1,bad\n"
    path = tmp_path / "big.csv"
    path.write_text(text, encoding="utf-8")
    problems = refused(session, service.import_evidence_csv, path)
    assert {p.row for p in problems} == {12002}
    assert session.scalar(select(func.count()).select_from(SkillEvidence)) == 0


def test_skill_ids_shared_by_two_taxonomies(
    session: Session, tmp_path: Path, people: dict[str, str]
) -> None:
    """An external id used by two sources needs the skill_source column to say which."""
    twin = Skill(
        source_id=make_source(session, "esco").id,
        external_id=people["sql"],
        name="SQL (ESCO)",
        name_lower="sql (esco)",
    )
    session.add(twin)
    session.flush()
    ambiguous = write_csv(
        tmp_path,
        "a.csv",
        f"employee,skill,source,level,observed_at\n{people['ana']},{people['sql']},self,0.5,2024-01-01",
    )
    problems = refused(session, service.import_evidence_csv, ambiguous)
    assert "skill_source" in find(problems, column="skill", row=2).reason
    named = write_csv(
        tmp_path,
        "b.csv",
        f"employee,skill,skill_source,source,level,observed_at\n"
        f"{people['ana']},{people['sql']},esco,self,0.5,2024-01-01",
    )
    service.import_evidence_csv(session, path=named)
    assert _evidence(session)[0].skill_id == twin.id


def test_missing_columns_are_named(session: Session, tmp_path: Path) -> None:
    """A file without the level column is refused before any row is read."""
    path = write_csv(tmp_path, "e.csv", "employee,skill,source,observed_at\nE1,S1,self,2024-01-01")
    problems = refused(session, service.import_evidence_csv, path)
    assert find(problems, column="level").row == 1


def test_large_file_streams(session: Session, tmp_path: Path) -> None:
    """Thousands of rows over many people import in one call with exact counts."""
    skills = [make_skill(session) for _ in range(5)]
    people = [make_employee(session) for _ in range(20)]
    lines = [
        f"{people[n % 20].external_id},{skills[n % 5].external_id},peer,"
        f"{(n % 10) / 10},2024-02-{n % 28 + 1:02d}"
        for n in range(11000)
    ]
    path = tmp_path / "e.csv"
    path.write_text(
        "employee,skill,source,level,observed_at\n" + "\n".join(lines), encoding="utf-8"
    )
    report = service.import_evidence_csv(session, path=path)
    created, _updated, unchanged = totals(report, KIND)
    stored = session.scalar(select(func.count()).select_from(SkillEvidence))
    assert created == stored
    assert created + unchanged == 11000
    assert session.scalar(select(func.count()).select_from(Employee)) == 20
