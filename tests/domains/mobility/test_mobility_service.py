"""The marketplace service: posting, explained recommendations and candidates, visibility."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from skillpath.core.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from skillpath.domains.evidence.models import EmployeeSkill, ProfileBuild, SkillIntent
from skillpath.domains.identity.service import viewer_for
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.learning.models import LearningPath
from skillpath.domains.mobility import service
from skillpath.domains.mobility.models import OpportunityInterest, OpportunityNotification
from skillpath.domains.mobility.schemas import MatchRead, OpportunityIn, SkillAsk
from skillpath.domains.people.models import Employee, Role
from skillpath.domains.taxonomy.models import Skill
from tests.factories import (
    make_employee,
    make_item,
    make_location,
    make_role,
    make_skill,
    make_user,
)

TODAY = date(2025, 6, 30)


@dataclass
class World:
    skills: dict[str, Skill]
    analyst: Role
    people: dict[str, Employee]
    viewers: dict[str, Viewer]
    london: int


def _levels(session: Session, employee: Employee, levels: dict[Skill, float]) -> None:
    for skill, level in levels.items():
        session.add(
            EmployeeSkill(
                employee_id=employee.id,
                skill_id=skill.id,
                level=level,
                confidence=0.8,
                evidence_count=1,
                total_weight=1.0,
                computed_at=datetime(2025, 6, 1, tzinfo=UTC),
            )
        )


@pytest.fixture
def world(session: Session) -> World:
    skills = {name: make_skill(session, f"Skill {name}") for name in ("a", "b", "c")}
    analyst = make_role(
        session, "Analyst", skills=[(skills["a"], 0.6, 1.0), (skills["b"], 0.8, 0.5)]
    )
    clerk = make_role(session, "Clerk", skills=[(skills["c"], 0.4, 1.0)])
    london = make_location(session, country="GB", locale="en-GB", timezone="Europe/London")
    paris = make_location(session, country="FR", locale="fr-FR", timezone="Europe/Paris")
    boss = make_employee(session, "Mia", "Boss", role=clerk, location=london)
    owner = make_employee(session, "Owen", "Owner", role=clerk, location=london, manager=boss)
    alice = make_employee(session, "Alice", "Able", role=clerk, location=london)
    bob = make_employee(session, "Bob", "Basic", role=clerk, location=paris, manager=owner)
    carol = make_employee(session, "Carol", "Current", role=analyst, location=london)
    dave = make_employee(
        session, "Dave", "Gone", role=clerk, location=london, left_on=date(2025, 1, 1)
    )
    _levels(session, alice, {skills["a"]: 0.6, skills["b"]: 1.0})
    _levels(session, bob, {skills["a"]: 0.3})
    _levels(session, carol, {skills["a"]: 0.6, skills["b"]: 0.8})
    _levels(session, dave, {skills["a"]: 1.0, skills["b"]: 1.0})
    session.add(
        ProfileBuild(
            kind="full",
            started_at=datetime(2025, 6, 1, tzinfo=UTC),
            finished_at=datetime(2025, 6, 1, tzinfo=UTC),
            as_of=datetime(2025, 6, 1, tzinfo=UTC),
            employees=5,
            rows=7,
            policy="{}",
        )
    )
    make_item(session, "A Essentials", minutes=120, teaches=[(skills["a"], 0.6)])
    session.flush()
    people = {
        "boss": boss,
        "owner": owner,
        "alice": alice,
        "bob": bob,
        "carol": carol,
        "dave": dave,
    }
    viewers = {
        "hr": viewer_for(make_user(session, role="hr_admin")),
        "owner": viewer_for(make_user(session, role="manager", employee=owner)),
        "boss": viewer_for(make_user(session, role="manager", employee=boss)),
        "alice": viewer_for(make_user(session, role="employee", employee=alice)),
        "bob": viewer_for(make_user(session, role="employee", employee=bob)),
    }
    return World(skills=skills, analyst=analyst, people=people, viewers=viewers, london=london.id)


def post_analyst(session: Session, world: World, *, publish: bool = True) -> int:
    read = service.create_opportunity(
        session,
        viewer=world.viewers["owner"],
        data=OpportunityIn(
            kind="role", role_id=world.analyst.id, location_id=world.london, publish=publish
        ),
        today=TODAY,
    )
    return read.id


def adds_up(match: MatchRead) -> float:
    return sum(match.weights[name] * getattr(match.subscores, name) for name in match.weights)


def test_a_role_takes_its_profile_and_notifies_very_high_matches(
    session: Session, world: World
) -> None:
    opportunity_id = post_analyst(session, world)
    read = service.get_opportunity(
        session, viewer=world.viewers["alice"], opportunity_id=opportunity_id
    )
    assert read.status == "open"
    assert read.title == "Analyst"
    assert {need.skill.id: need.level for need in read.skills} == {
        world.skills["a"].id: 0.6,
        world.skills["b"].id: 0.8,
    }
    assert read.owner is not None
    assert read.owner.id == world.people["owner"].id
    notified = set(
        session.scalars(
            select(OpportunityNotification.recipient_id).where(
                OpportunityNotification.opportunity_id == opportunity_id
            )
        )
    )
    # Alice holds both skills at the targets, same place: 0.70 + 0.15 = 0.85. Bob does not reach
    # 0.80; Carol is already an analyst; Dave has left.
    assert notified == {world.people["alice"].id}


def test_candidates_are_ranked_explained_and_complete(session: Session, world: World) -> None:
    opportunity_id = post_analyst(session, world)
    found = service.candidates(
        session, viewer=world.viewers["owner"], opportunity_id=opportunity_id, today=TODAY
    )
    names = [match.person.name for match in found]
    assert names[0] == "Alice Able"
    assert "Carol Current" not in names  # already in the role
    assert "Owen Owner" not in names  # the owner
    assert "Dave Gone" not in names  # left
    assert "Bob Basic" in names  # the owner cannot hide their own report
    alice, bob = found[0], found[names.index("Bob Basic")]
    assert alice.score == pytest.approx(0.85)
    assert alice.band == "very_high"
    assert alice.months_to_ready == 0
    assert alice.missing_skills == []
    for match in found:
        assert match.score == pytest.approx(adds_up(match), abs=1e-12)
        assert match.parts.targets_role is None  # aspiration details are HR's and the person's
    # Bob: half of skill a (weight 1), nothing of b (weight 0.5): skills = 0.5 / 1.5.
    assert bob.subscores.skills == pytest.approx(0.5 / 1.5)
    assert [m.skill.name for m in bob.missing_skills] == ["Skill a", "Skill b"]
    assert bob.missing_skills[0].shortfall == pytest.approx(0.3)
    assert sum(m.gain for m in bob.missing_skills) == pytest.approx(0.70 * (1 - 0.5 / 1.5))
    assert bob.raise_score[0].items == ["A Essentials"]
    # Nothing in the catalog teaches skill b: Bob cannot be made ready by a plan.
    assert bob.months_to_ready is None
    assert [skill.name for skill in bob.not_teachable] == ["Skill b"]
    assert bob.parts.place == 0.0  # Paris vs London, another country
    assert bob.parts.timezone == pytest.approx(1 - 1 / 8)
    hr_view = service.candidates(
        session, viewer=world.viewers["hr"], opportunity_id=opportunity_id, today=TODAY
    )
    assert hr_view[0].parts.targets_role is False


def test_only_the_owner_line_and_hr_see_candidates(session: Session, world: World) -> None:
    opportunity_id = post_analyst(session, world)
    service.candidates(
        session, viewer=world.viewers["boss"], opportunity_id=opportunity_id, today=TODAY
    )
    with pytest.raises(ForbiddenError):
        service.candidates(
            session, viewer=world.viewers["alice"], opportunity_id=opportunity_id, today=TODAY
        )


def test_recommendations_are_private_and_follow_aspirations(session: Session, world: World) -> None:
    opportunity_id = post_analyst(session, world)
    bob = world.people["bob"]
    before = service.recommendations(
        session, viewer=world.viewers["bob"], employee_id=bob.id, today=TODAY
    )
    assert [match.opportunity.id for match in before] == [opportunity_id]
    assert before[0].parts.targets_role is False
    with pytest.raises(NotFoundError):
        service.recommendations(
            session, viewer=world.viewers["owner"], employee_id=bob.id, today=TODAY
        )
    # Bob starts working towards the role and wants to develop skill b.
    session.add(
        LearningPath(
            employee_id=bob.id,
            mode="reskill",
            status="active",
            target_role_id=world.analyst.id,
            hours_per_week=2.0,
            start_on=TODAY,
        )
    )
    session.add(SkillIntent(employee_id=bob.id, skill_id=world.skills["b"].id, intent="develop"))
    session.flush()
    after = service.recommendations(
        session, viewer=world.viewers["hr"], employee_id=bob.id, today=TODAY
    )[0]
    assert after.parts.targets_role is True
    assert after.parts.develop_share == pytest.approx(0.5 / 1.5)
    assert after.subscores.aspiration == pytest.approx(0.5 + 0.5 * 0.5 / 1.5)
    assert after.score == pytest.approx(before[0].score + 0.15 * after.subscores.aspiration)
    # "Not interested" takes it out of the list.
    session.add(
        OpportunityInterest(opportunity_id=opportunity_id, employee_id=bob.id, status="dismissed")
    )
    session.flush()
    assert (
        service.recommendations(
            session, viewer=world.viewers["bob"], employee_id=bob.id, today=TODAY
        )
        == []
    )


def test_the_current_role_and_own_opportunities_are_not_recommended(
    session: Session, world: World
) -> None:
    post_analyst(session, world)
    carol = world.people["carol"]
    hr = world.viewers["hr"]
    assert service.recommendations(session, viewer=hr, employee_id=carol.id, today=TODAY) == []
    owner = world.people["owner"]
    assert service.recommendations(session, viewer=hr, employee_id=owner.id, today=TODAY) == []


def test_drafts_are_seen_by_their_managers_only(session: Session, world: World) -> None:
    opportunity_id = post_analyst(session, world, publish=False)
    with pytest.raises(NotFoundError):
        service.get_opportunity(
            session, viewer=world.viewers["alice"], opportunity_id=opportunity_id
        )
    assert (
        service.get_opportunity(
            session, viewer=world.viewers["boss"], opportunity_id=opportunity_id
        ).status
        == "draft"
    )
    with pytest.raises(ConflictError):
        service.candidates(
            session, viewer=world.viewers["owner"], opportunity_id=opportunity_id, today=TODAY
        )
    service.publish_opportunity(
        session, viewer=world.viewers["owner"], opportunity_id=opportunity_id, today=TODAY
    )
    with pytest.raises(ConflictError):
        service.publish_opportunity(
            session, viewer=world.viewers["owner"], opportunity_id=opportunity_id, today=TODAY
        )
    closed = service.close_opportunity(
        session, viewer=world.viewers["hr"], opportunity_id=opportunity_id
    )
    assert closed.status == "closed"
    mine, total = service.list_opportunities(
        session, viewer=world.viewers["owner"], status="all", mine=True
    )
    assert total == 1
    assert mine[0].id == opportunity_id


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (OpportunityIn(kind="role"), "role_id"),
        (OpportunityIn(kind="gig", title="Sprint"), "skills"),
        (
            OpportunityIn(
                kind="gig", title="Sprint", skills=[SkillAsk(skill_id=999_999, level=0.6)]
            ),
            "skills.skill_id",
        ),
        (OpportunityIn(kind="role", role_id=999_999), "role_id"),
        (OpportunityIn(kind="gig", title="x", time_share=1.5), "time_share"),
        (OpportunityIn(kind="role", role_id=None, opening_id=999_999), "opening_id"),
    ],
)
def test_bad_opportunities_are_refused_naming_the_field(
    session: Session, world: World, data: OpportunityIn, field: str
) -> None:
    if data.kind == "gig" and data.skills == [] and data.time_share is not None:
        data.skills = [SkillAsk(skill_id=world.skills["a"].id, level=0.6)]
    with pytest.raises(InvalidInputError) as refused:
        service.create_opportunity(session, viewer=world.viewers["owner"], data=data, today=TODAY)
    assert refused.value.problems[0].column == field


def test_employees_cannot_post(session: Session, world: World) -> None:
    with pytest.raises(ForbiddenError):
        service.create_opportunity(
            session,
            viewer=world.viewers["alice"],
            data=OpportunityIn(kind="role", role_id=world.analyst.id),
            today=TODAY,
        )


def test_a_gig_matches_remote_people_anywhere(session: Session, world: World) -> None:
    read = service.create_opportunity(
        session,
        viewer=world.viewers["owner"],
        data=OpportunityIn(
            kind="gig",
            title="Clean-up sprint",
            remote=True,
            time_share=0.2,
            duration_weeks=6,
            skills=[SkillAsk(skill_id=world.skills["a"].id, level=0.6, importance=1.0)],
            publish=True,
        ),
        today=TODAY,
    )
    assert read.time_share == pytest.approx(0.2)
    bob = service.recommendations(
        session, viewer=world.viewers["bob"], employee_id=world.people["bob"].id, today=TODAY
    )
    gig = next(match for match in bob if match.opportunity.id == read.id)
    assert gig.parts.place == 1.0
    assert gig.months_to_ready == 1  # A Essentials, 2 hours at 2 h/week
    assert gig.hours_to_ready == pytest.approx(2.0)
    assert service.match_score(session, world.people["bob"].id, read.id, TODAY) == pytest.approx(
        gig.score
    )
