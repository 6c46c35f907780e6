"""The career-path service on a real database: next roles with and without history, typical
months from the move history, readiness and missing skills, visibility, bad input, role
neighbours and the cached graph."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session

from skillpath.core.errors import InvalidInputError, NotFoundError
from skillpath.domains.evidence.models import EmployeeSkill
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.mobility import careers
from skillpath.domains.mobility.career_schemas import CareerPaths, CareerSuggestion
from skillpath.domains.people.models import Employee, Move, Role, RoleSkill
from skillpath.domains.taxonomy.models import Skill
from tests.factories import make_employee, make_role, make_skill

HR = Viewer(user_id=0, email="hr@example.com", role="hr_admin", employee_id=None)
NOW = datetime(2025, 6, 30, 12, 0, tzinfo=UTC)


def viewer_for(employee: Employee, role: str = "employee") -> Viewer:
    """A viewer who is this employee."""
    return Viewer(user_id=employee.id, email="x@example.com", role=role, employee_id=employee.id)


def set_level(session: Session, employee: Employee, skill_id: int, level: float) -> None:
    """A consolidated profile row written directly (as a rebuild would)."""
    session.add(
        EmployeeSkill(
            employee_id=employee.id,
            skill_id=skill_id,
            level=level,
            confidence=0.6,
            floor=0.0,
            evidence_count=1,
            total_weight=0.5,
            computed_at=NOW,
        )
    )
    session.flush()


@dataclass
class Org:
    """Roles and people by short name."""

    roles: dict[str, Role] = field(default_factory=dict)
    people: dict[str, Employee] = field(default_factory=dict)
    skills: dict[str, int] = field(default_factory=dict)


@pytest.fixture
def org(session: Session) -> Org:
    """Support (level 1) → Senior support (2) and Sales (2) by skill overlap; Data analyst (2)
    shares nothing with Support; Head of support (5) is too far up. Ana works in Support with
    a manager Max; Oli is a peer outside Max's line."""
    found = Org()
    for name in ("Listening", "Product", "Negotiation", "SQL", "Coaching"):
        found.skills[name] = make_skill(session, name).id
    s = {name: session.get_one(Skill, i) for name, i in found.skills.items()}
    found.roles["support"] = make_role(
        session, "Support", level=1, skills=[(s["Listening"], 0.6, 1.0), (s["Product"], 0.4, 0.6)]
    )
    found.roles["senior"] = make_role(
        session,
        "Senior support",
        level=2,
        skills=[(s["Listening"], 0.8, 1.0), (s["Product"], 0.6, 0.6), (s["Coaching"], 0.4, 0.3)],
    )
    found.roles["sales"] = make_role(
        session,
        "Sales",
        level=2,
        skills=[(s["Listening"], 0.6, 0.6), (s["Negotiation"], 0.8, 1.0), (s["Product"], 0.4, 0.6)],
    )
    found.roles["analyst"] = make_role(
        session, "Data analyst", level=2, skills=[(s["SQL"], 0.8, 1.0)]
    )
    found.roles["head"] = make_role(
        session, "Head of support", level=5, skills=[(s["Listening"], 0.8, 1.0)]
    )
    found.people["max"] = make_employee(session, "Max", "Manager", role=found.roles["senior"])
    found.people["ana"] = make_employee(
        session, "Ana", "Agent", manager=found.people["max"], role=found.roles["support"]
    )
    found.people["oli"] = make_employee(session, "Oli", "Other", role=found.roles["sales"])
    set_level(session, found.people["ana"], found.skills["Listening"], 0.8)
    set_level(session, found.people["ana"], found.skills["Product"], 0.2)
    return found


