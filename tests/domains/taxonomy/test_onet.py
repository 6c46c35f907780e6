"""O*NET import on a tiny hand-made text release: mapping, idempotence and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from skillpath.core.errors import InvalidInputError
from skillpath.domains.people.models import Role, RoleAlias, RoleSkill
from skillpath.domains.taxonomy.models import Skill, SkillRelation, TaxonomySource
from skillpath.domains.taxonomy.service import import_onet
from tests.domains.taxonomy import releases
from tests.domains.taxonomy.releases import CHIEF, SOFTWARE


def onet_skill(session: Session, external_id: str) -> Skill:
    """The O*NET skill (or group) with this external id."""
    return session.scalars(
        select(Skill)
        .join(TaxonomySource, TaxonomySource.id == Skill.source_id)
        .where(TaxonomySource.key == "onet", Skill.external_id == external_id)
    ).one()


def profile(session: Session, code: str) -> dict[str, tuple[float, float, bool]]:
    """An occupation's profile: skill external id → (target level, importance, essential)."""
    rows = session.execute(
        select(Skill.external_id, RoleSkill.target_level, RoleSkill.importance, RoleSkill.essential)
        .join(Skill, Skill.id == RoleSkill.skill_id)
        .join(Role, Role.id == RoleSkill.role_id)
        .where(Role.source == "onet", Role.external_id == code)
    )
    return {
        external: (target, importance, essential)
        for external, target, importance, essential in rows
    }


def test_onet_zip_imports_occupations_elements_tools_and_titles(
    session: Session, tmp_path: Path
) -> None:
    """Occupations, Skills/Knowledge, Technology Skills and Alternate Titles as the ADR says."""
    report = import_onet(session, path=releases.write_onet_zip(tmp_path))

    assert report.created["role templates"] == 2
    assert report.created["skills"] == 4
    assert report.created["skill groups"] == 8
    source = session.scalars(select(TaxonomySource).where(TaxonomySource.key == "onet")).one()
    assert source.version == "29.3"
    assert "CC BY 4.0" in source.attribution

    developer = session.scalars(select(Role).where(Role.external_id == SOFTWARE)).one()
    assert (developer.source, developer.code, developer.level) == ("onet", "15-1252", 4)
    assert developer.is_template
    titles = set(session.scalars(select(RoleAlias.title).where(RoleAlias.role_id == developer.id)))
    assert titles == {"Application Developer", "App Dev"}

    reading = onet_skill(session, "2.A.1.a")
    assert (reading.name, reading.kind) == ("Reading Comprehension", "skill")
    assert reading.description == "Understanding written sentences."
    assert onet_skill(session, "2.C.3.a").kind == "knowledge"
    assert reading.parent_id == onet_skill(session, "2.A.1").id
    assert onet_skill(session, "2.A.1").parent_id == onet_skill(session, "2.A").id
    assert onet_skill(session, "2.A").parent_id is None

    python = onet_skill(session, "Python")
    assert python.kind == "tool"
    # Filed under two commodities once each: the lowest code is the parent, both are broader.
    assert python.parent_id == onet_skill(session, "unspsc:43231507").id
    broader = session.scalar(
        select(func.count())
        .select_from(SkillRelation)
        .where(SkillRelation.from_skill_id == python.id, SkillRelation.kind == "broader")
    )
    assert broader == 2
    assert onet_skill(session, "unspsc:43232110").parent_id == onet_skill(session, "5.F").id

    assert profile(session, SOFTWARE) == {
        "2.A.1.a": (pytest.approx(3.5 / 7), 0.75, True),
        "2.C.3.a": (pytest.approx(6 / 7), 0.875, True),
        "Python": (pytest.approx(0.6), 0.9, True),
        "Microsoft Excel": (pytest.approx(0.6), 0.7, False),
    }
    # Not Relevant and Recommend Suppress ratings are left out of the profile.
    assert profile(session, CHIEF) == {
        "Microsoft Excel": (pytest.approx(0.6), 0.5, False),
        "Python": (pytest.approx(0.6), 0.5, False),
    }
    assert any("2 occupation–element rating(s)" in note for note in report.notes)


def test_reimport_changes_nothing(session: Session, tmp_path: Path) -> None:
    """The same release twice, once zipped and once extracted: nothing changes."""
    import_onet(session, path=releases.write_onet_zip(tmp_path / "zip"))
    again = import_onet(session, path=releases.write_onet_folder(tmp_path / "folder"))

    assert not again.changed_anything
    assert again.unchanged["role skills"] == 6
    assert again.unchanged["role aliases"] == 3


def test_changed_rating_updates_the_profile_line(session: Session, tmp_path: Path) -> None:
    """A new importance in a later release updates just that line."""
    import_onet(session, path=releases.write_onet_folder(tmp_path / "v1"))
    header, rows = releases.ONET_FILES["Skills.txt"]
    changed = [list(row) for row in rows]
    changed[0][6] = "5"
    files = {**releases.ONET_FILES, "Skills.txt": (header, changed)}
    report = import_onet(session, path=releases.write_onet_folder(tmp_path / "v2", files))

    assert report.updated["role skills"] == 1
    assert report.unchanged["role skills"] == 5
    assert profile(session, SOFTWARE)["2.A.1.a"][1] == 1.0


def test_excel_release_is_refused(session: Session, tmp_path: Path) -> None:
    """A folder without the text files is not an O*NET text release; nothing is written."""
    (tmp_path / "db_29_3_excel").mkdir()
    (tmp_path / "db_29_3_excel" / "Skills.xlsx").write_bytes(b"PK")
    with pytest.raises(InvalidInputError) as raised:
        import_onet(session, path=tmp_path)
    reasons = [problem.reason for problem in raised.value.problems]
    assert "required file Skills.txt was not found in the given path(s)" in reasons
    assert any("text release" in reason for reason in reasons)
    assert session.scalar(select(func.count()).select_from(Role)) == 0


def test_bad_number_is_refused_with_its_place(session: Session, tmp_path: Path) -> None:
    """A rating that is not a number names file, row and column; nothing is written."""
    header, rows = releases.ONET_FILES["Knowledge.txt"]
    changed = [list(row) for row in rows]
    changed[1][6] = "high"
    files = {**releases.ONET_FILES, "Knowledge.txt": (header, changed)}
    with pytest.raises(InvalidInputError) as raised:
        import_onet(session, path=releases.write_onet_folder(tmp_path, files))
    problem = raised.value.problems[0]
    assert problem.file is not None
    assert problem.file.endswith("Knowledge.txt")
    assert (problem.row, problem.column, problem.value) == (3, "Data Value", "high")
    assert session.scalar(select(func.count()).select_from(Skill)) == 0
