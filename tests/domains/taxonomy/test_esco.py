"""ESCO import on a tiny hand-made export: mapping, idempotence, updates and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from skillpath.core.errors import InvalidInputError
from skillpath.domains.people.models import Role, RoleAlias, RoleSkill
from skillpath.domains.taxonomy.models import Skill, SkillAlias, SkillRelation, TaxonomySource
from skillpath.domains.taxonomy.service import import_esco
from tests.domains.taxonomy import releases
from tests.domains.taxonomy.releases import (
    COACH_SINGERS,
    GROUP_COMMUNICATION,
    GROUP_SKILLS,
    MUSIC_DIRECTOR,
    MUSIC_THEORY,
    MUSICAL_STAFF,
    UNTYPED,
    VOCAL_COACH,
)


def skill(session: Session, uri: str) -> Skill:
    """The imported ESCO skill with this URI."""
    return session.scalars(select(Skill).where(Skill.external_id == uri)).one()


def role(session: Session, uri: str) -> Role:
    """The imported ESCO role template with this URI."""
    return session.scalars(select(Role).where(Role.source == "esco", Role.external_id == uri)).one()


def relations(session: Session) -> set[tuple[str, str, str]]:
    """Every relation as (from URI, to URI, kind)."""
    start, end = Skill.__table__.alias("start"), Skill.__table__.alias("end")
    rows = session.execute(
        select(start.c.external_id, end.c.external_id, SkillRelation.kind)
        .join(start, start.c.id == SkillRelation.from_skill_id)
        .join(end, end.c.id == SkillRelation.to_skill_id)
    )
    return {(a, b, kind) for a, b, kind in rows}


def profile(session: Session, uri: str) -> dict[str, tuple[float, float, bool]]:
    """A template's profile: skill URI → (target level, importance, essential)."""
    rows = session.execute(
        select(Skill.external_id, RoleSkill.target_level, RoleSkill.importance, RoleSkill.essential)
        .join(Skill, Skill.id == RoleSkill.skill_id)
        .where(RoleSkill.role_id == role(session, uri).id)
    )
    return {uri: (target, importance, essential) for uri, target, importance, essential in rows}


def test_esco_zips_import_skills_groups_hierarchy_and_templates(
    session: Session, tmp_path: Path
) -> None:
    """Every part of the export lands where the ADR says, with skipped links noted."""
    report = import_esco(session, paths=releases.write_esco_zips(tmp_path))

    assert report.created["skills"] == 4
    assert report.created["skill groups"] == 2
    assert report.created["role templates"] == 2
    source = session.scalars(select(TaxonomySource).where(TaxonomySource.key == "esco")).one()
    assert (source.version, source.attribution) == ("v1.1.0", "ESCO, European Commission")

    staff = skill(session, MUSICAL_STAFF)
    assert (staff.kind, staff.reuse_level, staff.status) == ("skill", "sector-specific", "active")
    assert staff.description == "Assign and manage staff tasks."
    assert skill(session, MUSIC_THEORY).kind == "knowledge"
    assert skill(session, UNTYPED).kind == "skill"
    assert skill(session, GROUP_SKILLS).kind == "group"
    aliases = set(
        session.execute(
            select(SkillAlias.label, SkillAlias.kind).where(SkillAlias.skill_id == staff.id)
        ).all()
    )
    assert aliases == {("manage music staff", "alt"), ("music staf", "hidden")}

    # The first broader concept is the parent; every broader link is a relation.
    assert skill(session, COACH_SINGERS).parent_id == staff.id
    assert skill(session, GROUP_COMMUNICATION).parent_id == skill(session, GROUP_SKILLS).id
    assert relations(session) == {
        (GROUP_COMMUNICATION, GROUP_SKILLS, "broader"),
        (MUSICAL_STAFF, GROUP_COMMUNICATION, "broader"),
        (MUSIC_THEORY, GROUP_SKILLS, "broader"),
        (COACH_SINGERS, MUSICAL_STAFF, "broader"),
        (COACH_SINGERS, GROUP_COMMUNICATION, "broader"),
        (MUSIC_THEORY, MUSICAL_STAFF, "essential_for"),
        (MUSIC_THEORY, COACH_SINGERS, "optional_for"),
    }

    director = role(session, MUSIC_DIRECTOR)
    assert director.is_template
    assert (director.title, director.code) == ("music director", "2652")
    assert director.family == "Musicians, singers and composers"
    titles = session.scalars(select(RoleAlias.title).where(RoleAlias.role_id == director.id))
    assert list(titles) == ["conductor"]
    assert profile(session, MUSIC_DIRECTOR) == {
        MUSICAL_STAFF: (pytest.approx(0.6), 1.0, True),
        MUSIC_THEORY: (pytest.approx(0.6), 0.5, False),
    }
    # Links to a group or to an unknown skill are left out, and the report says so.
    assert set(profile(session, VOCAL_COACH)) == {COACH_SINGERS}
    notes = " ".join(report.notes)
    assert "1 occupation–skill link(s) name a skill group" in notes
    assert "1 occupation–skill link(s) name a skill missing" in notes
    assert "without skillType" in notes