def add_moves(session: Session, org: Org, source: str, target: str, months: list[int]) -> None:
    """People hired into `source` who moved to `target` after the given months."""
    for n, spent in enumerate(months):
        hired = date(2020, 1, 1)
        person = make_employee(session, f"Mover{n}", role=org.roles[target], hired_on=hired)
        moved = date(hired.year + (spent // 12), 1 + spent % 12, 1)
        session.add(
            Move(
                employee_id=person.id,
                moved_on=moved,
                kind="lateral",
                from_role_id=org.roles[source].id,
                to_role_id=org.roles[target].id,
            )
        )
    session.flush()


def by_title(paths: CareerPaths) -> dict[str, CareerSuggestion]:
    """Suggestions by role title."""
    return {item.role.title: item for item in paths.items}


def test_without_history_next_roles_come_from_skill_similarity(session: Session, org: Org) -> None:
    ana = org.people["ana"]
    paths = careers.next_roles(session, viewer=viewer_for(ana), employee_id=ana.id, steps=1)
    assert paths.current_role is not None
    assert paths.current_role.title == "Support"
    assert paths.moves_in_history == 0
    found = by_title(paths)
    # Senior support and Sales share skills; Data analyst shares none; Head of support is +4.
    assert set(found) == {"Senior support", "Sales"}
    senior = found["Senior support"]
    expected = (1.0 * 0.6 / 0.8 + 0.6 * 0.4 / 0.6) / (1.0 + 0.6 + 0.3)
    assert senior.similarity == pytest.approx(expected)
    assert senior.score == pytest.approx(expected)  # no moves: score = similarity
    assert senior.observed_moves == 0
    assert senior.months_observed is False
    assert senior.typical_months == pytest.approx(12.0 * (2 - expected))
    assert [r.title for r in senior.path] == ["Support", "Senior support"]
    assert paths.items[0].score >= paths.items[-1].score
    # Ana: listening 0.8 (meets 0.8), product 0.2 of 0.6, coaching 0 of 0.4.
    wanted = 0.8 * 1.0 + 0.6 * 0.6 + 0.4 * 0.3
    assert senior.readiness == pytest.approx((0.8 + 0.2 * 0.6) / wanted)
    assert senior.weighted_shortfall == pytest.approx(0.4 * 0.6 + 0.4 * 0.3)
    assert (senior.skills_required, senior.skills_met) == (3, 1)
    assert [m.skill.name for m in senior.missing_skills] == ["Product", "Coaching"]
    product = senior.missing_skills[0]
    assert (product.current_display_level, product.target_display_level) == (1, 3)
    ready = round((0.8 + 0.2 * 0.6) / wanted * 100)
    assert senior.why == (
        "No one has moved from Support to this role yet; its profile covers "
        f"{round(expected * 100)}% of what this role requires; your profile covers {ready}% of it."
    )


def test_observed_moves_raise_an_edge_and_give_its_typical_time(session: Session, org: Org) -> None:
    add_moves(session, org, "support", "analyst", [10, 14, 30])
    ana = org.people["ana"]
    paths = careers.next_roles(session, viewer=viewer_for(ana), employee_id=ana.id, steps=1)
    analyst = by_title(paths)["Data analyst"]
    assert analyst.observed_moves == 3
    assert analyst.similarity == 0
    assert analyst.score == pytest.approx(3 / (4 + 3))
    assert analyst.months_observed is True
    assert analyst.typical_months == pytest.approx(14.0, abs=0.2)  # the median of 10, 14, 30
    assert analyst.why.startswith("3 people moved from Support to this role; your profile")
    assert paths.moves_in_history == 3
    # The other edges now scale the history's median time in role.
    senior = by_title(paths)["Senior support"]
    assert senior.typical_months == pytest.approx(analyst.typical_months * (2 - senior.similarity))


def test_two_steps_reach_further_through_the_best_intermediate(session: Session, org: Org) -> None:
    add_moves(session, org, "senior", "head", [24, 30, 36])
    ana = org.people["ana"]
    paths = careers.next_roles(session, viewer=viewer_for(ana), employee_id=ana.id, steps=2)
    head = by_title(paths)["Head of support"]
    assert head.steps == 2
    assert [r.title for r in head.path] == ["Support", "Senior support", "Head of support"]
    first, second = head.edges
    assert head.score == pytest.approx(first.score * second.score)
    assert second.observed_moves == 3
    assert head.typical_months == pytest.approx(first.typical_months + second.typical_months)
    assert head.months_observed is False  # the first edge is an estimate
    assert head.observed_moves == 0  # no one went straight from Support to Head of support
    assert head.why.startswith("Through Senior support: Support's profile covers")
    one_step = careers.next_roles(session, viewer=viewer_for(ana), employee_id=ana.id, steps=1)
    assert "Head of support" not in by_title(one_step)


def test_visibility_and_bad_input(session: Session, org: Org) -> None:
    ana, oli, boss = org.people["ana"], org.people["oli"], org.people["max"]
    with pytest.raises(NotFoundError):
        careers.next_roles(session, viewer=viewer_for(oli), employee_id=ana.id)
    manager = careers.next_roles(session, viewer=viewer_for(boss, "manager"), employee_id=ana.id)
    assert manager.items
    assert "Ana's profile covers" in manager.items[0].why
    assert careers.next_roles(session, viewer=HR, employee_id=ana.id).items
    with pytest.raises(InvalidInputError, match="limit"):
        careers.next_roles(session, viewer=HR, employee_id=ana.id, limit=0)
    with pytest.raises(InvalidInputError, match="steps"):
        careers.next_roles(session, viewer=HR, employee_id=ana.id, steps=3)
    with pytest.raises(InvalidInputError, match="limit"):
        careers.role_neighbours(session, role_id=org.roles["support"].id, limit=1000)
    limited = careers.next_roles(session, viewer=HR, employee_id=ana.id, limit=1)
    assert len(limited.items) == 1


def test_a_person_without_a_role_gets_no_suggestions(session: Session, org: Org) -> None:
    nobody = make_employee(session, "Noa", "Norole")
    paths = careers.next_roles(session, viewer=viewer_for(nobody), employee_id=nobody.id)
    assert paths.current_role is None
    assert paths.items == []


def test_role_neighbours_both_ways(session: Session, org: Org) -> None:
    add_moves(session, org, "sales", "senior", [20, 22, 24])
    found = careers.role_neighbours(session, role_id=org.roles["senior"].id)
    assert found.role.title == "Senior support"
    assert found.level == 2
    previous = {n.role.title: n for n in found.previous_roles}
    assert set(previous) == {"Support", "Sales"}
    assert previous["Sales"].edge.observed_moves == 3
    assert previous["Sales"].edge.months_observed is True
    assert previous["Sales"].edge.typical_months == pytest.approx(22.0, abs=0.2)
    assert [n.edge.score for n in found.previous_roles] == sorted(
        (n.edge.score for n in found.previous_roles), reverse=True
    )
    # Senior support → Head of support is three levels up and no one did it.
    assert "Head of support" not in {n.role.title for n in found.next_roles}
    with pytest.raises(NotFoundError):
        careers.role_neighbours(session, role_id=10**9)
    template = Role(
        source="esco", external_id="t", title="template", title_lower="template", is_template=True
    )
    session.add(template)
    session.flush()
    outside = careers.role_neighbours(session, role_id=template.id)
    assert outside.next_roles == []
    assert outside.previous_roles == []
    titles = [r.title for r in careers.explorer_roles(session)]
    assert titles == sorted(titles, key=str.lower)
    assert "template" not in titles
    assert "Data analyst" in titles


def test_the_graph_is_cached_until_its_inputs_change(session: Session, org: Org) -> None:
    first = careers.role_graph(session)
    assert careers.role_graph(session) is first
    session.add(
        RoleSkill(
            role_id=org.roles["analyst"].id,
            skill_id=org.skills["Listening"],
            target_level=0.6,
            importance=0.5,
        )
    )
    session.flush()
    changed = careers.role_graph(session)
    assert changed is not first
    line = session.query(RoleSkill).filter_by(role_id=org.roles["analyst"].id).first()
    assert line is not None
    line.target_level = 0.2
    session.flush()
    assert careers.role_graph(session) is not changed
    add_moves(session, org, "support", "sales", [12])
    assert careers.role_graph(session).moves_in_history == 1
