"""The skills CSV import: upsert by source + external id, all or nothing, exact problems."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from skillpath.core.errors import InvalidInputError, Problem
from skillpath.domains.taxonomy.models import Skill, SkillAlias, SkillRelation, TaxonomySource
from skillpath.domains.taxonomy.service import import_skills_csv
from tests.factories import make_source

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "skills.csv"


def write(tmp_path: Path, text: str, name: str = "skills.csv") -> Path:
    """A CSV file with this content."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def by_id(session: Session, external_id: str, source: str = "custom") -> Skill:
    """The skill with this external id in this source."""
    return session.scalars(
        select(Skill)
        .join(TaxonomySource, TaxonomySource.id == Skill.source_id)
        .where(TaxonomySource.key == source, Skill.external_id == external_id)
    ).one()


def aliases(session: Session, skill: Skill) -> set[tuple[str, str]]:
    """(label, kind) of a skill's aliases."""
    return set(
        session.execute(
            select(SkillAlias.label, SkillAlias.kind).where(SkillAlias.skill_id == skill.id)
        ).all()
    )


def problems_of(session: Session, path: Path) -> list[Problem]:
    """The problems an import of this file reports (it must fail and write nothing)."""
    before = session.scalar(select(func.count()).select_from(Skill))
    with pytest.raises(InvalidInputError) as raised:
        import_skills_csv(session, path=path)
    assert session.scalar(select(func.count()).select_from(Skill)) == before
    return raised.value.problems


FILE = """external_id,name,description,kind,parent,aliases
DATA,Data,Working with data,group,,
SQL,SQL,Query relational databases,skill,DATA,structured query language;sequel
XL,Excel,,tool,DATA,
"""


def test_skills_with_groups_parents_and_aliases(session: Session, tmp_path: Path) -> None:
    """Children may come before or after their parents; aliases and broader links are kept."""
    report = import_skills_csv(session, path=write(tmp_path, FILE))

    assert report.created == {
        "taxonomy sources": 1,
        "skill groups": 1,
        "skills": 2,
        "skill aliases": 2,
        "skill relations": 2,
    }
    data, sql = by_id(session, "DATA"), by_id(session, "SQL")
    assert (data.kind, sql.kind, by_id(session, "XL").kind) == ("group", "skill", "tool")
    assert sql.parent_id == data.id
    assert sql.description == "Query relational databases"
    assert aliases(session, sql) == {("structured query language", "alt"), ("sequel", "alt")}
    assert (
        session.scalar(
            select(func.count())
            .select_from(SkillRelation)
            .where(SkillRelation.to_skill_id == data.id, SkillRelation.kind == "broader")
        )
        == 2
    )


def test_reimport_changes_nothing_and_changes_update(session: Session, tmp_path: Path) -> None:
    """Same file: all unchanged. Edited file: the edited rows update, aliases are replaced."""
    import_skills_csv(session, path=write(tmp_path, FILE))
    again = import_skills_csv(session, path=write(tmp_path, FILE))
    assert not again.changed_anything

    edited = FILE.replace("Query relational databases", "Query databases").replace(
        "structured query language;sequel", "structured query language"
    )
    report = import_skills_csv(session, path=write(tmp_path, edited))
    assert report.updated["skills"] == 1
    assert report.removed == {"skill aliases": 1}
    assert by_id(session, "SQL").description == "Query databases"


def test_columns_left_out_keep_their_values(session: Session, tmp_path: Path) -> None:
    """A file with only ids and names renames without touching parents or descriptions."""
    import_skills_csv(session, path=write(tmp_path, FILE))
    report = import_skills_csv(
        session, path=write(tmp_path, "external_id,name\nSQL,SQL (language)\n", "rename.csv")
    )
    sql = by_id(session, "SQL")
    assert report.updated["skills"] == 1
    assert (sql.name, sql.description) == ("SQL (language)", "Query relational databases")
    assert sql.parent_id == by_id(session, "DATA").id
    assert len(aliases(session, sql)) == 2


