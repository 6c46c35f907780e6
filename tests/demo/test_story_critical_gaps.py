"""Story 1 (PRODUCT.md): a retail company shifting to e-commerce sets that priority; the org gap
assessment names digital marketing analytics and supply chain logistics as its critical gaps.

The demo is built from its generative model, profiles are consolidated from the generated
evidence, and the answer is read through the public API. The test also checks that the answer
is true of the generated people (their latent levels fall short of their roles' targets in those
skills more than elsewhere), so it holds because of the data, not because of the weights alone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from skillpath.config import Settings
from skillpath.db.session import make_engine, make_session_factory, transaction
from skillpath.demo.build import DEMO_SNAPSHOT_MONTHS, DemoSummary, build_company
from skillpath.domains.gaps import service as gaps_service
from skillpath.domains.identity import service as identity
from skillpath.domains.identity.models import User
from skillpath.domains.people.models import Role, RoleSkill
from skillpath.domains.taxonomy.models import Skill
from skillpath.web.app import create_app
from tests.web.conftest import bearer, migrated_database

AS_OF = date(2025, 6, 30)
PRIORITY = "E-commerce shift"
STORY_SKILLS = {"Digital marketing analytics", "Supply chain logistics"}
TOP = 3


def _hr_user(session: Session, summary: DemoSummary) -> User:
    email = next(login.email for login in summary.logins if login.role == "hr_admin")
    return session.scalars(select(User).where(User.email == email)).one()


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def retail(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, DemoSummary, dict[str, dict[str, float]], str]]:
    """A small retail demo with consolidated profiles and this month's gap snapshot; yields the
    URL, the build summary, every role's profile (role key → skill key → target) and an HR
    API token."""
    for url in migrated_database(request.param, tmp_path_factory):
        engine = make_engine(url)
        factory = make_session_factory(engine)
        with transaction(factory) as session:
            summary = build_company(
                session, scenario="retail", employees=300, seed=42, as_of=AS_OF, keep_truth=True
            )
            # The build consolidates the profiles and takes the gap snapshots itself.
            snapshots = gaps_service.list_snapshots(
                session, viewer=identity.viewer_for(_hr_user(session, summary)), today=AS_OF
            )
            assert len(snapshots) == DEMO_SNAPSHOT_MONTHS + 1
            assert snapshots[-1].as_of == AS_OF
            assert all(s.basis == "evidence" for s in snapshots[:-1])
            hr = next(login for login in summary.logins if login.role == "hr_admin")
            token = identity.create_token(session, email=hr.email)
            profiles: dict[str, dict[str, float]] = defaultdict(dict)
            for role_key, skill_key, target in session.execute(
                select(Role.external_id, Skill.external_id, RoleSkill.target_level)
                .join(Role, Role.id == RoleSkill.role_id)
                .join(Skill, Skill.id == RoleSkill.skill_id)
            ):
                profiles[role_key][skill_key] = target
        engine.dispose()
        yield url, summary, dict(profiles), token


def test_top_critical_gaps_under_the_ecommerce_shift(
    retail: tuple[str, DemoSummary, dict[str, dict[str, float]], str],
) -> None:
    url, _summary, _profiles, token = retail
    app = create_app(Settings(database_url=url, secret_key="story"))
    try:
        with TestClient(app) as client:
            response = client.get(
                "/api/v1/gaps/critical",
                params={"priority": PRIORITY, "limit": 10},
                headers=bearer(token),
            )
            assert response.status_code == 200, response.text
            found: dict[str, Any] = response.json()
    finally:
        app.state.engine.dispose()
    assert found["lens"]["priority"] == PRIORITY
    names = [item["skill"]["name"] for item in found["items"]]
    assert set(names[:TOP]) >= STORY_SKILLS, names
    by_name = {item["skill"]["name"]: item for item in found["items"]}
    for name in STORY_SKILLS:
        item = by_name[name]
        # Fewer than half of the people whose role needs it are at target.
        assert item["coverage"] < 0.5, item
        assert item["demand"] >= 10, item


def test_the_gap_is_in_the_generated_people_not_only_in_the_weights(
    retail: tuple[str, DemoSummary, dict[str, dict[str, float]], str],
) -> None:
    """Against the latent truth: in those skills a larger share of the people whose role needs
    them is short of the target than across all other requirements."""
    _url, summary, profiles, _token = retail
    assert summary.truth is not None
    assert summary.roles_of is not None
    short: dict[str, list[bool]] = defaultdict(list)
    for person, levels in summary.truth.items():
        for skill, target in profiles.get(summary.roles_of[person], {}).items():
            short[skill].append(levels.get(skill, 0.0) < target)
    story_keys = {"digital_marketing_analytics", "supply_chain_logistics"}
    others = [flag for skill, flags in short.items() if skill not in story_keys for flag in flags]
    baseline = sum(others) / len(others)
    for key in story_keys:
        assert short[key], key
        share = sum(short[key]) / len(short[key])
        assert share > baseline + 0.15, (key, share, baseline)
