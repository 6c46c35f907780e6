"""CSV import of the learning catalog: items, locales, skills, prerequisites, loops."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from skillpath.domains.learning import service
from skillpath.domains.learning.models import ItemLocale, ItemPrerequisite, ItemSkill, LearningItem
from tests.csv_files import find, refused, totals, write_csv
from tests.factories import make_item, make_skill


@pytest.fixture
def skills(session: Session) -> dict[str, str]:
    """Two skills by name → external id."""
    return {name: make_skill(session, name).external_id for name in ("sql", "excel")}


def catalog(s: dict[str, str]) -> str:
    """Two items: a course, and a project that requires it and some Excel."""
    sql, excel = s["sql"], s["excel"]
    header = (
        "external_id,title,description,kind,minutes,cost,currency,locales,offline,provider,url,"
        "skills,prerequisites"
    )
    first = f"C1,SQL basics,Start here,e-learning,120,0,EUR,en;fr_FR,yes,Acme,,{sql}:0.4,"
    second = (
        "C2,SQL reports,,project-based course,600,99.5,usd,en,no,Acme,,"
        f"{sql}:0.8;{excel}:0.3,C1;{excel}:0.2"
    )
    return "\n".join((header, first, second))


def _item(session: Session, external_id: str) -> LearningItem:
    return session.scalars(
        select(LearningItem).where(LearningItem.external_id == external_id)
    ).one()


def test_catalog_import_and_reimport(
    session: Session, tmp_path: Path, skills: dict[str, str]
) -> None:
    """Items, locales, skills taught and both kinds of prerequisite; a re-import changes nothing."""
    path = write_csv(tmp_path, "catalog.csv", catalog(skills))
    report = service.import_catalog_csv(session, path=path)
    assert totals(report, "learning items") == (2, 0, 0)
    assert totals(report, "item skills") == (3, 0, 0)
    assert totals(report, "item prerequisites") == (2, 0, 0)
    c1, c2 = _item(session, "C1"), _item(session, "C2")
    assert (c1.offline, c1.minutes, c2.currency, c2.cost) == (True, 120, "USD", 99.5)
    locales = session.scalars(select(ItemLocale.locale).where(ItemLocale.item_id == c1.id)).all()
    assert sorted(locales) == ["en", "fr-FR"]
    prerequisites = session.scalars(
        select(ItemPrerequisite).where(ItemPrerequisite.item_id == c2.id)
    ).all()
    assert {p.required_item_id for p in prerequisites} == {c1.id, None}
    assert {p.required_level for p in prerequisites} == {None, 0.2}
    again = service.import_catalog_csv(session, path=path)
    assert not again.changed_anything
    assert totals(again, "learning items") == (0, 0, 2)


def test_catalog_update_replaces_lists(
    session: Session, tmp_path: Path, skills: dict[str, str]
) -> None:
    """A changed skills list updates and removes lines; display levels read through `scale`."""
    service.import_catalog_csv(session, path=write_csv(tmp_path, "a.csv", catalog(skills)))
    path = write_csv(
        tmp_path,
        "b.csv",
        "external_id,title,kind,minutes,skills,scale\n"
        f"C2,SQL reports,project-based course,600,{skills['sql']}:5,five_point",
    )
    report = service.import_catalog_csv(session, path=path)
    assert totals(report, "item skills") == (0, 1, 0)
    assert report.removed == {"item skills": 1}
    lines = session.scalars(
        select(ItemSkill).where(ItemSkill.item_id == _item(session, "C2").id)
    ).all()
    assert [line.level_gained for line in lines] == [1.0]
    assert _item(session, "C2").currency == "USD", "a column left out keeps its value"


def test_catalog_bad_rows(session: Session, tmp_path: Path, skills: dict[str, str]) -> None:
    """Kinds, minutes, currencies, locales, skills, levels and prerequisites are all checked."""
    s = skills
    path = write_csv(
        tmp_path,
        "catalog.csv",
        f"""
        external_id,title,kind,minutes,currency,locales,skills,prerequisites
        B1,Bad kind,podcast,30,EUR,en,,
        B2,No time,video,0,XXY,zz-ZZ,,
        B3,Bad skills,video,10,EUR,en,NOSKILL:0.5;{s["sql"]}:2;{s["excel"]},
        B4,Bad prerequisites,video,10,EUR,en,,MISSING;B4
        """,
    )
    problems = refused(session, service.import_catalog_csv, path)
    assert find(problems, column="kind", row=2).value == "podcast"
    assert find(problems, column="minutes", row=3).value == "0"
    assert find(problems, column="currency", row=3).value == "XXY"
    assert find(problems, column="locales", row=3).value == "zz-ZZ"
    skill_reasons = " ".join(p.reason for p in problems if p.row == 4 and p.column == "skills")
    assert "NOSKILL" in skill_reasons
    assert "above 0 and at most 1" in skill_reasons
    assert "skill:level" in skill_reasons
    prerequisite_values = {p.value for p in problems if p.row == 5 and p.column == "prerequisites"}
    assert {"MISSING", "B4"} <= prerequisite_values


def test_catalog_prerequisite_loops(session: Session, tmp_path: Path) -> None:
    """Items requiring each other in a loop are refused, also through stored items."""
    stored = make_item(session, "Stored")
    path = write_csv(
        tmp_path,
        "catalog.csv",
        f"""
        external_id,title,kind,minutes,prerequisites
        L1,One,video,10,L2
        L2,Two,video,10,L3
        L3,Three,video,10,L1
        {stored.external_id},Stored,video,10,L4
        L4,Four,video,10,{stored.external_id}
        """,
    )
    problems = refused(session, service.import_catalog_csv, path)
    reasons = [p.reason for p in problems]
    assert any("L1, L2, L3" in reason for reason in reasons)
    assert any(stored.external_id in reason and "L4" in reason for reason in reasons)