def test_source_column_keeps_taxonomies_apart(session: Session, tmp_path: Path) -> None:
    """The same external id in two sources is two skills; parents resolve within a source."""
    text = (
        "source,external_id,name,parent\nacme,S1,Sales,\nacme,S2,Prospecting,S1\ncustom,S1,Other,\n"
    )
    import_skills_csv(session, path=write(tmp_path, text))
    assert by_id(session, "S2", "acme").parent_id == by_id(session, "S1", "acme").id
    assert by_id(session, "S1").name == "Other"


def test_parent_already_in_the_database_is_found(session: Session, tmp_path: Path) -> None:
    """A later file may name a parent imported earlier."""
    import_skills_csv(session, path=write(tmp_path, FILE))
    import_skills_csv(
        session, path=write(tmp_path, "external_id,name,parent\nPG,PostgreSQL,SQL\n", "more.csv")
    )
    assert by_id(session, "PG").parent_id == by_id(session, "SQL").id


def test_every_problem_is_reported_with_its_place(session: Session, tmp_path: Path) -> None:
    """Unknown parent, duplicate id, bad kind and empty name: all reported at once."""
    text = (
        "external_id,name,kind,parent\n"
        "A,Alpha,skill,NOPE\n"
        "B,Beta,widget,\n"
        "A,Alpha again,skill,\n"
        "C,,skill,\n"
    )
    found = {(p.row, p.column) for p in problems_of(session, write(tmp_path, text))}
    assert found == {(2, "parent"), (3, "kind"), (4, "external_id"), (5, "name")}


def test_cycle_in_the_hierarchy_is_refused(session: Session, tmp_path: Path) -> None:
    """A → B → C → A is one problem naming the loop."""
    text = "external_id,name,parent\nA,Alpha,C\nB,Beta,A\nC,Gamma,B\nD,Delta,D\n"
    problems = problems_of(session, write(tmp_path, text))
    reasons = sorted(p.reason for p in problems)
    assert len(problems) == 2
    assert all(p.column == "parent" and p.file == "skills.csv" for p in problems)
    assert any("A → C → B → A" in r for r in reasons)
    assert any("D → D" in r for r in reasons)


def test_cycle_through_the_database_is_refused(session: Session, tmp_path: Path) -> None:
    """Making a stored parent the child of its own child is a cycle too."""
    import_skills_csv(session, path=write(tmp_path, FILE))
    problems = problems_of(
        session, write(tmp_path, "external_id,name,parent\nDATA,Data,SQL\n", "loop.csv")
    )
    assert [p.column for p in problems] == ["parent"]
    assert "cycle" in problems[0].reason


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"external_id\nA\n", "required column is missing"),
        (b"external_id,name,colour\nA,Alpha,red\n", "unknown column"),
        ("external_id,name\nA,Caf\xe9\n".encode("latin-1"), "not UTF-8"),
        (b"", "is empty"),
    ],
)
def test_unreadable_files_are_refused(
    session: Session, tmp_path: Path, content: bytes, reason: str
) -> None:
    """Missing or unknown columns, a wrong encoding and an empty file are refused."""
    path = tmp_path / "skills.csv"
    path.write_bytes(content)
    problems = problems_of(session, path)
    assert reason in problems[0].reason
    assert problems[0].file == "skills.csv"


def test_documented_example_imports(session: Session) -> None:
    """docs/examples/skills.csv is a valid file."""
    report = import_skills_csv(session, path=EXAMPLE)
    assert report.created["skills"] >= 5


def test_existing_source_keeps_its_title(session: Session, tmp_path: Path) -> None:
    """Adding skills to an existing source (ESCO, the demo …) leaves the source as it was."""
    source = make_source(session, "acme")
    report = import_skills_csv(
        session, path=write(tmp_path, "source,external_id,name\nacme,X,Thing\n")
    )
    assert source.title == "ACME"
    assert "taxonomy sources" not in report.created