def test_reimport_changes_nothing(session: Session, tmp_path: Path) -> None:
    """The same export twice: the second run writes nothing and says so."""
    paths = releases.write_esco_zips(tmp_path)
    import_esco(session, paths=paths)
    again = import_esco(session, paths=paths)

    assert not again.changed_anything
    assert again.unchanged["skills"] == 4
    assert again.unchanged["skill aliases"] == 4
    assert again.unchanged["skill relations"] == 7
    assert again.unchanged["role skills"] == 3


def test_folder_and_zips_give_the_same_result(session: Session, tmp_path: Path) -> None:
    """An extracted folder is the same export as the zips; its unknown version keeps v1.1.0."""
    import_esco(session, paths=releases.write_esco_zips(tmp_path / "zips"))
    again = import_esco(session, paths=[releases.write_esco_folder(tmp_path / "esco")])

    assert not again.changed_anything
    source = session.scalars(select(TaxonomySource).where(TaxonomySource.key == "esco")).one()
    assert source.version == "v1.1.0"


def test_changed_label_and_dropped_link_are_updated(session: Session, tmp_path: Path) -> None:
    """A renamed skill, a new alias, a removed relation and a changed profile line."""
    import_esco(session, paths=[releases.write_esco_folder(tmp_path / "v1")])
    header, rows = releases.ESCO_FILES["skills_en.csv"]
    renamed = [list(row) for row in rows]
    renamed[0][4] = "manage music staff members"
    renamed[0][5] = "direct musical staff"
    header_relations, relation_rows = releases.ESCO_FILES["skillSkillRelations.csv"]
    header_links, link_rows = releases.ESCO_FILES["occupationSkillRelations.csv"]
    changed_links = [list(row) for row in link_rows]
    changed_links[1][1] = "essential"
    files = releases.esco_files(
        {
            "skills_en.csv": (header, renamed),
            "skillSkillRelations.csv": (header_relations, relation_rows[1:]),
            "occupationSkillRelations.csv": (header_links, changed_links),
        }
    )
    report = import_esco(session, paths=[releases.write_esco_folder(tmp_path / "v2", files)])

    assert report.updated["skills"] == 1
    assert report.unchanged["skills"] == 3
    assert report.removed == {"skill aliases": 1, "skill relations": 1}
    assert report.created["skill aliases"] == 1
    assert report.updated["role skills"] == 1
    staff = skill(session, MUSICAL_STAFF)
    assert (staff.name, staff.name_lower) == (
        "manage music staff members",
        "manage music staff members",
    )
    assert (MUSIC_THEORY, MUSICAL_STAFF, "essential_for") not in relations(session)
    assert profile(session, MUSIC_DIRECTOR)[MUSIC_THEORY] == (pytest.approx(0.6), 1.0, True)


def test_skill_left_out_of_a_new_release_is_deprecated(session: Session, tmp_path: Path) -> None:
    """Skills are never deleted by a re-import (evidence may point at them)."""
    import_esco(session, paths=[releases.write_esco_folder(tmp_path / "v1")])
    header, rows = releases.ESCO_FILES["skills_en.csv"]
    files = releases.esco_files({"skills_en.csv": (header, rows[:3])})
    report = import_esco(session, paths=[releases.write_esco_folder(tmp_path / "v2", files)])

    assert skill(session, UNTYPED).status == "deprecated"
    assert "1 skill(s) no longer in this release marked deprecated" in report.notes


