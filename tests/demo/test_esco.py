"""The demo on the real ESCO taxonomy: demo skills mapped onto ESCO by label at run time."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from skillpath.demo.build import build_company
from skillpath.domains.people.models import Role, RoleSkill
from skillpath.domains.taxonomy.models import Skill, TaxonomySource

ESCO_ZIPS = (
    "esco/ESCO-dataset-v1.1.0-classification-en-csv.zip",
    "esco/ESCO-dataset-v1.1.0-classification-relations-csv.zip",
)


def _source_of(session: Session, role_key: str, skill_name: str) -> str:
    return session.execute(
        select(TaxonomySource.key)
        .join(Skill, Skill.source_id == TaxonomySource.id)
        .join(RoleSkill, RoleSkill.skill_id == Skill.id)
        .join(Role, Role.id == RoleSkill.role_id)
        .where(Role.external_id == role_key, Role.source == "org", Skill.name == skill_name)
    ).scalar_one()


@pytest.mark.slow
@pytest.mark.shared_data
def test_demo_on_esco_maps_skills_by_label(session: Session, shared_data: Path) -> None:
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip(
            "the mapping is the same on every database; the ESCO import itself is tested on "
            "PostgreSQL by the taxonomy tests, so this slow test runs on SQLite only"
        )
    summary = build_company(
        session,
        employees=100,
        seed=2,
        as_of=date(2025, 6, 30),
        taxonomy="esco",
        esco_paths=[shared_data / name for name in ESCO_ZIPS],
        create_logins=False,
    )
    assert summary.esco_matches >= 40
    esco_skills = session.scalar(
        select(func.count())
        .select_from(Skill)
        .join(TaxonomySource, TaxonomySource.id == Skill.source_id)
        .where(TaxonomySource.key == "esco", Skill.kind != "group")
    )
    assert esco_skills is not None
    assert esco_skills >= 13_000
    # Matched by label: profiles point at ESCO's skill; the rest keep the demo's own.
    assert _source_of(session, "data_analyst", "SQL") == "esco"
    assert _source_of(session, "salesforce_administrator", "customer relationship management") == (
        "esco"
    )
    assert _source_of(session, "marketing_analyst", "Digital marketing analytics") == "demo"
