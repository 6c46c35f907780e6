"""The real ESCO v1.1.0 and O*NET 29.3 releases from ../shared/data, imported once per database."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from skillpath.core.reports import ImportReport
from skillpath.domains.people.models import Role, RoleSkill
from skillpath.domains.taxonomy.models import Skill, TaxonomySource
from skillpath.domains.taxonomy.service import import_esco, import_onet
from tests.conftest import SHARED_DATA

pytestmark = [pytest.mark.slow, pytest.mark.shared_data]
IMPORT_SECONDS = 60.0
"""Twice the 30 s target, so a busy CI machine does not fail the suite; B8 measures the target."""


@dataclass
class Imported:
    """The session holding both imports and what each run reported."""

    session: Session
    esco: ImportReport
    esco_again: ImportReport
    onet: ImportReport
    onet_again: ImportReport


@pytest.fixture(scope="module")
def imported(engine: Engine) -> Iterator[Imported]:
    """Both releases imported twice inside one transaction, rolled back afterwards."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data folder {SHARED_DATA} is absent")
    esco_zips = sorted((SHARED_DATA / "esco").glob("*.zip"))
    onet_zip = SHARED_DATA / "onet" / "onet-29.3-db-text.zip"
    with engine.connect() as connection:
        outer = connection.begin()
        session = Session(bind=connection, join_transaction_mode="create_savepoint")
        try:
            yield Imported(
                session=session,
                esco=import_esco(session, paths=esco_zips),
                esco_again=import_esco(session, paths=esco_zips),
                onet=import_onet(session, path=onet_zip),
                onet_again=import_onet(session, path=onet_zip),
            )
        finally:
            session.close()
            outer.rollback()


def skill_count(session: Session, source: str, *, groups: bool = False) -> int:
    """How many skills (or groups) a source holds."""
    kind = Skill.kind == "group" if groups else Skill.kind != "group"
    return int(
        session.scalar(
            select(func.count())
            .select_from(Skill)
            .join(TaxonomySource, TaxonomySource.id == Skill.source_id)
            .where(TaxonomySource.key == source, kind)
        )
        or 0
    )


def template_count(session: Session, source: str) -> int:
    """How many role templates a source holds."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(Role)
            .where(Role.source == source, Role.is_template.is_(True))
        )
        or 0
    )


def test_esco_counts(imported: Imported) -> None:
    """13,891 skills, 643 groups and 3,008 occupations with 123,852 profile lines."""
    session = imported.session
    assert skill_count(session, "esco") == 13_891
    assert skill_count(session, "esco", groups=True) == 643
    assert template_count(session, "esco") == 3_008
    lines = session.scalar(
        select(func.count())
        .select_from(RoleSkill)
        .join(Role, Role.id == RoleSkill.role_id)
        .where(Role.source == "esco")
    )
    assert lines == 123_852
    assert imported.esco.created["skills"] == 13_891
    assert imported.esco.lines()[0].startswith("ESCO v1.1.0:")


def test_onet_counts(imported: Imported) -> None:
    """1,016 occupations; 35 skills and 33 knowledge areas rated; technology as tools."""
    session = imported.session
    assert template_count(session, "onet") == 1_016
    kinds = dict(
        session.execute(
            select(Skill.kind, func.count())
            .join(TaxonomySource, TaxonomySource.id == Skill.source_id)
            .where(TaxonomySource.key == "onet")
            .group_by(Skill.kind)
        ).all()
    )
    assert (kinds["skill"], kinds["knowledge"]) == (35, 33)
    assert kinds["tool"] > 8_000


def test_second_imports_change_nothing(imported: Imported) -> None:
    """Re-importing either release writes nothing and reports everything unchanged."""
    for report in (imported.esco_again, imported.onet_again):
        assert not report.changed_anything, report.lines()
    assert imported.esco_again.unchanged["skills"] == 13_891
    assert imported.onet_again.unchanged["role templates"] == 1_016


def test_imports_are_fast_enough(imported: Imported) -> None:
    """Each import (first or second) stays well within budget, even on a busy machine."""
    for report in (imported.esco, imported.esco_again, imported.onet, imported.onet_again):
        assert report.seconds <= IMPORT_SECONDS, report.lines()