def test_missing_relations_zip_is_refused(session: Session, tmp_path: Path) -> None:
    """Only the classification zip: the report names each missing file; nothing written."""
    classification, _ = releases.write_esco_zips(tmp_path)
    with pytest.raises(InvalidInputError) as raised:
        import_esco(session, paths=[classification])

    reasons = " ".join(problem.reason for problem in raised.value.problems)
    assert "occupationSkillRelations.csv" in reasons
    assert "both zips" in reasons
    assert session.scalar(select(func.count()).select_from(Skill)) == 0


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ("missing", "file or folder not found"),
        ("text", "neither a zip archive"),
        ("broken.zip", "not a valid zip archive"),
    ],
)
def test_bad_paths_are_refused(session: Session, tmp_path: Path, given: str, reason: str) -> None:
    """A path that is not an ESCO export is refused with a clear reason."""
    path = tmp_path / given
    if given != "missing":
        path.write_bytes(b"PK\x03\x04 not really a zip" if given.endswith(".zip") else b"hello")
    with pytest.raises(InvalidInputError) as raised:
        import_esco(session, paths=[path])
    assert reason in raised.value.problems[0].reason


def test_missing_column_and_bad_values_are_refused(session: Session, tmp_path: Path) -> None:
    """A file without a needed column, or with a bad relation type, stops the import."""
    header, rows = releases.ESCO_FILES["occupationSkillRelations.csv"]
    bad_rows = [list(row) for row in rows]
    bad_rows[0][1] = "mandatory"
    files = releases.esco_files({"occupationSkillRelations.csv": (header, bad_rows)})
    with pytest.raises(InvalidInputError) as raised:
        import_esco(session, paths=[releases.write_esco_folder(tmp_path / "bad", files)])
    problem = raised.value.problems[0]
    assert (problem.row, problem.column, problem.value) == (2, "relationType", "mandatory")

    header, rows = releases.ESCO_FILES["skills_en.csv"]
    files = releases.esco_files(
        {
            "skills_en.csv": (
                [c for c in header if c != "preferredLabel"],
                [r[:4] + r[5:] for r in rows],
            )
        }
    )
    with pytest.raises(InvalidInputError) as raised:
        import_esco(session, paths=[releases.write_esco_folder(tmp_path / "nolabel", files)])
    problem = raised.value.problems[0]
    assert (problem.column, problem.reason) == ("preferredLabel", "required column is missing")
    assert session.scalar(select(func.count()).select_from(Role)) == 0


def test_same_file_given_twice_is_refused(session: Session, tmp_path: Path) -> None:
    """Two exports mixed up (a file found in two given paths) are refused."""
    folder = releases.write_esco_folder(tmp_path / "one")
    other = releases.write_esco_folder(tmp_path / "two")
    with pytest.raises(InvalidInputError) as raised:
        import_esco(session, paths=[folder, other])
    assert "was found twice" in raised.value.problems[0].reason


def test_wrong_encoding_is_refused(session: Session, tmp_path: Path) -> None:
    """A file that is not UTF-8 is refused with its name and line."""
    folder = releases.write_esco_folder(tmp_path / "latin1")
    (folder / "skills_en.csv").write_bytes(
        "conceptUri,preferredLabel,skillType\nx,caf\xe9,knowledge\n".encode("latin-1")
    )
    with pytest.raises(InvalidInputError) as raised:
        import_esco(session, paths=[folder])
    problem = raised.value.problems[0]
    assert "not UTF-8" in problem.reason
    assert problem.file is not None
    assert problem.file.endswith("skills_en.csv")


def test_folder_holding_the_zips_is_read(session: Session, tmp_path: Path) -> None:
    """`skillpath import esco downloads/` reads the zips inside, version included."""
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    for archive in releases.write_esco_zips(tmp_path / "made"):
        archive.rename(downloads / archive.name)
    report = import_esco(session, paths=[downloads])
    assert report.created["skills"] == 4
    assert report.source == "ESCO v1.1.0"
