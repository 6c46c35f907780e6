"""The roles and role-skills CSV imports: upserts, scales, importance words, exact problems."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from skillpath.core.errors import InvalidInputError, Problem
from skillpath.domains.people.models import Role, RoleAlias, RoleSkill
from skillpath.domains.people.service import import_role_skills_csv, import_roles_csv
from skillpath.domains.taxonomy.models import Skill
from skillpath.domains.taxonomy.service import import_skills_csv
from tests.factories import make_skill

EXAMPLES = Path(__file__).resolve().parents[3] / "docs" / "examples"


def write(tmp_path: Path, name: str, text: str) -> Path:
    """A CSV file with this content."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def org_role(session: Session, external_id: str) -> Role:
    """The organisation's role with this external id."""
    return session.scalars(
        select(Role).where(Role.source == "org", Role.external_id == external_id)
    ).one()


def lines(session: Session, external_id: str) -> dict[str, tuple[float, float, bool]]:
    """A role's profile: skill external id → (target level, importance, essential)."""
    rows = session.execute(
        select(Skill.external_id, RoleSkill.target_level, RoleSkill.importance, RoleSkill.essential)
        .join(Skill, Skill.id == RoleSkill.skill_id)
        .where(RoleSkill.role_id == org_role(session, external_id).id)
    )
    return {skill: (target, importance, essential) for skill, target, importance, essential in rows}


def refused(session: Session, import_file: object, path: Path) -> list[Problem]:
    """The problems an import reports; it must fail and leave roles and profiles untouched."""
    counts = [session.scalar(select(func.count()).select_from(t)) for t in (Role, RoleSkill)]
    with pytest.raises(InvalidInputError) as raised:
        import_file(session, path=path)  # type: ignore[operator]
    assert [
        session.scalar(select(func.count()).select_from(t)) for t in (Role, RoleSkill)
    ] == counts
    return raised.value.problems


@pytest.fixture
def examples(session: Session) -> None:
    """The documented example files: skills, roles, then role skills."""
    import_skills_csv(session, path=EXAMPLES / "skills.csv")
    import_roles_csv(session, path=EXAMPLES / "roles.csv")
    import_role_skills_csv(session, path=EXAMPLES / "role-skills.csv")


@pytest.mark.usefixtures("examples")
def test_documented_examples_import(session: Session) -> None:
    """Roles with aliases and critical flags; profiles on several scales and importances."""
    admin = org_role(session, "R-SFADMIN")
    assert (admin.title, admin.family, admin.level, admin.code) == (
        "Salesforce Administrator",
        "Technology",
        2,
        "2511",
    )
    assert admin.is_critical
    assert not admin.is_template
    titles = set(session.scalars(select(RoleAlias.title).where(RoleAlias.role_id == admin.id)))
    assert titles == {"SFDC admin"}
    assert lines(session, "R-DA") == {
        "SQL": (pytest.approx(0.8), 1.0, True),
        "EXCEL": (pytest.approx(0.6), 0.5, False),
        "TABLEAU": (pytest.approx(0.6), 0.6, False),
    }
    assert lines(session, "R-SDA")["DMA"] == (pytest.approx(4 / 7), 0.25, False)


@pytest.mark.usefixtures("examples")
def test_reimport_changes_nothing(session: Session) -> None:
    """Both files again: every row unchanged."""
    assert not import_roles_csv(session, path=EXAMPLES / "roles.csv").changed_anything
    again = import_role_skills_csv(session, path=EXAMPLES / "role-skills.csv")
    assert not again.changed_anything
    assert again.unchanged["role skills"] == 7


@pytest.mark.usefixtures("examples")
def test_role_edits_keep_columns_left_out(session: Session, tmp_path: Path) -> None:
    """A file with ids and titles renames roles and keeps family, level, aliases."""
    report = import_roles_csv(
        session, path=write(tmp_path, "r.csv", "external_id,title\nR-DA,Data Analyst II\n")
    )
    analyst = org_role(session, "R-DA")
    assert report.updated == {"roles": 1}
    assert (analyst.title, analyst.title_lower, analyst.family) == (
        "Data Analyst II",
        "data analyst ii",
        "Data",
    )


@pytest.mark.usefixtures("examples")
def test_a_file_is_the_whole_profile_of_the_roles_it_names(
    session: Session, tmp_path: Path
) -> None:
    """Lines missing for a named role are removed; other roles keep theirs."""
    text = "role,skill,level\nR-DA,SQL,0.9\n"
    report = import_role_skills_csv(session, path=write(tmp_path, "rs.csv", text))
    assert report.updated == {"role skills": 1}
    assert report.removed == {"role skills": 2}
    assert lines(session, "R-DA") == {"SQL": (pytest.approx(0.9), 0.5, False)}
    assert len(lines(session, "R-SDA")) == 3


@pytest.mark.usefixtures("examples")
def test_every_problem_is_reported(session: Session, tmp_path: Path) -> None:
    """Unknown role and skill, a group, a level off its scale, bad importance, a duplicate."""
    text = (
        "role,skill,level,scale,importance\n"
        "R-NOPE,SQL,3,five_point,\n"
        "R-DA,NOSUCH,3,five_point,\n"
        "R-DA,DATA,3,five_point,\n"
        "R-DA,SQL,6,five_point,\n"
        "R-DA,EXCEL,1.5,,\n"
        "R-DA,TABLEAU,0.5,,critical\n"
        "R-DA,DMA,high,,\n"
        "R-SDA,SQL,0.5,,\n"
        "R-SDA,SQL,0.7,,\n"
        "R-CSR,OBJECTIONS,3,stars,\n"
    )
    problems = refused(session, import_role_skills_csv, write(tmp_path, "rs.csv", text))
    assert {(p.row, p.column) for p in problems} == {
        (2, "role"),
        (3, "skill"),
        (4, "skill"),
        (5, "level"),
        (6, "level"),
        (7, "importance"),
        (8, "level"),
        (10, "skill"),
        (11, "scale"),
    }
    assert all(p.file == "rs.csv" for p in problems)


def test_skill_in_two_sources_needs_skill_source(session: Session, tmp_path: Path) -> None:
    """An external id used by two taxonomies is ambiguous until `skill_source` names one."""
    make_skill(session, "Python", source_key="custom").external_id = "PY"
    other = make_skill(session, "Python", source_key="onet")
    other.external_id = "PY"
    session.flush()
    import_roles_csv(session, path=write(tmp_path, "r.csv", "external_id,title\nDEV,Developer\n"))
    problems = refused(
        session, import_role_skills_csv, write(tmp_path, "a.csv", "role,skill,level\nDEV,PY,0.5\n")
    )
    assert "skill_source" in problems[0].reason
    import_role_skills_csv(
        session,
        path=write(tmp_path, "b.csv", "role,skill,skill_source,level\nDEV,PY,onet,0.5\n"),
    )
    assert session.scalar(select(RoleSkill.skill_id)) == other.id


def test_bad_roles_file_is_refused(session: Session, tmp_path: Path) -> None:
    """Duplicate ids, bad level, bad flag and a missing title are all named."""
    text = (
        "external_id,title,level,critical\n"
        "A,Alpha,1,no\n"
        "A,Alpha again,1,no\n"
        "B,Beta,zero,no\n"
        "C,Gamma,2,perhaps\n"
        "D,,1,no\n"
    )
    problems = refused(session, import_roles_csv, write(tmp_path, "roles.csv", text))
    assert {(p.row, p.column) for p in problems} == {
        (3, "external_id"),
        (4, "level"),
        (5, "critical"),
        (6, "title"),
    }


def test_missing_column_is_refused(session: Session, tmp_path: Path) -> None:
    """A role-skills file without `level` is refused before any row is read."""
    problems = refused(
        session, import_role_skills_csv, write(tmp_path, "rs.csv", "role,skill\nA,B\n")
    )
    assert (problems[0].row, problems[0].column) == (1, "level")
